//! `/nearby` (facilities near a shared or typed location), `/symptoms` and `/stats`.

use super::account::location_answer;
use super::{Answer, Step, ask, done, km, parse_location};
use crate::engine::Turn;
use crate::lang::Key;
use crate::reply::Reply;
use crate::session::Dialogue;

/// Facility kinds people may filter by.
const KINDS: [&str; 7] = [
    "hospital",
    "clinic",
    "nursing_home",
    "lab",
    "pharmacy",
    "blood_bank",
    "maker_hub",
];

fn ask_where(turn: &Turn<'_>, kind: Option<String>, first: Option<Reply>) -> Step {
    let mut replies: Vec<Reply> = first.into_iter().collect();
    replies.push(
        turn.say(Key::AskNearby, &[])
            .with_location_request(turn.t(Key::ShareLocation, &[])),
    );
    ask(replies, Dialogue::Nearby { kind })
}

pub(super) async fn nearby(turn: &Turn<'_>, args: &str) -> Step {
    let kind = args
        .split_whitespace()
        .map(str::to_lowercase)
        .find(|w| KINDS.contains(&w.as_str()));
    let typed = args
        .split_whitespace()
        .find_map(parse_location)
        .or_else(|| parse_location(args));
    match typed {
        Some(at) => nearby_at(turn, at, kind.as_deref()).await,
        None => ask_where(turn, kind, None),
    }
}

pub(super) async fn nearby_step(turn: &Turn<'_>, kind: Option<String>, answer: Answer) -> Step {
    match location_answer(&answer) {
        Ok(Some(at)) => nearby_at(turn, at, kind.as_deref()).await,
        _ => ask_where(turn, kind, Some(turn.say(Key::BadLocation, &[]))),
    }
}

pub(super) async fn nearby_at(turn: &Turn<'_>, at: (f64, f64), kind: Option<&str>) -> Step {
    let found = turn.port().nearby(at, kind, 10).await?;
    if found.is_empty() {
        return done(vec![turn.say(Key::NoNearby, &[])]);
    }
    let lines: Vec<String> = found
        .iter()
        .map(|f| {
            turn.t(
                Key::NearbyLine,
                &[&f.name, &f.kind, &km(turn, f.distance_km), &f.contact],
            )
        })
        .collect();
    done(vec![Reply::text(lines.join("\n"))])
}

pub(super) async fn symptoms(turn: &Turn<'_>, args: &str) -> Step {
    if args.trim().is_empty() {
        return ask(vec![turn.say(Key::AskSymptoms, &[])], Dialogue::Symptoms);
    }
    assess(turn, args).await
}

pub(super) async fn symptoms_step(turn: &Turn<'_>, answer: Answer) -> Step {
    match answer {
        Answer::Text(t) if !t.trim().is_empty() => assess(turn, &t).await,
        _ => ask(vec![turn.say(Key::AskSymptoms, &[])], Dialogue::Symptoms),
    }
}

async fn assess(turn: &Turn<'_>, text: &str) -> Step {
    match turn.port().symptoms(text).await? {
        Some(t) => done(vec![turn.say(
            Key::SymptomsAnswer,
            &[&t.urgency, &t.specialties.join(", "), &t.advice],
        )]),
        None => done(vec![turn.say(Key::NoTriage, &[])]),
    }
}

/// A bar of at most 10 blocks for `part` of `whole`.
fn bar(part: u64, whole: u64) -> String {
    let filled = (part.min(whole) * 10).checked_div(whole).unwrap_or(0) as usize;
    format!("{}{}", "█".repeat(filled), "░".repeat(10 - filled))
}

pub(super) async fn stats(turn: &Turn<'_>) -> Step {
    let rows = turn.port().stats().await?;
    if rows.is_empty() {
        return done(vec![turn.say(Key::NoStats, &[])]);
    }
    let mut lines = vec![turn.t(Key::StatsHeader, &[])];
    for r in rows {
        let chart = bar(r.received, r.needed);
        lines.push(turn.t(
            Key::StatsLine,
            &[
                &r.product,
                &r.needed.to_string(),
                &r.accepted.to_string(),
                &r.received.to_string(),
                &chart,
            ],
        ));
    }
    done(vec![Reply::text(lines.join("\n"))])
}
