//! `/nearby` and `/blood` (facilities near a shared location, typed coordinates or a typed
//! place), `/map`, `/services`, `/symptoms` and `/stats`.

use super::account::location_answer;
use super::{Answer, Step, ask, done, id_arg, km, parse_location};
use crate::engine::Turn;
use crate::lang::Key;
use crate::port::{FacilityInfo, PortResult};
use crate::reply::{Button, Pin, Reply};
use crate::session::Dialogue;

/// Facility kinds people may filter by (and list), as the node spells them.
pub(super) const KINDS: [&str; 7] = [
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

/// Words around a place name that are not part of it ("hospital near Pune", "पुणे में").
const FILLER: [&str; 12] = [
    "near",
    "in",
    "at",
    "around",
    "me",
    "nearby",
    "closest",
    "nearest",
    "के",
    "पास",
    "में",
    "blood",
];

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

/// Where a person said, in typed words.
pub(super) enum Typed {
    /// Coordinates, or a known place (with its name).
    At((f64, f64), Option<String>),
    /// A place the gazetteer does not know.
    Unknown(String),
    /// Nothing that names a place.
    Nothing,
}

/// Coordinates in `words`, else the place they name (filler words dropped).
pub(super) async fn typed_place(turn: &Turn<'_>, words: &[&str]) -> PortResult<Typed> {
    if let Some(at) = words
        .iter()
        .copied()
        .find_map(parse_location)
        .or_else(|| parse_location(&words.join(" ")))
    {
        return Ok(Typed::At(at, None));
    }
    let text = words
        .iter()
        .copied()
        .filter(|w| !FILLER.contains(&w.to_lowercase().as_str()))
        .collect::<Vec<_>>()
        .join(" ");
    if text.is_empty() {
        return Ok(Typed::Nothing);
    }
    Ok(match turn.port().place(&text).await? {
        Some(place) => Typed::At((place.lat, place.lon), Some(place.name)),
        None => Typed::Unknown(text),
    })
}

/// Searches at the place typed in `words`, or asks where.
async fn at_typed_place(
    turn: &Turn<'_>,
    words: &[&str],
    kind: Option<String>,
    blood: Option<String>,
) -> Step {
    match typed_place(turn, words).await? {
        Typed::At(at, name) => nearby_at(turn, at, name, kind.as_deref(), blood.as_deref()).await,
        Typed::Nothing => ask_where(turn, kind, blood, None),
        Typed::Unknown(text) => {
            let unknown = turn.say(Key::UnknownPlace, &[&text]);
            ask_where(turn, kind, blood, Some(unknown))
        }
    }
}

/// `/nearby [kind] [place]`: facilities near a shared location, typed coordinates or a
/// typed place.
pub(super) async fn nearby(turn: &Turn<'_>, args: &str) -> Step {
    let mut kind = None;
    let mut rest = Vec::new();
    for word in args.split_whitespace() {
        let lower = word.to_lowercase();
        match KINDS.iter().find(|k| **k == lower) {
            Some(k) if kind.is_none() => kind = Some((*k).to_owned()),
            _ => rest.push(word),
        }
    }
    at_typed_place(turn, &rest, kind, None).await
}

/// A blood group as typed ("o-", "O+ve", "B negative"), normalised.
pub(super) fn blood_group(word: &str) -> Option<String> {
    let w = word
        .to_uppercase()
        .replace("POSITIVE", "+")
        .replace("NEGATIVE", "-")
        .replace("POS", "+")
        .replace("NEG", "-");
    let w = w.strip_suffix("VE").map(str::to_owned).unwrap_or(w);
    BLOOD_GROUPS.contains(&w.as_str()).then_some(w)
}

/// `/blood O- [place]`: blood banks with that group in stock, near a location. The group
/// may be one word or two ("O negative").
pub(super) async fn blood(turn: &Turn<'_>, args: &str) -> Step {
    let words: Vec<&str> = args.split_whitespace().collect();
    let mut group = None;
    let mut rest = Vec::new();
    let mut i = 0;
    while let Some(word) = words.get(i) {
        let pair = words.get(i + 1).map(|next| format!("{word}{next}"));
        match (
            group.is_none(),
            blood_group(word),
            pair.as_deref().and_then(blood_group),
        ) {
            (true, Some(g), _) => group = Some(g),
            (true, None, Some(g)) => {
                group = Some(g);
                i += 1;
            }
            _ => rest.push(*word),
        }
        i += 1;
    }
    let Some(group) = group else {
        return done(vec![turn.say(Key::BloodUsage, &[])]);
    };
    at_typed_place(turn, &rest, Some("blood_bank".into()), Some(group)).await
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
    match (&answer, location_answer(&answer)) {
        (_, Ok(Some(at))) => nearby_at(turn, at, None, kind.as_deref(), blood.as_deref()).await,
        (Answer::Text(t), _) if !t.trim().is_empty() => {
            let words: Vec<&str> = t.split_whitespace().collect();
            at_typed_place(turn, &words, kind, blood).await
        }
        _ => ask_where(turn, kind, blood, Some(turn.say(Key::BadLocation, &[]))),
    }
}

/// Results shown as cards, and pins offered.
const CARDS: usize = 10;
const PIN_BUTTONS: usize = 5;

/// The search itself: short cards (name, kind, distance, phone) with a map button for the
/// first few, then a map message for the nearest.
pub(super) async fn nearby_at(
    turn: &Turn<'_>,
    at: (f64, f64),
    place: Option<String>,
    kind: Option<&str>,
    blood: Option<&str>,
) -> Step {
    let found = match blood {
        Some(group) => turn.port().blood(at, group, CARDS).await?,
        None => turn.port().nearby(at, kind, CARDS).await?,
    };
    if found.is_empty() {
        return done(vec![turn.say(Key::NoNearby, &[])]);
    }
    let mut lines: Vec<String> = place
        .map(|p| turn.t(Key::NearPlace, &[&p]))
        .into_iter()
        .collect();
    for (i, f) in found.iter().enumerate() {
        let contact = if f.contact.is_empty() {
            turn.t(Key::Unknown, &[])
        } else {
            f.contact.clone()
        };
        lines.push(turn.t(
            Key::NearbyCard,
            &[
                &(i + 1).to_string(),
                &f.name,
                &f.kind,
                &km(turn, f.distance_km),
                &contact,
            ],
        ));
    }
    let buttons = found
        .iter()
        .take(PIN_BUTTONS)
        .enumerate()
        .map(|(i, f)| Button::command(format!("📍 {}", i + 1), format!("/map {}", f.id)))
        .collect();
    let cards = Reply::text(lines.join("\n")).row(buttons);
    done(vec![cards, pin_of(&found[0])])
}

fn pin_of(f: &FacilityInfo) -> Reply {
    Reply::pin(Pin {
        lat: f.lat,
        lon: f.lon,
        title: f.name.clone(),
        address: f.address.clone(),
    })
}

/// `/map ID`: a facility as a map message.
pub(super) async fn map(turn: &Turn<'_>, args: &str) -> Step {
    let Some(id) = id_arg(args) else {
        return done(vec![turn.say(Key::MapUsage, &[])]);
    };
    match turn.port().facility(&id).await? {
        Some(f) => done(vec![pin_of(&f)]),
        None => done(vec![turn.say(Key::NoSuchFacility, &[&id])]),
    }
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
    for r in &rows {
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
    let chart = crate::chart::stats_png(&rows);
    done(vec![
        Reply::text(lines.join("\n")),
        Reply::image(chart, "stats.png", turn.t(Key::StatsChart, &[])),
    ])
}
