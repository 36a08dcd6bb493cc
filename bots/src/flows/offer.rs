//! `/offer ID`: a guided dialogue that offers goods for a need: quantity, material, days to
//! deliver.

use super::{Answer, Gate, Step, ask, done, gate, id_arg, number};
use crate::engine::Turn;
use crate::lang::Key;
use crate::port::OfferDraft;
use crate::reply::Button;
use crate::session::Dialogue;

const DAY_MS: i64 = 86_400_000;

/// The materials the protocol knows, as written on the wire.
pub(super) const MATERIALS: [&str; 6] = ["PLA", "PETG", "ABS", "ASA", "TPU", "nylon"];

pub(super) async fn start(turn: &Turn<'_>, args: &str) -> Step {
    if let Err(reply) = gate(turn, Gate::Maker).await? {
        return done(vec![reply]);
    }
    let Some(id) = id_arg(args) else {
        return done(vec![turn.say(Key::IdUsage, &["offer"])]);
    };
    let request = match turn.port().get_request(&id).await {
        Ok(r) => r,
        Err(e) => return super::refusal(turn, e),
    };
    let remaining = request
        .quantity
        .saturating_sub(request.accepted)
        .to_string();
    let next = Dialogue::Offer {
        request_id: request.id,
        quantity: None,
        material: None,
    };
    ask(
        vec![turn.say(Key::AskOfferQuantity, &[&request.product, &remaining])],
        next,
    )
}

fn ask_material(turn: &Turn<'_>, request_id: String, quantity: u32, first: Key) -> Step {
    let buttons = MATERIALS
        .iter()
        .map(|m| Button::answer(*m, "material", m))
        .collect();
    let next = Dialogue::Offer {
        request_id,
        quantity: Some(quantity),
        material: None,
    };
    ask(vec![turn.say(first, &[]).grid(buttons, 3)], next)
}

pub(super) async fn step(
    turn: &Turn<'_>,
    request_id: String,
    quantity: Option<u32>,
    material: Option<String>,
    answer: Answer,
) -> Step {
    let text = answer.as_text();
    let Some(quantity) = quantity else {
        return match number(turn, &text, 1, 10_000_000) {
            Ok(q) => ask_material(turn, request_id, q, Key::AskMaterial),
            Err(reply) => ask(
                vec![reply],
                Dialogue::Offer {
                    request_id,
                    quantity: None,
                    material: None,
                },
            ),
        };
    };
    let Some(material) = material else {
        return match MATERIALS
            .iter()
            .find(|m| m.eq_ignore_ascii_case(text.trim()))
        {
            Some(m) => {
                let buttons = ["3", "7", "14"]
                    .iter()
                    .map(|d| Button::answer(*d, "eta", d))
                    .collect();
                let next = Dialogue::Offer {
                    request_id,
                    quantity: Some(quantity),
                    material: Some((*m).to_owned()),
                };
                ask(vec![turn.say(Key::AskEta, &[]).row(buttons)], next)
            }
            None => ask_material(turn, request_id, quantity, Key::BadMaterial),
        };
    };
    let days = match number(turn, &text, 1, 365) {
        Ok(d) => d,
        Err(reply) => {
            let next = Dialogue::Offer {
                request_id,
                quantity: Some(quantity),
                material: Some(material),
            };
            return ask(vec![reply], next);
        }
    };
    let account = match gate(turn, Gate::Maker).await? {
        Ok(a) => a,
        Err(reply) => return done(vec![reply]),
    };
    let draft = OfferDraft {
        request_id,
        quantity,
        material,
        eta: Some(turn.port().now_ms() + i64::from(days) * DAY_MS),
    };
    match turn.port().create_proposal(&account, draft).await {
        Ok(p) => done(vec![
            turn.say(Key::OfferSent, &[&p.quantity.to_string(), &p.product]),
        ]),
        Err(e) => super::refusal(turn, e),
    }
}
