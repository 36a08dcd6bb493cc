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

/// Blood groups `/blood` understands.
const BLOOD_GROUPS: [&str; 8] = ["O-", "O+", "A-", "A+", "B-", "B+", "AB-", "AB+"];

fn ask_where(
    turn: &Turn<'_>,
    kind: Option<String>,
    blood: Option<String>,
    first: Option<Reply>,
) -> Step {
    let mut replies: Vec<Reply> = first.into_iter().collect();
    replies.push(
        turn.say(Key::AskNearby, &[])
            .with_location_request(turn.t(Key::ShareLocation, &[])),
    );
    ask(replies, Dialogue::Nearby { kind, blood })
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
        Some(at) => nearby_at(turn, at, kind.as_deref(), None).await,
        None => ask_where(turn, kind, None, None),
    }
}

/// `/blood O-`: blood banks with that group in stock, near a location.
pub(super) async fn blood(turn: &Turn<'_>, args: &str) -> Step {
    let group = args
        .split_whitespace()
        .map(|w| {
            let w = w
                .to_uppercase()
                .replace("POSITIVE", "+")
                .replace("NEGATIVE", "-");
            w.strip_suffix("VE").map(str::to_owned).unwrap_or(w)
        })
        .find(|w| BLOOD_GROUPS.contains(&w.as_str()));
    let Some(group) = group else {
        return done(vec![turn.say(Key::BloodUsage, &[])]);
    };
    let typed = args.split_whitespace().find_map(parse_location);
    match typed {
        Some(at) => nearby_at(turn, at, Some("blood_bank"), Some(&group)).await,
        None => ask_where(turn, Some("blood_bank".into()), Some(group), None),
    }
}

/// `/services NAME`: a facility's services and prices.
pub(super) async fn services(turn: &Turn<'_>, args: &str) -> Step {
    let name = args.trim();
    if name.is_empty() {
        return done(vec![turn.say(Key::ServicesUsage, &[])]);
    }
    match turn.port().services(name).await? {
        Some(info) if !info.services.is_empty() => {
            let mut lines = vec![turn.t(Key::ServicesHeader, &[&info.facility])];
            lines.extend(
                info.services
                    .iter()
                    .map(|(s, price, currency)| turn.t(Key::ServiceLine, &[s, price, currency])),
            );
            done(vec![Reply::text(lines.join("\n"))])
        }
        _ => done(vec![turn.say(Key::NoServices, &[name])]),
    }
}

pub(super) async fn nearby_step(
    turn: &Turn<'_>,
    kind: Option<String>,
    blood: Option<String>,
    answer: Answer,
) -> Step {
    match location_answer(&answer) {
        Ok(Some(at)) => nearby_at(turn, at, kind.as_deref(), blood.as_deref()).await,
        _ => ask_where(turn, kind, blood, Some(turn.say(Key::BadLocation, &[]))),
    }
}

pub(super) async fn nearby_at(
    turn: &Turn<'_>,
    at: (f64, f64),
    kind: Option<&str>,
    blood: Option<&str>,
) -> Step {
    let found = match blood {
        Some(group) => turn.port().blood(at, group, 10).await?,
        None => turn.port().nearby(at, kind, 10).await?,
    };
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
