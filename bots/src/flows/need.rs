//! `/need`: a guided dialogue that posts a need: product from the catalog, quantity,
//! needed within how many days, and the facility.

use super::{Answer, Gate, Step, again, ask, done, number};
use crate::engine::Turn;
use crate::lang::{common, market as t};
use crate::port::{FacilityInfo, NeedDraft, Product};
use crate::reply::{Button, Reply};
use crate::session::Dialogue;

async fn ask_product(turn: &Turn<'_>, first: Reply) -> Step {
    let buttons = turn
        .market()
        .products()
        .await?
        .into_iter()
        .map(|p| Button::answer(p.name, "product", p.slug))
        .collect();
    let next = Dialogue::Need {
        product: None,
        quantity: None,
        within_days: None,
    };
    ask(vec![first.grid(buttons, 2)], next)
}

pub(crate) async fn start(turn: &Turn<'_>) -> Step {
    ask_product(turn, turn.say(t::ASK_PRODUCT, &[])).await
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

pub(crate) async fn step(
    turn: &Turn<'_>,
    product: Option<String>,
    quantity: Option<u32>,
    within_days: Option<Option<u32>>,
    answer: Answer,
) -> Step {
    let text = answer.as_text();
    let Some(product) = product else {
        let products = turn.market().products().await?;
        return match find_product(&products, &text) {
            Some(p) => {
                let next = Dialogue::Need {
                    product: Some(p.slug.clone()),
                    quantity: None,
                    within_days: None,
                };
                ask(vec![turn.say(t::ASK_QUANTITY, &[])], next)
            }
            None => {
                let shown: String = text.chars().take(40).collect();
                ask_product(turn, turn.say(t::BAD_PRODUCT, &[&shown])).await
            }
        };
    };
    let Some(quantity) = quantity else {
        return match number(turn, &text, 1, 10_000_000) {
            Ok(q) => ask_within_days(turn, product, q),
            Err(reply) => ask(
                vec![reply],
                Dialogue::Need {
                    product: Some(product),
                    quantity: None,
                    within_days: None,
                },
            ),
        };
    };
    let Some(within_days) = within_days else {
        let by = if answer.is_skip() {
            None
        } else {
            match number(turn, &text, 1, 365) {
                Ok(days) => Some(days),
                Err(reply) => {
                    return ask(
                        vec![reply],
                        Dialogue::Need {
                            product: Some(product),
                            quantity: Some(quantity),
                            within_days: None,
                        },
                    );
                }
            }
        };
        return ask_facility(turn, product, quantity, by, None).await;
    };
    ask_facility(turn, product, quantity, within_days, Some(&text)).await
}

fn ask_within_days(turn: &Turn<'_>, product: String, quantity: u32) -> Step {
    let buttons = ["3", "7", "14", "30"]
        .iter()
        .map(|d| Button::answer(*d, "need-by", d))
        .chain([Button::answer(turn.t(common::SKIP, &[]), "need-by", "skip")])
        .collect();
    let next = Dialogue::Need {
        product: Some(product),
        quantity: Some(quantity),
        within_days: None,
    };
    ask(vec![turn.say(t::ASK_NEEDED_BY, &[]).row(buttons)], next)
}

/// Posts the need when the facility is known (chosen, or the only one); else asks for it.
async fn ask_facility(
    turn: &Turn<'_>,
    product: String,
    quantity: u32,
    within_days: Option<u32>,
    chosen: Option<&str>,
) -> Step {
    let facilities = turn.listings().local_facilities().await?;
    let pick = match (facilities.len(), chosen) {
        (0, _) => return done(vec![turn.say(t::NO_FACILITY, &[])]),
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
            common::BAD_CHOICE
        } else {
            t::ASK_FACILITY
        };
        let next = Dialogue::Need {
            product: Some(product),
            quantity: Some(quantity),
            within_days: Some(within_days),
        };
        return ask(vec![turn.say(first, &[]).grid(buttons, 1)], next);
    };
    post(
        turn,
        NeedDraft {
            product,
            quantity,
            within_days,
            facility_id: facility.id.clone(),
        },
    )
    .await
}

async fn post(turn: &Turn<'_>, draft: NeedDraft) -> Step {
    let account = match again(turn, Gate::Requester).await? {
        Ok(a) => a,
        Err(refused) => return refused,
    };
    match turn.market().create_request(&account, draft).await {
        Ok(r) => {
            let qty = r.quantity.to_string();
            done(vec![turn.say(
                t::NEED_POSTED,
                &[&r.product, &qty, &r.facility_name, &r.id],
            )])
        }
        Err(e) => super::refusal(turn, e),
    }
}
