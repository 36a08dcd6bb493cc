//! `/orders`: a patient's medicine orders with Confirm / Cancel where the status allows;
//! for the pharmacy's staff, the open orders at their counter with Quote, Ready, Collected
//! and Cancel (quoting and cancelling ask questions: [`super::quote`]). And what the order
//! notices say: to the patient, the pharmacy's quote (with Confirm / Cancel), ready,
//! collected, cancelled with the pharmacy's reason; to the staff, a new order (with Quote),
//! the patient's confirmation (with Ready) or cancellation.

use super::order::item_lines;
use super::{Step, done, id_arg, quote, when};
use crate::engine::Turn;
use crate::lang::Text;
use crate::lang::orders as t;
use crate::notice::OrderNews;
use crate::port::{Account, CounterStep, OrderAction, OrderInfo, QuotedLine, Role};
use crate::reply::{Button, Reply};

/// The words for a wire status.
pub(crate) fn status(wire: &str) -> Text {
    match wire {
        "quoted" => t::STATUS_QUOTED,
        "confirmed" => t::STATUS_CONFIRMED,
        "ready" => t::STATUS_READY,
        "collected" => t::STATUS_COLLECTED,
        "cancelled" => t::STATUS_CANCELLED,
        _ => t::STATUS_REQUESTED,
    }
}

/// Whether the member works the counter (staff) rather than orders for themself.
fn at_counter(by: &Account) -> bool {
    by.role == Role::Staff
}

/// `/orders [confirm|cancel|quote|ready|collected ID]`.
pub(crate) async fn start(turn: &Turn<'_>, by: Account, args: &str) -> Step {
    let mut words = args.split_whitespace();
    let verb = words.next().unwrap_or("").to_lowercase();
    let id = words.next().and_then(id_arg);
    let (verb, id) = match (verb.as_str(), id) {
        ("", _) if at_counter(&by) => return counter(turn, &by).await,
        ("", _) => return mine(turn, &by).await,
        (verb, Some(id)) => (verb.to_owned(), id),
        _ => return done(vec![turn.say(t::ORDERS_USAGE, &[])]),
    };
    let staff = at_counter(&by);
    let sent = match (verb.as_str(), staff) {
        ("confirm", false) => turn.orders().order_action(&by, &id, OrderAction::Confirm),
        ("cancel", false) => turn.orders().order_action(&by, &id, OrderAction::Cancel),
        ("cancel", true) => return quote::ask_reason(turn, &by, &id).await,
        ("quote", true) => return quote::start(turn, &by, &id).await,
        ("ready", true) => turn.orders().counter_step(&by, &id, CounterStep::Ready),
        ("collected", true) => turn.orders().counter_step(&by, &id, CounterStep::Collected),
        _ => return done(vec![turn.say(t::ORDERS_USAGE, &[])]),
    };
    match sent.await {
        Ok(o) if staff => done(vec![marked(turn, &o)]),
        Ok(o) => done(vec![turn.say(t::STEP_SENT, &[&o.facility_name])]),
        Err(e) => super::refusal(turn, e),
    }
}

/// What staff hear after moving an order on.
pub(crate) fn marked(turn: &Turn<'_>, o: &OrderInfo) -> Reply {
    let said = turn.t(status(&o.status), &[]);
    turn.say(t::MARKED, &[&o.name, &said])
}

async fn mine(turn: &Turn<'_>, by: &Account) -> Step {
    let all = turn.orders().my_orders(by).await?;
    if all.is_empty() {
        return done(vec![turn.say(t::NO_ORDERS, &[])]);
    }
    done(all.iter().map(|o| card(turn, o)).collect())
}

/// One of the patient's orders with the buttons its status allows.
fn card(turn: &Turn<'_>, o: &OrderInfo) -> Reply {
    let said = turn.t(status(&o.status), &[]);
    let body = if o.quote.is_empty() {
        item_lines(turn, &o.items)
    } else {
        quote_lines(turn, &o.quote)
    };
    let reply = turn.say(t::ORDER_CARD, &[&o.facility_name, &o.name, &said, &body]);
    let button =
        |text, verb: &str| Button::command(turn.t(text, &[]), format!("/orders {verb} {}", o.id));
    let buttons = match (o.status.as_str(), o.pending.is_some()) {
        (_, true) | ("collected" | "cancelled", _) => Vec::new(),
        ("quoted", false) => vec![
            button(t::CONFIRM_BUTTON, "confirm"),
            button(t::CANCEL_BUTTON, "cancel"),
        ],
        _ => vec![button(t::CANCEL_BUTTON, "cancel")],
    };
    reply.row(buttons)
}

async fn counter(turn: &Turn<'_>, by: &Account) -> Step {
    let open: Vec<OrderInfo> = match turn.orders().counter_orders(by).await {
        Ok(all) => all
            .into_iter()
            .filter(|o| !matches!(o.status.as_str(), "collected" | "cancelled"))
            .collect(),
        Err(e) => return super::refusal(turn, e),
    };
    if open.is_empty() {
        return done(vec![turn.say(t::COUNTER_EMPTY, &[])]);
    }
    done(open.iter().map(|o| counter_card(turn, o)).collect())
}

