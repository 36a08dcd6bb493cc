//! `/offer ID`: a guided dialogue that offers goods for a need: quantity, material, days to
//! deliver.

use caremesh_federation::object::Material;

use serde::{Deserialize, Serialize};

use super::{Answer, Gate, Question, Step, again, ask, done, id_arg, number};
use crate::engine::Turn;
use crate::lang::words::{ChatWord, labels};
use crate::lang::{common, market as t};
use crate::port::OfferDraft;
use crate::reply::Button;

/// What `/offer` has so far; the first missing field is the question it waits on.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct Offer {
    request_id: String,
    quantity: Option<u32>,
    material: Option<Material>,
}

impl Question for Offer {
    fn tag(&self) -> &'static str {
        match self {
            Offer { quantity: None, .. } => "offer-qty",
            Offer { material: None, .. } => "material",
            Offer { .. } => "eta",
        }
    }
}

pub(crate) async fn start(turn: &Turn<'_>, args: &str) -> Step {
    let Some(id) = id_arg(args) else {
        return done(vec![turn.say(common::ID_USAGE, &["offer"])]);
    };
    let request = match turn.market().get_request(&id).await {
        Ok(r) => r,
        Err(e) => return super::refusal(turn, e),
    };
    let remaining = request
        .quantity
        .saturating_sub(request.accepted)
        .to_string();
    let next = Offer {
        request_id: request.id,
        quantity: None,
        material: None,
    };
    ask(
        vec![turn.say(t::ASK_OFFER_QUANTITY, &[&request.product, &remaining])],
        next,
    )
}

fn ask_material(turn: &Turn<'_>, request_id: String, quantity: u32, first: &str) -> Step {
    let buttons = Material::ALL
        .iter()
        .map(|m| Button::answer(m.label(turn.lang), "material", m.as_str()))
        .collect();
    let next = Offer {
        request_id,
        quantity: Some(quantity),
        material: None,
    };
    ask(
        vec![crate::reply::Reply::text(first).grid(buttons, 3)],
        next,
    )
}

pub(crate) async fn step(turn: &Turn<'_>, offer: Offer, answer: Answer) -> Step {
    let Offer {
        request_id,
        quantity,
        material,
    } = offer;
    let text = answer.as_text();
    let Some(quantity) = quantity else {
        return match number(turn, &text, 1, 10_000_000) {
            Ok(q) => ask_material(turn, request_id, q, &turn.t(t::ASK_MATERIAL, &[])),
            Err(reply) => ask(
                vec![reply],
                Offer {
                    request_id,
                    quantity: None,
                    material: None,
                },
            ),
        };
    };
    let Some(material) = material else {
        return match Material::parse(&text) {
            Some(m) => {
                let buttons = ["3", "7", "14"]
                    .iter()
                    .map(|d| Button::answer(*d, "eta", d))
                    .collect();
                let next = Offer {
                    request_id,
                    quantity: Some(quantity),
                    material: Some(m),
                };
                ask(vec![turn.say(t::ASK_ETA, &[]).row(buttons)], next)
            }
            None => {
                let bad = turn.t(t::BAD_MATERIAL, &[&labels::<Material>(turn.lang)]);
                ask_material(turn, request_id, quantity, &bad)
            }
        };
    };
    let days = match number(turn, &text, 1, 365) {
        Ok(d) => d,
        Err(reply) => {
            let next = Offer {
                request_id,
                quantity: Some(quantity),
                material: Some(material),
            };
            return ask(vec![reply], next);
        }
    };
    let account = match again(turn, Gate::Maker).await? {
        Ok(a) => a,
        Err(refused) => return refused,
    };
    let draft = OfferDraft {
        request_id,
        quantity,
        material,
        eta_days: days,
    };
    match turn.market().create_proposal(&account, draft).await {
        Ok(p) => done(vec![
            turn.say(t::OFFER_SENT, &[&p.quantity.to_string(), &p.product]),
        ]),
        Err(e) => super::refusal(turn, e),
    }
}
