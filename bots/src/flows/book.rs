//! `/book`, guided: for me or a dependant → what (a service, a specialty, a kind; the
//! `/symptoms` answer offers its specialty as a button) → facilities nearby offering it,
//! with price and distance → day → free slots → confirm. `/appointments reschedule` runs
//! the same dialogue from the day on, for an appointment that exists.
//!
//! The session keeps the person as a position in the member's own list of health IDs
//! (never the number or the name), and the public schedule data the choices need.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::appointments::Choice;
use super::person::{self, ForWhom, Person};
use super::place::{self, Where};
use super::{Answer, Gate, Question, Step, again, ask, done, km, pick, when};
use crate::engine::Turn;
use crate::lang::appointments as t;
use crate::lang::common;
use crate::port::{Account, BookingDraft};
use crate::reply::{Button, Reply};

/// How many facilities are offered to choose from.
const OFFERS: usize = 8;
/// How many days the day buttons show.
const DAYS: i64 = 7;

/// Where the dialogue stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Stage {
    Person,
    What,
    Where,
    Offer,
    Day,
    Slot,
    Confirm,
}

/// The `/book` dialogue's state.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub(crate) struct Booking {
    stage: Option<Stage>,
    person: Person,
    what: String,
    offers: Vec<Choice>,
    choice: Option<Choice>,
    /// Starts with room on the chosen day.
    slots: Vec<String>,
    start: Option<String>,
    /// The appointment a reschedule moves.
    moves: Option<String>,
}

impl Question for Booking {
    fn tag(&self) -> &'static str {
        match self.stage {
            Some(Stage::Person) => "book-person",
            Some(Stage::What) | None => "book-what",
            Some(Stage::Where) => "book-where",
            Some(Stage::Offer) => "book-offer",
            Some(Stage::Day) => "book-day",
            Some(Stage::Slot) => "book-slot",
            Some(Stage::Confirm) => "book-confirm",
        }
    }
}

impl Booking {
    fn at(mut self, stage: Stage) -> Self {
        self.stage = Some(stage);
        self
    }
}

/// `/book [what]`.
pub(crate) async fn start(turn: &Turn<'_>, by: Account, args: &str) -> Step {
    let ids = turn.health().health_ids(&by).await?;
    if ids.is_empty() {
        return done(vec![super::health::no_id_yet(turn)]);
    }
    let state = Booking {
        what: t::what_of(args),
        ..Booking::default()
    };
    match person::question(turn, &ids, t::ASK_FOR_WHOM, "book-person") {
        ForWhom::Ask(question) => ask(vec![question], state.at(Stage::Person)),
        ForWhom::Known(person) => after_person(turn, &by, Booking { person, ..state }).await,
    }
}

/// The answer to the open `/book` question.
pub(crate) async fn step(turn: &Turn<'_>, state: Booking, answer: Answer) -> Step {
    let by = match again(turn, Gate::Member).await? {
        Ok(by) => by,
        Err(step) => return step,
    };
    let said = answer.as_text();
    let said = said.trim();
    match state.stage {
        Some(Stage::Person) => chose_person(turn, &by, state, said).await,
        Some(Stage::What) | None if answer.is_skip() || said.is_empty() => ask_what(turn, state),
        Some(Stage::What) | None => {
            let what = t::what_of(said);
            after_what(turn, &by, Booking { what, ..state }).await
        }
        Some(Stage::Where) => match place::answer(turn, &answer).await? {
            Where::At(at, _) => search(turn, state, at).await,
            other => ask(vec![place::not_understood(turn, &other)], state),
        },
        Some(Stage::Offer) => chose_offer(turn, state, said),
        Some(Stage::Day) => chose_day(turn, state, said).await,
        Some(Stage::Slot) => chose_slot(turn, &by, state, said).await,
        Some(Stage::Confirm) => confirmed(turn, &by, state, said).await,
    }
}

