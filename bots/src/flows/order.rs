//! `/order`, guided: for me or a dependant → a pharmacy nearby (any node, with its
//! distance) → the medicines, typed the way people type them → a prescription on record,
//! or none → confirm → sent. The pharmacy's answer comes later as a notice
//! ([`super::orders`]).
//!
//! The session keeps the person as a position in the member's own list of health IDs
//! (never the number or the name), the pharmacies offered (public listings), the list as
//! read, and the ids of the prescription records offered.

use caremesh_federation::object::FacilityKind;
use caremesh_federation::vocabulary::RecordType;
use serde::{Deserialize, Serialize};

use super::medicines::{self, ListError};
use super::person::{self, ForWhom, Person};
use super::place::{self, Where};
use super::{Answer, Gate, Question, Step, again, ask, done, km, pick};
use crate::engine::Turn;
use crate::lang::common;
use crate::lang::orders as t;
use crate::lang::words::{NO, SKIP, YES};
use crate::port::{Account, HealthIdInfo, OrderDraft, OrderLine, RecordRef};
use crate::reply::{Button, Reply};

/// How many pharmacies are offered to choose from.
const OFFERS: usize = 8;
/// How many prescriptions are offered.
const PRESCRIPTIONS: usize = 8;

/// Where the dialogue stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Stage {
    Person,
    Where,
    Pharmacy,
    Items,
    Prescription,
    Confirm,
}

/// A pharmacy offered: its id, name and distance as shown.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct Pharmacy {
    id: String,
    name: String,
}

/// The `/order` dialogue's state.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub(crate) struct Ordering {
    stage: Option<Stage>,
    person: Person,
    offers: Vec<Pharmacy>,
    pharmacy: Option<Pharmacy>,
    items: Vec<OrderLine>,
    /// Ids of the prescription records offered.
    prescriptions: Vec<String>,
    prescription: Option<String>,
}

impl Question for Ordering {
    fn tag(&self) -> &'static str {
        match self.stage {
            Some(Stage::Person) => "order-person",
            Some(Stage::Where) | None => "order-where",
            Some(Stage::Pharmacy) => "order-pharmacy",
            Some(Stage::Items) => "order-items",
            Some(Stage::Prescription) => "order-rx",
            Some(Stage::Confirm) => "order-confirm",
        }
    }
}

impl Ordering {
    fn at(mut self, stage: Stage) -> Self {
        self.stage = Some(stage);
        self
    }
}

/// `/order [medicines]`: a list typed with the command is kept for later.
pub(crate) async fn start(turn: &Turn<'_>, by: Account, args: &str) -> Step {
    let ids = turn.health().health_ids(&by).await?;
    let state = Ordering {
        items: medicines::parse(args).unwrap_or_default(),
        ..Ordering::default()
    };
    match person::question(turn, &ids, t::ASK_FOR_WHOM, "order-person") {
        ForWhom::Ask(question) => ask(vec![question], state.at(Stage::Person)),
        ForWhom::Known(person) => ask_where(turn, &by, Ordering { person, ..state }).await,
    }
}

/// The answer to the open `/order` question.
pub(crate) async fn step(turn: &Turn<'_>, state: Ordering, answer: Answer) -> Step {
    let by = match again(turn, Gate::Member).await? {
        Ok(by) => by,
        Err(step) => return step,
    };
    let said = answer.as_text();
    let said = said.trim();
    match state.stage {
        Some(Stage::Person) => chose_person(turn, &by, state, said).await,
        Some(Stage::Where) | None => match place::answer(turn, &answer).await? {
            Where::At(at, _) => search(turn, state, at).await,
            other => ask(vec![place::not_understood(turn, &other)], state),
        },
        Some(Stage::Pharmacy) => chose_pharmacy(turn, &by, state, said).await,
        Some(Stage::Items) => typed_items(turn, &by, state, said).await,
        Some(Stage::Prescription) => chose_prescription(turn, &by, state, &answer).await,
        Some(Stage::Confirm) => confirmed(turn, &by, state, said).await,
    }
}

