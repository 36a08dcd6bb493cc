//! `/facility`: node staff and admins list, create and change their facility listings from
//! the chat. `/facility new` is a guided dialogue (kind, name, location, phone); changes are
//! one line each: `/facility ID phone …`, `hours …`, `name …`, `blood O- 12`, `retract`.

use caremesh_federation::object::FacilityKind;
use caremesh_federation::vocabulary::BloodGroup;

use serde::{Deserialize, Serialize};

use super::place::{self, Where};
use super::{Answer, Gate, Question, Step, again, ask, done, id_arg, number};
use crate::engine::Turn;
use crate::lang::words::{self, ChatWord};
use crate::lang::{common, listing as t};
use crate::port::{Account, FacilityChange, FacilityDraft};
use crate::reply::{Button, Reply};

/// What `/facility new` has so far: kind, name, location, then the phone.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct Listing {
    kind: Option<FacilityKind>,
    name: Option<String>,
    at: Option<(f64, f64)>,
}

impl Question for Listing {
    fn tag(&self) -> &'static str {
        match self {
            Listing { kind: None, .. } => "listing-kind",
            Listing { name: None, .. } => "listing-name",
            Listing { at: None, .. } => "listing-loc",
            Listing { .. } => "listing-phone",
        }
    }
}

/// `/facility`, `/facility new`, `/facility ID FIELD VALUE`.
pub(crate) async fn start(turn: &Turn<'_>, account: Account, args: &str) -> Step {
    let mut words = args.split_whitespace();
    match words.next() {
        None => list(turn).await,
        Some(w) if w.eq_ignore_ascii_case("new") => ask_kind(turn, None),
        Some(id) => {
            let Some(id) = id_arg(id) else {
                return done(vec![turn.say(t::FACILITY_USAGE, &[])]);
            };
            let field = words.next().unwrap_or("").to_lowercase();
            let rest: Vec<&str> = words.collect();
            if field == "schedule" || field == "schedules" {
                return super::schedule::start(turn, account, &id, &rest).await;
            }
            match change(turn, &field, &rest) {
                Ok(change) => {
                    let f = turn.listings().update_facility(&account, &id, change);
                    let f = f.await?;
                    done(vec![turn.say(t::FACILITY_CHANGED, &[&f.name, &field])])
                }
                Err(reply) => done(vec![reply]),
            }
        }
    }
}

/// This node's listings, with how to change them.
async fn list(turn: &Turn<'_>) -> Step {
    let facilities = turn.listings().local_facilities().await?;
    let mut lines = vec![turn.t(t::FACILITY_LIST, &[])];
    lines.extend(
        facilities
            .iter()
            .map(|f| format!("• {} ({}) – {}", f.name, f.kind.as_str(), f.id)),
    );
    lines.push(turn.t(t::FACILITY_USAGE, &[]));
    let new = Button::command(turn.t(t::FACILITY_NEW_BUTTON, &[]), "/facility new");
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
            let (Some((group, named)), Some(units)) = (
                words::find::<BloodGroup>(rest),
                rest.last().map(|n| number(turn, n, 0, 100_000)),
            ) else {
                return Err(turn.say(t::BLOOD_STOCK_USAGE, &[]));
            };
            if named.end >= rest.len() {
                return Err(turn.say(t::BLOOD_STOCK_USAGE, &[]));
            }
            Ok(FacilityChange::BloodStock {
                group,
                units: units?,
            })
        }
        _ => Err(turn.say(t::FACILITY_USAGE, &[])),
    }
}

fn ask_kind(turn: &Turn<'_>, first: Option<Reply>) -> Step {
    let buttons = FacilityKind::ALL
        .iter()
        .map(|k| Button::answer(k.label(turn.lang), "listing-kind", k.as_str()))
        .collect();
    let mut replies: Vec<Reply> = first.into_iter().collect();
    replies.push(turn.say(t::ASK_LISTING_KIND, &[]).grid(buttons, 2));
    ask(replies, Listing::default())
}

/// One answer of the `/facility new` dialogue.
pub(crate) async fn step(turn: &Turn<'_>, state: Listing, answer: Answer) -> Step {
    let Listing { kind, name, at } = state;
    let text = match &answer {
        Answer::Text(t) => t.trim().to_owned(),
        _ => String::new(),
    };
    let Some(kind) = kind else {
        return match FacilityKind::parse(&text) {
            Some(k) => ask(
                vec![turn.say(t::ASK_LISTING_NAME, &[])],
                Listing {
                    kind: Some(k),
                    ..Listing::default()
                },
            ),
            None => ask_kind(turn, Some(turn.say(common::BAD_CHOICE, &[]))),
        };
    };
    let Some(name) = name else {
        let next = Listing {
            kind: Some(kind),
            name: (!text.is_empty()).then(|| text.chars().take(200).collect()),
            at: None,
        };
        let question = if next.name.is_some() {
            turn.say(t::ASK_LISTING_PLACE, &[])
                .with_location_request(turn.t(common::SHARE_LOCATION, &[]))
        } else {
            turn.say(t::ASK_LISTING_NAME, &[])
        };
        return ask(vec![question], next);
    };
    let Some(at) = at else {
        return ask_phone(turn, kind, name, &answer).await;
    };
    let contact = if answer.is_skip() {
        String::new()
    } else {
        text
    };
    let account = match again(turn, Gate::Staff).await? {
        Ok(a) => a,
        Err(refused) => return refused,
    };
    let draft = FacilityDraft {
        kind,
        name,
        lat: at.0,
        lon: at.1,
        contact,
    };
    let f = turn.listings().create_facility(&account, draft).await?;
    done(vec![turn.say(t::FACILITY_CREATED, &[&f.name, &f.id])])
}

/// Reads where the new listing is; asks for its phone once known, else again where.
async fn ask_phone(turn: &Turn<'_>, kind: FacilityKind, name: String, answer: &Answer) -> Step {
    let found = match place::answer(turn, answer).await? {
        Where::At(at, _) => Some(at),
        Where::Unknown(_) | Where::Nothing | Where::Skipped => None,
    };
    let next = Listing {
        kind: Some(kind),
        name: Some(name),
        at: found,
    };
    match found {
        Some(_) => {
            let skip = Button::answer(turn.t(common::SKIP, &[]), "listing-phone", "skip");
            ask(
                vec![turn.say(t::ASK_LISTING_PHONE, &[]).row(vec![skip])],
                next,
            )
        }
        None => ask(
            vec![
                turn.say(common::BAD_LOCATION, &[])
                    .with_location_request(turn.t(common::SHARE_LOCATION, &[])),
            ],
            next,
        ),
    }
}
