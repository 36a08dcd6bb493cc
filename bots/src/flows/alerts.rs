//! `/subscribe` (radius in km, products, a location) and `/mute`.

use super::account::{ask_location, location_answer};
use super::{Answer, Gate, Step, ask, done, gate};
use crate::engine::Turn;
use crate::lang::Key;
use crate::port::Account;
use crate::reply::Button;
use crate::session::Dialogue;
use crate::subscribers::Subscription;

const MAX_RADIUS_KM: f64 = 20_000.0;

fn parse_radius(text: &str) -> Option<f64> {
    let t = text.trim().trim_end_matches("km").trim();
    t.parse::<f64>()
        .ok()
        .filter(|r| r.is_finite() && (1.0..=MAX_RADIUS_KM).contains(r))
}

/// Product slugs from a comma or space separated list; `None` if one is unknown.
async fn parse_products(
    turn: &Turn<'_>,
    text: &str,
) -> crate::port::PortResult<Option<Vec<String>>> {
    let t = text.trim().to_lowercase();
    if t.is_empty() || t == "all" {
        return Ok(Some(Vec::new()));
    }
    let known = super::need::products(turn).await?;
    let mut out = Vec::new();
    for word in t.split([',', ' ']).filter(|w| !w.is_empty()) {
        match known.iter().find(|p| p.slug == word) {
            Some(p) => out.push(p.slug.clone()),
            None => return Ok(None),
        }
    }
    Ok(Some(out))
}

fn ask_radius(turn: &Turn<'_>, first: Key) -> Step {
    let buttons = ["10", "25", "50", "100"]
        .iter()
        .map(|r| Button::answer(format!("{r} km"), "radius", r))
        .collect();
    let next = Dialogue::Subscribe {
        radius_km: None,
        products: None,
    };
    ask(vec![turn.say(first, &[]).row(buttons)], next)
}

fn ask_products(turn: &Turn<'_>, radius_km: f64, first: Key) -> Step {
    let all = Button::answer(turn.t(Key::AllProducts, &[]), "products", "all");
    let next = Dialogue::Subscribe {
        radius_km: Some(radius_km),
        products: None,
    };
    ask(vec![turn.say(first, &[]).row(vec![all])], next)
}

pub(super) async fn start(turn: &Turn<'_>, args: &str) -> Step {
    let account = match gate(turn, Gate::Maker).await? {
        Ok(a) => a,
        Err(reply) => return done(vec![reply]),
    };
    if args.trim().is_empty() {
        if let Some(mut sub) = turn
            .port()
            .subscription(&account)
            .await?
            .filter(|s| s.muted)
        {
            sub.muted = false;
            turn.port().set_subscription(&account, sub).await?;
            return done(vec![turn.say(Key::Unmuted, &[])]);
        }
        return ask_radius(turn, Key::AskRadius);
    }
    let (first, rest) = args.trim().split_once(' ').unwrap_or((args.trim(), ""));
    let Some(radius) = parse_radius(first) else {
        return ask_radius(turn, Key::BadRadius);
    };
    if rest.trim().is_empty() {
        return ask_products(turn, radius, Key::AskProducts);
    }
    match parse_products(turn, rest).await? {
        Some(products) => finish(turn, &account, radius, products, None).await,
        None => ask_products(turn, radius, Key::AskProducts),
    }
}

pub(super) async fn step(
    turn: &Turn<'_>,
    radius_km: Option<f64>,
    products: Option<Vec<String>>,
    answer: Answer,
) -> Step {
    let account = match gate(turn, Gate::Maker).await? {
        Ok(a) => a,
        Err(reply) => return done(vec![reply]),
    };
    let text = match &answer {
        Answer::Text(t) => t.clone(),
        _ => String::new(),
    };
    let Some(radius) = radius_km else {
        return match parse_radius(&text) {
            Some(r) => ask_products(turn, r, Key::AskProducts),
            None => ask_radius(turn, Key::BadRadius),
        };
    };
    let Some(products) = products else {
        return match parse_products(turn, &text).await? {
            Some(p) => finish(turn, &account, radius, p, None).await,
            None => ask_products(turn, radius, Key::AskProducts),
        };
    };
    match location_answer(&answer) {
        Ok(Some(at)) => finish(turn, &account, radius, products, Some(at)).await,
        _ => {
            let next = Dialogue::Subscribe {
                radius_km: Some(radius),
                products: Some(products),
            };
            let mut step = ask_location(turn, "sub-loc", next)?;
            step.0.insert(0, turn.say(Key::BadLocation, &[]));
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
        let next = Dialogue::Subscribe {
            radius_km: Some(radius_km),
            products: Some(products),
        };
        return ask_location(turn, "sub-loc", next);
    };
    if at.is_some() {
        turn.port()
            .set_location(account, location.0, location.1)
            .await?;
    }
    let shown = if products.is_empty() {
        turn.t(Key::AllProducts, &[])
    } else {
        products.join(", ")
    };
    let sub = Subscription {
        radius_km,
        products,
        location,
        muted: false,
    };
    turn.port().set_subscription(account, sub).await?;
    done(vec![
        turn.say(Key::Subscribed, &[&format!("{radius_km:.0}"), &shown]),
    ])
}

pub(super) async fn mute(turn: &Turn<'_>) -> Step {
    let account = match gate(turn, Gate::Member).await? {
        Ok(a) => a,
        Err(reply) => return done(vec![reply]),
    };
    match turn.port().subscription(&account).await? {
        Some(mut sub) => {
            sub.muted = true;
            turn.port().set_subscription(&account, sub).await?;
            done(vec![turn.say(Key::Muted, &[])])
        }
        None => done(vec![turn.say(Key::NoSubscription, &[])]),
    }
}