async fn chose_person(turn: &Turn<'_>, by: &Account, state: Ordering, said: &str) -> Step {
    let ids = turn.health().health_ids(by).await?;
    match person::chosen(&ids, said) {
        Some(person) => ask_where(turn, by, Ordering { person, ..state }).await,
        None => ask(vec![turn.say(common::BAD_CHOICE, &[])], state),
    }
}

async fn ask_where(turn: &Turn<'_>, by: &Account, state: Ordering) -> Step {
    if let Some(at) = by.location {
        return search(turn, state, at).await;
    }
    ask(
        vec![place::question(turn, t::ASK_WHERE)],
        state.at(Stage::Where),
    )
}

/// Pharmacies near `at` (any node), nearest first.
async fn search(turn: &Turn<'_>, state: Ordering, at: (f64, f64)) -> Step {
    let found = turn
        .directory()
        .nearby(at, Some(FacilityKind::Pharmacy), OFFERS)
        .await?;
    if found.is_empty() {
        return ask(vec![turn.say(t::NO_PHARMACY, &[])], state.at(Stage::Where));
    }
    let mut lines = vec![turn.t(t::CHOOSE_PHARMACY, &[])];
    let mut buttons = Vec::new();
    for (i, f) in found.iter().enumerate() {
        let n = (i + 1).to_string();
        lines.push(turn.t(t::PHARMACY_LINE, &[&n, &f.name, &km(turn, f.distance_km)]));
        buttons.push(Button::answer(
            format!("{n}. {}", f.name),
            "order-pharmacy",
            &n,
        ));
    }
    let offers = found
        .into_iter()
        .map(|f| Pharmacy {
            id: f.id,
            name: f.name,
        })
        .collect();
    let reply = Reply::text(lines.join("\n")).grid(buttons, 1);
    ask(
        vec![reply],
        Ordering { offers, ..state }.at(Stage::Pharmacy),
    )
}

async fn chose_pharmacy(turn: &Turn<'_>, by: &Account, state: Ordering, said: &str) -> Step {
    let pharmacy = match pick(turn, &state.offers, said) {
        Ok(pharmacy) => pharmacy,
        Err(again) => return ask(vec![again], state),
    };
    let state = Ordering {
        pharmacy: Some(pharmacy),
        ..state
    };
    if state.items.is_empty() {
        return ask(vec![turn.say(t::ASK_ITEMS, &[])], state.at(Stage::Items));
    }
    ask_prescription(turn, by, state).await
}

async fn typed_items(turn: &Turn<'_>, by: &Account, state: Ordering, said: &str) -> Step {
    match medicines::parse(said) {
        Ok(items) => ask_prescription(turn, by, Ordering { items, ..state }).await,
        Err(e) => ask(vec![list_error(turn, &e)], state),
    }
}

/// What is wrong with a typed list, naming the line.
fn list_error(turn: &Turn<'_>, e: &ListError) -> Reply {
    match e {
        ListError::Empty => turn.say(t::ITEMS_EMPTY, &[]),
        ListError::TooMany => turn.say(t::ITEMS_TOO_MANY, &[&medicines::MAX_ITEMS.to_string()]),
        ListError::NoName(line) => turn.say(t::ITEM_NO_NAME, &[line]),
        ListError::BadCount(line) => turn.say(
            t::ITEM_BAD_COUNT,
            &[line, &medicines::MAX_QUANTITY.to_string()],
        ),
    }
}

/// The health ID whose records the person's prescriptions are in.
async fn person_id(turn: &Turn<'_>, by: &Account, state: &Ordering) -> Option<HealthIdInfo> {
    let ids = turn.health().health_ids(by).await.ok()?;
    state.person.id(&ids).cloned()
}