async fn chose_person(turn: &Turn<'_>, by: &Account, state: Booking, said: &str) -> Step {
    let ids = turn.health().health_ids(by).await?;
    match person::chosen(&ids, said) {
        Some(person) => after_person(turn, by, Booking { person, ..state }).await,
        None => ask(vec![turn.say(common::BAD_CHOICE, &[])], state),
    }
}

async fn after_person(turn: &Turn<'_>, by: &Account, state: Booking) -> Step {
    if state.what.is_empty() {
        return ask_what(turn, state);
    }
    after_what(turn, by, state).await
}

fn ask_what(turn: &Turn<'_>, state: Booking) -> Step {
    let kinds = [
        (t::KIND_CONSULTATION, "consultation"),
        (t::KIND_VACCINATION, "vaccination"),
        (t::KIND_LAB_TEST, "lab_test"),
    ];
    let buttons = kinds
        .iter()
        .map(|(label, value)| Button::answer(turn.t(*label, &[]), "book-what", value))
        .collect();
    let question = turn.say(t::ASK_WHAT, &[]).grid(buttons, 3);
    ask(vec![question], state.at(Stage::What))
}

async fn after_what(turn: &Turn<'_>, by: &Account, state: Booking) -> Step {
    match by.location {
        Some(at) => search(turn, state, at).await,
        None => ask(
            vec![place::question(turn, t::ASK_WHERE)],
            state.at(Stage::Where),
        ),
    }
}

/// Facilities near `at` offering what was asked, with price and distance.
async fn search(turn: &Turn<'_>, state: Booking, at: (f64, f64)) -> Step {
    let found = turn
        .appointments()
        .bookable(&state.what, at, OFFERS)
        .await?;
    if found.is_empty() {
        let none = turn.say(t::NOTHING_BOOKABLE, &[&state.what]);
        let mut next = ask_what(turn, state)?;
        next.0.insert(0, none);
        return Ok(next);
    }
    let mut lines = vec![turn.t(t::CHOOSE_OFFER, &[])];
    let mut buttons = Vec::new();
    for (i, b) in found.iter().enumerate() {
        let n = (i + 1).to_string();
        let distance = km(turn, b.distance_km);
        let line: [&str; 6] = [
            &n,
            &b.facility_name,
            &b.service,
            &b.price,
            &b.currency,
            &distance,
        ];
        lines.push(turn.t(t::OFFER_LINE, &line));
        buttons.push(Button::answer(
            format!("{n}. {}", b.facility_name),
            "book-offer",
            &n,
        ));
    }
    let offers = found.into_iter().map(Choice::from).collect();
    let reply = Reply::text(lines.join("\n")).grid(buttons, 1);
    ask(vec![reply], Booking { offers, ..state }.at(Stage::Offer))
}

fn chose_offer(turn: &Turn<'_>, state: Booking, said: &str) -> Step {
    match pick(turn, &state.offers, said) {
        Ok(choice) => ask_day(
            turn,
            Booking {
                choice: Some(choice),
                ..state
            },
        ),
        Err(again) => ask(vec![again], state),
    }
}

/// "Which day?" with a button for each of the next days at the facility.
pub(crate) fn ask_day(turn: &Turn<'_>, state: Booking) -> Step {
    let today = today_of(&state);
    let buttons = (0..DAYS)
        .filter_map(|i| today.checked_add_signed(chrono::Duration::days(i)))
        .map(|d| {
            Button::answer(
                when::day_label(d),
                "book-day",
                d.format("%Y-%m-%d").to_string(),
            )
        })
        .collect();
    let question = turn.say(t::ASK_DAY, &[]).grid(buttons, 2);
    ask(vec![question], state.at(Stage::Day))
}

fn today_of(state: &Booking) -> NaiveDate {
    state
        .choice
        .as_ref()
        .and_then(|c| NaiveDate::parse_from_str(&c.today, "%Y-%m-%d").ok())
        .unwrap_or_else(|| chrono::Utc::now().date_naive())
}

