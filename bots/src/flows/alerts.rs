//! `/subscribe` (radius in km, products, a location) and `/mute`.

use super::place::{self, Where};
use serde::{Deserialize, Serialize};

use super::{Answer, Gate, Question, Step, again, ask, done};
use crate::engine::Turn;
use crate::lang::words::ALL;
use crate::lang::{Text, market as t};
use crate::port::{Account, PortResult, Subscription};
use crate::reply::Button;

/// What `/subscribe` has so far: radius, products, then a location if none is known.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct Subscribing {
    radius_km: Option<f64>,
    products: Option<Vec<String>>,
}

impl Question for Subscribing {
    fn tag(&self) -> &'static str {
        match self {
            Subscribing {
                radius_km: None, ..
            } => "radius",
            Subscribing { products: None, .. } => "products",
            Subscribing { .. } => "sub-loc",
        }
    }
}

const MAX_RADIUS_KM: f64 = 20_000.0;

fn parse_radius(text: &str) -> Option<f64> {
    let t = text.trim().trim_end_matches("km").trim();
    t.parse::<f64>()
        .ok()
        .filter(|r| r.is_finite() && (1.0..=MAX_RADIUS_KM).contains(r))
}

/// Product slugs from a comma or space separated list; `None` if one is unknown.
async fn parse_products(turn: &Turn<'_>, text: &str) -> PortResult<Option<Vec<String>>> {
    let t = text.trim().to_lowercase();
    if t.is_empty() || ALL.matches(&t) {
        return Ok(Some(Vec::new()));
    }
    let known = turn.market().products().await?;
    let mut out = Vec::new();
    for word in t.split([',', ' ']).filter(|w| !w.is_empty()) {
        match known.iter().find(|p| p.slug == word) {
            Some(p) => out.push(p.slug.clone()),
            None => return Ok(None),
        }
    }
    Ok(Some(out))
}

fn ask_radius(turn: &Turn<'_>, first: Text) -> Step {
    let buttons = ["10", "25", "50", "100"]
        .iter()
        .map(|r| Button::answer(format!("{r} km"), "radius", r))
        .collect();
    ask(
        vec![turn.say(first, &[]).row(buttons)],
        Subscribing::default(),
    )
}

fn ask_products(turn: &Turn<'_>, radius_km: f64) -> Step {
    let all = Button::answer(turn.t(t::ALL_PRODUCTS, &[]), "products", "all");
    let next = Subscribing {
        radius_km: Some(radius_km),
        products: None,
    };
    ask(vec![turn.say(t::ASK_PRODUCTS, &[]).row(vec![all])], next)
}

pub(crate) async fn start(turn: &Turn<'_>, account: Account, args: &str) -> Step {
    if args.trim().is_empty() {
        if let Some(mut sub) = turn
            .market()
            .subscription(&account)
            .await?
            .filter(|s| s.muted)
        {
            sub.muted = false;
            turn.market().set_subscription(&account, sub).await?;
            return done(vec![turn.say(t::UNMUTED, &[])]);
        }
        return ask_radius(turn, t::ASK_RADIUS);
    }
    let (first, rest) = args.trim().split_once(' ').unwrap_or((args.trim(), ""));
    let Some(radius) = parse_radius(first) else {
        return ask_radius(turn, t::BAD_RADIUS);
    };
    if rest.trim().is_empty() {
        return ask_products(turn, radius);
    }
    match parse_products(turn, rest).await? {
        Some(products) => finish(turn, &account, radius, products, None).await,
        None => ask_products(turn, radius),
    }
}

pub(crate) async fn step(turn: &Turn<'_>, state: Subscribing, answer: Answer) -> Step {
    let Subscribing {
        radius_km,
        products,
    } = state;
    let account = match again(turn, Gate::Maker).await? {
        Ok(a) => a,
        Err(refused) => return refused,
    };
    let text = match &answer {
        Answer::Text(t) => t.clone(),
        _ => String::new(),
    };
    let Some(radius) = radius_km else {
        return match parse_radius(&text) {
            Some(r) => ask_products(turn, r),
            None => ask_radius(turn, t::BAD_RADIUS),
        };
    };
    let Some(products) = products else {
        return match parse_products(turn, &text).await? {
            Some(p) => finish(turn, &account, radius, p, None).await,
            None => ask_products(turn, radius),
        };
    };
    match place::answer(turn, &answer).await? {
        Where::At(at, _) => finish(turn, &account, radius, products, Some(at)).await,
        said => {
            let next = Subscribing {
                radius_km: Some(radius),
                products: Some(products),
            };
            let mut step = super::account::ask_location(turn, next)?;
            step.0.insert(0, place::not_understood(turn, &said));
            Ok(step)
        }
    }
}

async fn finish(
    turn: &Turn<'_>,
    account: &Account,
    radius_km: f64,
    products: Vec<String>,
    at: Option<(f64, f64)>,
) -> Step {
    let Some(location) = at.or(account.location) else {
        let next = Subscribing {
            radius_km: Some(radius_km),
            products: Some(products),
        };
        return super::account::ask_location(turn, next);
    };
    if at.is_some() {
        turn.accounts().set_location(account, location).await?;
    }
    let shown = if products.is_empty() {
        turn.t(t::ALL_PRODUCTS, &[])
    } else {
        products.join(", ")
    };
    let sub = Subscription {
        radius_km,
        products,
        location,
        muted: false,
    };
    turn.market().set_subscription(account, sub).await?;
    done(vec![
        turn.say(t::SUBSCRIBED, &[&format!("{radius_km:.0}"), &shown]),
    ])
}

pub(crate) async fn mute(turn: &Turn<'_>, account: Account) -> Step {
    match turn.market().subscription(&account).await? {
        Some(mut sub) => {
            sub.muted = true;
            turn.market().set_subscription(&account, sub).await?;
            done(vec![turn.say(t::MUTED, &[])])
        }
        None => done(vec![turn.say(t::NO_SUBSCRIPTION, &[])]),
    }
}