/// Offers the person's prescriptions on record, newest first; none: straight to confirm.
async fn ask_prescription(turn: &Turn<'_>, by: &Account, state: Ordering) -> Step {
    let Some(id) = person_id(turn, by, &state).await else {
        return ask_confirm(turn, by, state).await;
    };
    let mut found: Vec<_> = turn
        .health()
        .records(by, &id.number)
        .await?
        .into_iter()
        .filter(|r| r.record_type == RecordType::Prescription)
        .collect();
    if found.is_empty() {
        return ask_confirm(turn, by, state).await;
    }
    found.sort_by(|a, b| b.date.cmp(&a.date));
    found.truncate(PRESCRIPTIONS);
    let mut lines = vec![turn.t(t::ASK_PRESCRIPTION, &[])];
    let mut buttons = Vec::new();
    for (i, r) in found.iter().enumerate() {
        let n = (i + 1).to_string();
        lines.push(turn.t(t::PRESCRIPTION_LINE, &[&n, &r.title, &r.date]));
        buttons.push(Button::answer(format!("{n}. {}", r.title), "order-rx", &n));
    }
    buttons.push(Button::answer(
        turn.t(common::SKIP, &[]),
        "order-rx",
        "skip",
    ));
    let prescriptions = found.into_iter().map(|r| r.id).collect();
    let reply = Reply::text(lines.join("\n")).grid(buttons, 1);
    let state = Ordering {
        prescriptions,
        ..state
    };
    ask(vec![reply], state.at(Stage::Prescription))
}

async fn chose_prescription(
    turn: &Turn<'_>,
    by: &Account,
    state: Ordering,
    answer: &Answer,
) -> Step {
    let said = answer.as_text();
    if answer.is_skip() || NO.matches(&said) || SKIP.matches(&said) {
        return ask_confirm(turn, by, state).await;
    }
    match pick(turn, &state.prescriptions, &said) {
        Ok(id) => {
            let state = Ordering {
                prescription: Some(id),
                ..state
            };
            ask_confirm(turn, by, state).await
        }
        Err(again) => ask(vec![again], state),
    }
}

/// The order as it will be sent, with Send / Cancel.
async fn ask_confirm(turn: &Turn<'_>, by: &Account, state: Ordering) -> Step {
    let Some(pharmacy) = state.pharmacy.clone() else {
        return ask_where(turn, by, state).await;
    };
    let ids = turn.health().health_ids(by).await.unwrap_or_default();
    let whom = state.person.name(turn, &ids);
    let lines = item_lines(turn, &state.items);
    let rx = if state.prescription.is_some() {
        turn.t(t::ATTACHED, &[])
    } else {
        turn.t(t::NOT_ATTACHED, &[])
    };
    let question = turn
        .say(t::CONFIRM_ORDER, &[&pharmacy.name, &whom, &lines, &rx])
        .row(vec![
            Button::answer(turn.t(t::SEND_BUTTON, &[]), "order-confirm", "yes"),
            Button::answer(turn.t(t::DROP_BUTTON, &[]), "order-confirm", "no"),
        ]);
    ask(vec![question], state.at(Stage::Confirm))
}

/// The medicines, one per line.
pub(crate) fn item_lines(turn: &Turn<'_>, items: &[OrderLine]) -> String {
    items
        .iter()
        .map(|i| turn.t(t::ITEM_LINE, &[&i.name, &i.quantity.to_string()]))
        .collect::<Vec<_>>()
        .join("\n")
}

async fn confirmed(turn: &Turn<'_>, by: &Account, state: Ordering, said: &str) -> Step {
    let yes = said == "yes" || YES.matches(said);
    let (Some(pharmacy), true) = (state.pharmacy.clone(), yes) else {
        return done(vec![turn.say(t::ORDER_DROPPED, &[])]);
    };
    let ids = turn.health().health_ids(by).await?;
    let person = state.person.id(&ids);
    let prescription = match (&state.prescription, person) {
        (Some(record_id), Some(id)) => Some(RecordRef {
            health_id: id.number.clone(),
            record_id: record_id.clone(),
        }),
        _ => None,
    };
    let draft = OrderDraft {
        facility_id: pharmacy.id.clone(),
        items: state.items.clone(),
        health_id: state.person.dependant(&ids),
        prescription,
    };
    match turn.orders().place_order(by, draft).await {
        Ok(_) => done(vec![turn.say(t::ORDER_SENT, &[&pharmacy.name])]),
        Err(e) => super::refusal(turn, e),
    }
}
