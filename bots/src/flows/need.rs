//! `/need`: a guided dialogue that posts a need: product from the catalog, quantity,
//! needed within how many days, and the facility.

use super::{Answer, Gate, Step, ask, done, gate, number};
use crate::engine::Turn;
use crate::lang::Key;
use crate::port::{FacilityInfo, NeedDraft, PortResult, Product};
use crate::reply::{Button, Reply};
use crate::session::Dialogue;

const DAY_MS: i64 = 86_400_000;

async fn ask_product(turn: &Turn<'_>, first: Reply) -> Step {
    let buttons = turn
        .port()
        .products()
        .await?
        .into_iter()
        .map(|p| Button::answer(p.name, "product", p.slug))
        .collect();
    let next = Dialogue::Need {
        product: None,
        quantity: None,
        needed_by: None,
    };
    ask(vec![first.grid(buttons, 2)], next)
}

pub(super) async fn start(turn: &Turn<'_>) -> Step {
    match gate(turn, Gate::Requester).await? {
        Ok(_) => ask_product(turn, turn.say(Key::AskProduct, &[])).await,
        Err(reply) => done(vec![reply]),
    }
}

fn find_product<'a>(products: &'a [Product], text: &str) -> Option<&'a Product> {
    let t = text.trim().to_lowercase();
    products
        .iter()
        .find(|p| p.slug == t || p.name.to_lowercase() == t)
}

fn find_facility<'a>(facilities: &'a [FacilityInfo], text: &str) -> Option<&'a FacilityInfo> {
    let t = text.trim();
    facilities
        .iter()
        .find(|f| f.id == t || f.name.eq_ignore_ascii_case(t))
}

pub(super) async fn step(
    turn: &Turn<'_>,
    product: Option<String>,
    quantity: Option<u32>,
    needed_by: Option<Option<i64>>,
    answer: Answer,
) -> Step {
    let text = answer.as_text();
    let Some(product) = product else {
        let products = turn.port().products().await?;
        return match find_product(&products, &text) {
            Some(p) => {
                let next = Dialogue::Need {
                    product: Some(p.slug.clone()),
                    quantity: None,
                    needed_by: None,
                };
                ask(vec![turn.say(Key::AskQuantity, &[])], next)
            }
            None => {
                let shown: String = text.chars().take(40).collect();
                ask_product(turn, turn.say(Key::BadProduct, &[&shown])).await
            }
        };
    };
    let Some(quantity) = quantity else {
        return match number(turn, &text, 1, 10_000_000) {
            Ok(q) => ask_needed_by(turn, product, q),
            Err(reply) => ask(
                vec![reply],
                Dialogue::Need {
                    product: Some(product),
                    quantity: None,
                    needed_by: None,
                },
            ),
        };
    };
    let Some(needed_by) = needed_by else {
        let by = if text.eq_ignore_ascii_case("skip") {
            None
        } else {
            match number(turn, &text, 1, 365) {
                Ok(days) => Some(turn.port().now_ms() + i64::from(days) * DAY_MS),
                Err(reply) => {
                    return ask(
                        vec![reply],
                        Dialogue::Need {
                            product: Some(product),
                            quantity: Some(quantity),
                            needed_by: None,
                        },
                    );
                }
            }
        };
        return ask_facility(turn, product, quantity, by, None).await;
    };
    ask_facility(turn, product, quantity, needed_by, Some(&text)).await
}

fn ask_needed_by(turn: &Turn<'_>, product: String, quantity: u32) -> Step {
    let buttons = ["3", "7", "14", "30"]
        .iter()
        .map(|d| Button::answer(*d, "need-by", d))
        .chain([Button::answer(turn.t(Key::Skip, &[]), "need-by", "skip")])
        .collect();
    let next = Dialogue::Need {
        product: Some(product),
        quantity: Some(quantity),
        needed_by: None,
    };
    ask(vec![turn.say(Key::AskNeededBy, &[]).row(buttons)], next)
}

/// Posts the need when the facility is known (chosen, or the only one); else asks for it.
async fn ask_facility(
    turn: &Turn<'_>,
    product: String,
    quantity: u32,
    needed_by: Option<i64>,
    chosen: Option<&str>,
) -> Step {
    let facilities = turn.port().local_facilities().await?;
    let pick = match (facilities.len(), chosen) {
        (0, _) => return done(vec![turn.say(Key::NoFacility, &[])]),
        (1, _) => facilities.first(),
        (_, Some(text)) => find_facility(&facilities, text),
        (_, None) => None,
    };
    let Some(facility) = pick else {
        let buttons = facilities
            .iter()
            .take(30)
            .map(|f| Button::answer(&f.name, "facility", &f.id))
            .collect();
        let first = if chosen.is_some() {
            Key::BadChoice
        } else {
            Key::AskFacility
        };
        let next = Dialogue::Need {
            product: Some(product),
            quantity: Some(quantity),
            needed_by: Some(needed_by),
        };
        return ask(vec![turn.say(first, &[]).grid(buttons, 1)], next);
    };
    post(
        turn,
        NeedDraft {
            product,
            quantity,
            needed_by,
            facility_id: facility.id.clone(),
        },
    )
    .await
}

async fn post(turn: &Turn<'_>, draft: NeedDraft) -> Step {
    let account = match gate(turn, Gate::Requester).await? {
        Ok(a) => a,
        Err(reply) => return done(vec![reply]),
    };
    match turn.port().create_request(&account, draft).await {
        Ok(r) => {
            let qty = r.quantity.to_string();
            done(vec![turn.say(
                Key::NeedPosted,
                &[&r.product, &qty, &r.facility_name, &r.id],
            )])
        }
        Err(e) => super::refusal(turn, e),
    }
}

/// Every product, for `/subscribe`.
pub(super) async fn products(turn: &Turn<'_>) -> PortResult<Vec<Product>> {
    turn.port().products().await
}
