//! The pharmacy's staff answer an order in chat (`/orders quote ID`): for each medicine,
//! how many they have and the price of one ("10 2.50", "yes 2.50", "no", "हाँ 2.5") →
//! when it can be collected ("today 6pm", "kal 10am") → the quote with its total, Send /
//! Cancel. Cancelling an order (`/orders cancel ID`) asks the reason the patient is told.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::orders::marked;
use super::{Answer, Gate, Question, Step, again, ask, done, when};
use crate::engine::Turn;
use crate::lang::orders as t;
use crate::lang::words::{ALL, NO, SKIP, YES};
use crate::port::{Account, CounterStep, OrderLine, PortError, QuoteDraft};
use crate::reply::{Button, Reply};

/// Where the dialogue stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Stage {
    /// The answer for medicine number `n` (from 0).
    Line(usize),
    Pickup,
    Confirm,
    Reason,
}

/// The staff's dialogue on one order.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Counter {
    stage: Stage,
    order: String,
    /// Whom the order is for, as shown.
    name: String,
    items: Vec<OrderLine>,
    /// `(available, price of one)` so far.
    lines: Vec<(u32, f64)>,
    /// Today at the pharmacy.
    today: String,
    /// `YYYY-MM-DDTHH:MM`, local.
    pickup: Option<String>,
}

impl Question for Counter {
    fn tag(&self) -> &'static str {
        match self.stage {
            Stage::Line(_) => "quote-line",
            Stage::Pickup => "quote-pickup",
            Stage::Confirm => "quote-confirm",
            Stage::Reason => "order-reason",
        }
    }
}

/// `/orders quote ID`: asks about the first medicine.
pub(crate) async fn start(turn: &Turn<'_>, by: &Account, id: &str) -> Step {
    let o = match turn.orders().order(by, id).await {
        Ok(o) => o,
        Err(e) => return super::refusal(turn, e),
    };
    let state = Counter {
        stage: Stage::Line(0),
        order: o.id,
        name: o.name,
        items: o.items,
        lines: Vec::new(),
        today: o.today,
        pickup: None,
    };
    ask_line(turn, state)
}

/// `/orders cancel ID` at the counter: asks why.
pub(crate) async fn ask_reason(turn: &Turn<'_>, by: &Account, id: &str) -> Step {
    let o = match turn.orders().order(by, id).await {
        Ok(o) => o,
        Err(e) => return super::refusal(turn, e),
    };
    let state = Counter {
        stage: Stage::Reason,
        order: o.id,
        name: o.name,
        items: Vec::new(),
        lines: Vec::new(),
        today: o.today,
        pickup: None,
    };
    ask(vec![turn.say(t::ASK_REASON, &[])], state)
}

fn ask_line(turn: &Turn<'_>, mut state: Counter) -> Step {
    let n = state.lines.len();
    let Some(item) = state.items.get(n) else {
        state.stage = Stage::Pickup;
        return ask(vec![turn.say(t::ASK_PICKUP, &[])], state);
    };
    state.stage = Stage::Line(n);
    let asked = item.quantity.to_string();
    ask(vec![turn.say(t::ASK_LINE, &[&item.name, &asked])], state)
}

/// The answer to the open question.
pub(crate) async fn step(turn: &Turn<'_>, state: Counter, answer: Answer) -> Step {
    let by = match again(turn, Gate::Staff).await? {
        Ok(by) => by,
        Err(step) => return step,
    };
    let said = answer.as_text();
    let said = said.trim();
    match state.stage {
        Stage::Line(n) => line_answer(turn, state, n, said),
        Stage::Pickup => pickup_answer(turn, state, &answer),
        Stage::Confirm => send(turn, &by, state, said).await,
        Stage::Reason if said.is_empty() || answer.is_skip() => {
            ask(vec![turn.say(t::ASK_REASON, &[])], state)
        }
        Stage::Reason => {
            let step = CounterStep::Cancel {
                reason: said.to_owned(),
            };
            match turn.orders().counter_step(&by, &state.order, step).await {
                Ok(o) => done(vec![marked(turn, &o)]),
                Err(e) => super::refusal(turn, e),
            }
        }
    }
}