async fn chose_day(turn: &Turn<'_>, state: Booking, said: &str) -> Step {
    let today = today_of(&state);
    let Some(date) = when::day(said, today) else {
        return ask(vec![turn.say(t::BAD_DAY, &[said])], state);
    };
    let label = when::day_label(date);
    if date < today {
        return ask(vec![turn.say(t::PAST_DAY, &[&label])], state);
    }
    let Some(choice) = state.choice.clone() else {
        return ask_what(turn, state);
    };
    let day = date.format("%Y-%m-%d").to_string();
    let free = turn
        .appointments()
        .free_slots(&choice.facility_id, &choice.service, &day)
        .await;
    let free = match free {
        Ok(free) => free,
        Err(e) => return super::refusal(turn, e),
    };
    if free.is_empty() {
        let mut next = ask_day(turn, state)?;
        next.0.insert(0, turn.say(t::NO_SLOTS, &[&label]));
        return Ok(next);
    }
    let buttons = free
        .iter()
        .map(|s| Button::answer(when::hhmm(&s.start), "book-slot", &s.start))
        .collect();
    let question = turn.say(t::ASK_SLOT, &[&label]).grid(buttons, 4);
    let slots = free.into_iter().map(|s| s.start).collect();
    ask(vec![question], Booking { slots, ..state }.at(Stage::Slot))
}

async fn chose_slot(turn: &Turn<'_>, by: &Account, state: Booking, said: &str) -> Step {
    let wanted = when::time(said);
    let start = state
        .slots
        .iter()
        .find(|s| s.as_str() == said)
        .or_else(|| {
            let minutes = wanted?;
            let text = format!("{:02}:{:02}", minutes / 60, minutes % 60);
            state.slots.iter().find(|s| when::hhmm(s) == text)
        })
        .cloned();
    let Some(start) = start else {
        return ask(vec![turn.say(t::BAD_SLOT, &[said])], state);
    };
    let Some(choice) = state.choice.clone() else {
        return ask_what(turn, state);
    };
    let ids = turn.health().health_ids(by).await?;
    let whom = state.person.name(turn, &ids);
    let question = turn
        .say(
            t::CONFIRM_BOOKING,
            &[
                &choice.service,
                &choice.facility_name,
                &when::when(&start),
                &whom,
                &choice.price,
                &choice.currency,
            ],
        )
        .row(vec![
            Button::answer(turn.t(t::CONFIRM_BUTTON, &[]), "book-confirm", "yes"),
            Button::answer(turn.t(t::DROP_BUTTON, &[]), "book-confirm", "no"),
        ]);
    ask(
        vec![question],
        Booking {
            start: Some(start),
            ..state
        }
        .at(Stage::Confirm),
    )
}

async fn confirmed(turn: &Turn<'_>, by: &Account, state: Booking, said: &str) -> Step {
    let yes = said == "yes" || crate::lang::words::YES.matches(said);
    let (Some(choice), Some(start), true) = (state.choice.clone(), state.start.clone(), yes) else {
        return done(vec![turn.say(t::BOOKING_DROPPED, &[])]);
    };
    let sent = match &state.moves {
        Some(id) => turn.appointments().reschedule(by, id, &start).await,
        None => {
            let ids = turn.health().health_ids(by).await?;
            let draft = BookingDraft {
                facility_id: choice.facility_id.clone(),
                service: choice.service.clone(),
                start,
                health_id: state.person.dependant(&ids),
            };
            turn.appointments().book(by, draft).await
        }
    };
    match sent {
        Ok(_) => done(vec![turn.say(t::BOOKING_SENT, &[&choice.facility_name])]),
        Err(e) => super::refusal(turn, e),
    }
}

/// The dialogue that moves appointment `id` (at `choice`) to another slot.
pub(crate) fn moving(id: &str, choice: Choice) -> Booking {
    Booking {
        choice: Some(choice),
        moves: Some(id.to_owned()),
        ..Booking::default()
    }
}