/// One order at the counter with the staff's buttons for its status.
fn counter_card(turn: &Turn<'_>, o: &OrderInfo) -> Reply {
    let said = turn.t(status(&o.status), &[]);
    let rx = if o.prescription {
        turn.t(t::WITH_PRESCRIPTION, &[])
    } else {
        String::new()
    };
    let body = if o.quote.is_empty() {
        item_lines(turn, &o.items)
    } else {
        quote_lines(turn, &o.quote)
    };
    let reply = turn.say(t::COUNTER_CARD, &[&o.name, &said, &rx, &body]);
    let button =
        |text, verb: &str| Button::command(turn.t(text, &[]), format!("/orders {verb} {}", o.id));
    let next = match o.status.as_str() {
        "requested" | "quoted" => Some(button(t::QUOTE_BUTTON, "quote")),
        "confirmed" => Some(button(t::READY_BUTTON, "ready")),
        "ready" => Some(button(t::COLLECTED_BUTTON, "collected")),
        _ => None,
    };
    let mut buttons: Vec<Button> = next.into_iter().collect();
    buttons.push(button(t::CANCEL_BUTTON, "cancel"));
    reply.row(buttons)
}

/// The quote, one line per medicine.
pub(crate) fn quote_lines(turn: &Turn<'_>, quote: &[QuotedLine]) -> String {
    quote
        .iter()
        .map(|q| {
            if q.available == 0 {
                turn.t(t::NOT_AVAILABLE_LINE, &[&q.name])
            } else {
                let (has, asked) = (q.available.to_string(), q.quantity.to_string());
                turn.t(t::QUOTE_LINE, &[&q.name, &has, &asked, &q.unit_price])
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// What a notice about order `id` says, read with the recipient's rights; `None` when it
/// cannot be read (the caller says there is news, with a button).
pub(crate) async fn told(turn: &Turn<'_>, id: &str, news: OrderNews) -> Option<Vec<Reply>> {
    let by = turn.accounts().account(turn.who).await.ok()??;
    let o = match turn.orders().order(&by, id).await {
        Ok(o) => o,
        Err(e) => {
            tracing::warn!(order_id = id, error = %e, "order notice not readable");
            return None;
        }
    };
    let button =
        |text, verb: &str| Button::command(turn.t(text, &[]), format!("/orders {verb} {}", o.id));
    let reply = match news {
        OrderNews::Answered => answered(turn, &o),
        OrderNews::Placed => {
            let rx = if o.prescription {
                turn.t(t::WITH_PRESCRIPTION, &[])
            } else {
                String::new()
            };
            let lines = item_lines(turn, &o.items);
            turn.say(t::NEW_ORDER, &[&o.name, &rx, &lines])
                .row(vec![button(t::QUOTE_BUTTON, "quote")])
        }
        OrderNews::Confirmed => turn
            .say(t::PATIENT_CONFIRMED, &[&o.name])
            .row(vec![button(t::READY_BUTTON, "ready")]),
        OrderNews::Cancelled => turn.say(t::PATIENT_CANCELLED, &[&o.name]),
    };
    Some(vec![reply])
}

/// The pharmacy's newest answer, as the patient hears it.
fn answered(turn: &Turn<'_>, o: &OrderInfo) -> Reply {
    let pickup = o
        .pickup_at
        .as_deref()
        .map_or_else(|| turn.t(t::PICKUP_ASK, &[]), when::when);
    let whom = [o.facility_name.as_str(), o.name.as_str()];
    match o.status.as_str() {
        "quoted" => {
            let lines = quote_lines(turn, &o.quote);
            let mut reply = turn.say(
                t::QUOTED,
                &[whom[0], whom[1], &lines, &o.total, &o.currency, &pickup],
            );
            if !o.message.is_empty() {
                let says = turn.t(t::PHARMACY_SAYS, &[&o.message]);
                reply.text = format!("{}\n{says}", reply.text);
            }
            let button = |text, verb: &str| {
                Button::command(turn.t(text, &[]), format!("/orders {verb} {}", o.id))
            };
            reply.row(vec![
                button(t::CONFIRM_BUTTON, "confirm"),
                button(t::CANCEL_BUTTON, "cancel"),
            ])
        }
        "confirmed" => turn.say(t::CONFIRMED, &whom),
        "ready" => turn.say(
            t::READY,
            &[whom[0], whom[1], &pickup, &o.total, &o.currency],
        ),
        "collected" => turn.say(t::COLLECTED, &whom),
        "cancelled" if !o.message.is_empty() => {
            turn.say(t::CANCELLED_BY_PHARMACY, &[whom[0], whom[1], &o.message])
        }
        other => {
            let said = turn.t(status(other), &[]);
            turn.say(t::ORDER_CARD, &[whom[0], whom[1], &said, ""])
        }
    }
}