fn line_answer(turn: &Turn<'_>, mut state: Counter, n: usize, said: &str) -> Step {
    let Some(asked) = state.items.get(n).map(|i| i.quantity) else {
        return ask_line(turn, state);
    };
    match read_line(said, asked) {
        Ok(line) => {
            state.lines.truncate(n);
            state.lines.push(line);
            ask_line(turn, state)
        }
        Err(problem) => {
            let reply = match problem {
                LineProblem::Unreadable => turn.say(t::BAD_LINE, &[said]),
                LineProblem::Over => turn.say(t::LINE_OVER, &[&asked.to_string()]),
                LineProblem::NoPrice(has) => turn.say(t::PRICE_MISSING, &[&has.to_string()]),
            };
            ask(vec![reply], state)
        }
    }
}

/// Why a line's answer was not taken.
#[derive(Debug, PartialEq)]
enum LineProblem {
    Unreadable,
    Over,
    /// How many, but no price.
    NoPrice(u32),
}

/// "no", "0" → none; "yes 2.50", "all ₹2.5" → all asked at that price; "10 2.50",
/// "10 @ 2.5 each", "8 x rs 3" → that many at that price.
fn read_line(said: &str, asked: u32) -> Result<(u32, f64), LineProblem> {
    let cleaned = said
        .to_lowercase()
        .replace(['₹', '@', '/', '='], " ")
        .replace("rs.", " ")
        .replace("rs", " ");
    let words: Vec<&str> = cleaned
        .split_whitespace()
        .filter(|w| !matches!(*w, "x" | "each" | "for" | "at" | "-" | "per" | "प्रति"))
        .collect();
    let Some(first) = words.first() else {
        return Err(LineProblem::Unreadable);
    };
    if NO.matches(first) || *first == "0" {
        return Ok((0, 0.0));
    }
    let has = if YES.matches(first) || ALL.matches(first) {
        asked
    } else {
        first.parse::<u32>().map_err(|_| LineProblem::Unreadable)?
    };
    if has > asked {
        return Err(LineProblem::Over);
    }
    if has == 0 {
        return Ok((0, 0.0));
    }
    let price = match words.get(1) {
        Some(p) => p
            .parse::<f64>()
            .ok()
            .filter(|p| p.is_finite() && *p >= 0.0)
            .ok_or(LineProblem::Unreadable)?,
        None => return Err(LineProblem::NoPrice(has)),
    };
    Ok((has, price))
}

fn pickup_answer(turn: &Turn<'_>, mut state: Counter, answer: &Answer) -> Step {
    let said = answer.as_text();
    if answer.is_skip() || SKIP.matches(&said) {
        state.pickup = None;
        return ask_confirm(turn, state);
    }
    let today = NaiveDate::parse_from_str(&state.today, "%Y-%m-%d")
        .unwrap_or_else(|_| chrono::Utc::now().date_naive());
    match read_pickup(&said, today) {
        Some(at) => {
            state.pickup = Some(at);
            ask_confirm(turn, state)
        }
        None => ask(vec![turn.say(t::BAD_PICKUP, &[said.trim()])], state),
    }
}

/// A day and a time ("tomorrow 10am", "2026-12-01 17:00", "कल शाम 5 बजे"), or a time
/// alone (today), as `YYYY-MM-DDTHH:MM`.
fn read_pickup(said: &str, today: NaiveDate) -> Option<String> {
    let words: Vec<&str> = said.split_whitespace().collect();
    let at = |date: NaiveDate, minutes: u32| {
        format!(
            "{}T{:02}:{:02}",
            date.format("%Y-%m-%d"),
            minutes / 60,
            minutes % 60
        )
    };
    for cut in (1..words.len()).rev() {
        let (day, time) = (words[..cut].join(" "), words[cut..].join(" "));
        if let (Some(d), Some(m)) = (when::day(&day, today), when::time(&time)) {
            return Some(at(d, m));
        }
    }
    when::time(said).map(|m| at(today, m))
}

