//! `/facility`: node staff and admins list, create and change their facility listings from
//! the chat. `/facility new` is a guided dialogue (kind, name, location, phone); changes are
//! one line each: `/facility ID phone …`, `hours …`, `name …`, `blood O- 12`, `retract`.

use super::directory::{KINDS, Typed, blood_group, typed_place};
use super::{Answer, Gate, Step, ask, done, gate, id_arg, number};
use crate::engine::Turn;
use crate::lang::Key;
use crate::port::{FacilityChange, FacilityDraft};
use crate::reply::{Button, Reply};
use crate::session::Dialogue;

/// `/facility`, `/facility new`, `/facility ID FIELD VALUE`.
pub(super) async fn start(turn: &Turn<'_>, args: &str) -> Step {
    let account = match gate(turn, Gate::Staff).await? {
        Ok(a) => a,
        Err(reply) => return done(vec![reply]),
    };
    let mut words = args.split_whitespace();
    match words.next() {
        None => list(turn).await,
        Some(w) if w.eq_ignore_ascii_case("new") => ask_kind(turn, None),
        Some(id) => {
            let Some(id) = id_arg(id) else {
                return done(vec![turn.say(Key::FacilityUsage, &[])]);
            };
            let field = words.next().unwrap_or("").to_lowercase();
            let rest: Vec<&str> = words.collect();
            match change(turn, &field, &rest) {
                Ok(change) => {
                    let f = turn.port().update_facility(&account, &id, change).await?;
                    done(vec![turn.say(Key::FacilityChanged, &[&f.name, &field])])
                }
                Err(reply) => done(vec![reply]),
            }
        }
    }
}

/// This node's listings, with how to change them.
async fn list(turn: &Turn<'_>) -> Step {
    let facilities = turn.port().local_facilities().await?;
    let mut lines = vec![turn.t(Key::FacilityList, &[])];
    lines.extend(
        facilities
            .iter()
            .map(|f| format!("• {} ({}) – {}", f.name, f.kind, f.id)),
    );
    lines.push(turn.t(Key::FacilityUsage, &[]));
    let new = Button::command(turn.t(Key::FacilityNewButton, &[]), "/facility new");
    done(vec![Reply::text(lines.join("\n")).row(vec![new])])
}

/// One typed change, or the reply that explains the form.
fn change(turn: &Turn<'_>, field: &str, rest: &[&str]) -> Result<FacilityChange, Reply> {
    let text = rest.join(" ");
    match field {
        "phone" | "contact" if !text.is_empty() => Ok(FacilityChange::Contact(text)),
        "hours" if !text.is_empty() => Ok(FacilityChange::Hours(text)),
        "name" if !text.is_empty() => Ok(FacilityChange::Name(text)),
        "retract" | "remove" | "delete" => Ok(FacilityChange::Retract),
        "blood" => {
            let (Some(group), Some(units)) = (
                rest.first().and_then(|g| blood_group(g)),
                rest.get(1).map(|n| number(turn, n, 0, 100_000)),
            ) else {
                return Err(turn.say(Key::BloodStockUsage, &[]));
            };
            Ok(FacilityChange::BloodStock {
                group,
                units: units?,
            })
        }
        _ => Err(turn.say(Key::FacilityUsage, &[])),
    }
}

fn ask_kind(turn: &Turn<'_>, first: Option<Reply>) -> Step {
    let buttons = KINDS
        .iter()
        .map(|k| Button::answer(k.replace('_', " "), "listing-kind", k))
        .collect();
    let mut replies: Vec<Reply> = first.into_iter().collect();
    replies.push(turn.say(Key::AskListingKind, &[]).grid(buttons, 2));
    ask(
        replies,
        Dialogue::Listing {
            kind: None,
            name: None,
            at: None,
        },
    )
}

/// One answer of the `/facility new` dialogue.
pub(super) async fn step(
    turn: &Turn<'_>,
    kind: Option<String>,
    name: Option<String>,
    at: Option<(f64, f64)>,
    answer: Answer,
) -> Step {
    let text = match &answer {
        Answer::Text(t) => t.trim().to_owned(),
        _ => String::new(),
    };
    let Some(kind) = kind else {
        let wanted = text.to_lowercase().replace(' ', "_");
        return match KINDS.iter().find(|k| **k == wanted) {
            Some(k) => ask(
                vec![turn.say(Key::AskListingName, &[])],
                Dialogue::Listing {
                    kind: Some((*k).to_owned()),
                    name: None,
                    at: None,
                },
            ),
            None => ask_kind(turn, Some(turn.say(Key::BadChoice, &[]))),
        };
    };
    let Some(name) = name else {
        let next = Dialogue::Listing {
            kind: Some(kind),
            name: (!text.is_empty()).then(|| text.chars().take(200).collect()),
            at: None,
        };
        let question = if matches!(next, Dialogue::Listing { name: Some(_), .. }) {
            turn.say(Key::AskListingPlace, &[])
                .with_location_request(turn.t(Key::ShareLocation, &[]))
        } else {
            turn.say(Key::AskListingName, &[])
        };
        return ask(vec![question], next);
    };
    let Some(at) = at else {
        let found = match answer {
            Answer::Location(lat, lon) if super::valid_location(lat, lon) => Some((lat, lon)),
            Answer::Text(ref t) => {
                let words: Vec<&str> = t.split_whitespace().collect();
                match typed_place(turn, &words).await? {
                    Typed::At(at, _) => Some(at),
                    Typed::Unknown(_) | Typed::Nothing => None,
                }
            }
            _ => None,
        };
        let next = Dialogue::Listing {
            kind: Some(kind),
            name: Some(name),
            at: found,
        };
        return match found {
            Some(_) => {
                let skip = Button::answer(turn.t(Key::Skip, &[]), "listing-phone", "skip");
                ask(
                    vec![turn.say(Key::AskListingPhone, &[]).row(vec![skip])],
                    next,
                )
            }
            None => ask(
                vec![
                    turn.say(Key::BadLocation, &[])
                        .with_location_request(turn.t(Key::ShareLocation, &[])),
                ],
                next,
            ),
        };
    };
    let contact = match answer {
        Answer::Skip => String::new(),
        _ if text.eq_ignore_ascii_case("skip") => String::new(),
        _ => text,
    };
    let account = match gate(turn, Gate::Staff).await? {
        Ok(a) => a,
        Err(reply) => return done(vec![reply]),
    };
    let draft = FacilityDraft {
        kind,
        name,
        lat: at.0,
        lon: at.1,
        contact,
    };
    let f = turn.port().create_facility(&account, draft).await?;
    done(vec![turn.say(Key::FacilityCreated, &[&f.name, &f.id])])
}
