//! `/need`: a guided dialogue that posts a need: product from the catalog, quantity,
//! needed within how many days, and the facility.

use serde::{Deserialize, Serialize};

use super::{Answer, Gate, Question, Step, again, ask, done, number};
use crate::engine::Turn;
use crate::lang::{common, market as t};
use crate::port::{FacilityInfo, NeedDraft, Product};
use crate::reply::{Button, Reply};

/// What `/need` has so far; the first missing field is the question it waits on.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct Need {
    product: Option<String>,
    quantity: Option<u32>,
    /// Needed within so many days; [`NO_DATE`] when the person skipped the question.
    #[serde(default)]
    within_days: Option<u32>,
}

/// `within_days` of a need with no date (a real answer is 1 or more).
const NO_DATE: u32 = 0;

impl Question for Need {
    fn tag(&self) -> &'static str {
        match self {
            Need { product: None, .. } => "product",
            Need { quantity: None, .. } => "need-qty",
            Need {
                within_days: None, ..
            } => "need-by",
            Need { .. } => "facility",
        }
    }
}

async fn ask_product(turn: &Turn<'_>, first: Reply) -> Step {
    let buttons = turn
        .market()
        .products()
        .await?
        .into_iter()
        .map(|p| Button::answer(p.name, "product", p.slug))
        .collect();
    ask(vec![first.grid(buttons, 2)], Need::default())
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

pub(crate) async fn step(turn: &Turn<'_>, need: Need, answer: Answer) -> Step {
    let text = answer.as_text();
    let Some(product) = need.product else {
        let products = turn.market().products().await?;
        return match find_product(&products, &text) {
            Some(p) => {
                let next = Need {
                    product: Some(p.slug.clone()),
                    ..Need::default()
                };
                ask(vec![turn.say(t::ASK_QUANTITY, &[])], next)
            }
            None => {
                let shown: String = text.chars().take(40).collect();
                ask_product(turn, turn.say(t::BAD_PRODUCT, &[&shown])).await
            }
        };
    };
    let Some(quantity) = need.quantity else {
        return match number(turn, &text, 1, 10_000_000) {
            Ok(q) => ask_within_days(turn, product, q),
            Err(reply) => {
                let next = Need {
                    product: Some(product),
                    ..Need::default()
                };
                ask(vec![reply], next)
            }
        };
    };
    let Some(within_days) = need.within_days else {
        let by = if answer.is_skip() {
            None
        } else {
            match number(turn, &text, 1, 365) {
                Ok(days) => Some(days),
                Err(reply) => {
                    let next = Need {
                        product: Some(product),
                        quantity: Some(quantity),
                        within_days: None,
                    };
                    return ask(vec![reply], next);
                }
            }
        };
        return ask_facility(turn, product, quantity, by, None).await;
    };
    let by = (within_days != NO_DATE).then_some(within_days);
    ask_facility(turn, product, quantity, by, Some(&text)).await
}

fn ask_within_days(turn: &Turn<'_>, product: String, quantity: u32) -> Step {
    let buttons = ["3", "7", "14", "30"]
        .iter()
        .map(|d| Button::answer(*d, "need-by", d))
        .chain([Button::answer(turn.t(common::SKIP, &[]), "need-by", "skip")])
        .collect();
    let next = Need {
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
        let next = Need {
            product: Some(product),
            quantity: Some(quantity),
            within_days: Some(within_days.unwrap_or(NO_DATE)),
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