fn ask_confirm(turn: &Turn<'_>, mut state: Counter) -> Step {
    let mut lines = Vec::new();
    let mut total = 0.0;
    for (item, (has, price)) in state.items.iter().zip(&state.lines) {
        if *has == 0 {
            lines.push(turn.t(t::NOT_AVAILABLE_LINE, &[&item.name]));
        } else {
            total += f64::from(*has) * price;
            let (has, asked, price) = (
                has.to_string(),
                item.quantity.to_string(),
                format!("{price:.2}"),
            );
            lines.push(turn.t(t::QUOTE_LINE, &[&item.name, &has, &asked, &price]));
        }
    }
    let pickup = state
        .pickup
        .as_deref()
        .map_or_else(|| turn.t(t::PICKUP_ASK, &[]), |p| p.replace('T', " "));
    let question = turn
        .say(
            t::CONFIRM_QUOTE,
            &[&lines.join("\n"), &format!("{total:.2}"), &pickup],
        )
        .row(vec![
            Button::answer(turn.t(t::SEND_BUTTON, &[]), "quote-confirm", "yes"),
            Button::answer(turn.t(t::DROP_BUTTON, &[]), "quote-confirm", "no"),
        ]);
    state.stage = Stage::Confirm;
    ask(vec![question], state)
}

async fn send(turn: &Turn<'_>, by: &Account, mut state: Counter, said: &str) -> Step {
    if !(said == "yes" || YES.matches(said)) {
        return done(vec![turn.say(t::QUOTE_DROPPED, &[])]);
    }
    let quote = QuoteDraft {
        lines: state.lines.clone(),
        pickup: state.pickup.clone(),
    };
    match turn.orders().quote(by, &state.order, quote).await {
        Ok(_) => done(vec![turn.say(t::QUOTE_SENT, &[])]),
        // A pickup time in the past: say so and ask for it again.
        Err(e @ PortError::Invalid { .. }) if is_pickup(&e) => {
            state.stage = Stage::Pickup;
            let again: Vec<Reply> = vec![turn.error(&e), turn.say(t::ASK_PICKUP, &[])];
            ask(again, state)
        }
        Err(e) => super::refusal(turn, e),
    }
}

fn is_pickup(e: &PortError) -> bool {
    matches!(e, PortError::Invalid { field, .. } if field == "pickup_at")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_is_read_the_way_a_pharmacist_types_it() {
        assert_eq!(read_line("10 2.50", 10), Ok((10, 2.5)));
        assert_eq!(read_line("yes 2.5", 10), Ok((10, 2.5)));
        assert_eq!(read_line("हाँ ₹3", 4), Ok((4, 3.0)));
        assert_eq!(read_line("8 @ rs 3 each", 10), Ok((8, 3.0)));
        assert_eq!(read_line("no", 10), Ok((0, 0.0)));
        assert_eq!(read_line("नहीं", 10), Ok((0, 0.0)));
        assert_eq!(read_line("0", 10), Ok((0, 0.0)));
        assert_eq!(read_line("12 2", 10), Err(LineProblem::Over));
        assert_eq!(read_line("10", 10), Err(LineProblem::NoPrice(10)));
        assert_eq!(read_line("lots", 10), Err(LineProblem::Unreadable));
        assert_eq!(read_line("5 cheap", 10), Err(LineProblem::Unreadable));
    }

    #[test]
    fn a_pickup_is_a_day_and_a_time_or_a_time_today() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        let read = |s| read_pickup(s, today);
        assert_eq!(read("tomorrow 10am").as_deref(), Some("2026-11-29T10:00"));
        assert_eq!(read("6pm").as_deref(), Some("2026-11-28T18:00"));
        assert_eq!(
            read("2026-12-01 17:00").as_deref(),
            Some("2026-12-01T17:00")
        );
        assert_eq!(read("someday").as_deref(), None);
    }
}
