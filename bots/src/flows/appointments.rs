//! `/appointments` (mine and my dependants', with Cancel, Reschedule, Take and Wait
//! buttons), staff `/agenda` (the day's list with Arrived / No-show buttons), and what the
//! facility's answers and reminders say: confirmed with a calendar file and a map pin,
//! refused with the next free slots as buttons, cancelled with the facility's reason, a
//! place offered with a Take button.

use chrono::Utc;

use serde::{Deserialize, Serialize};

use super::book;
use super::{Step, done, id_arg, when};
use crate::engine::Turn;
use crate::lang::Text;
use crate::lang::appointments as t;
use crate::notice::AppointmentNews;
use crate::port::{
    Account, AgendaLine, AppointmentInfo, AppointmentStep, BookableInfo, BookingDraft,
};
use crate::reply::{Button, Pin, Reply};

/// How many next free slots a refusal offers as buttons.
const NEXT_FREE: usize = 6;

/// The chosen facility and service (public schedule data).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct Choice {
    pub facility_id: String,
    pub facility_name: String,
    pub service: String,
    pub price: String,
    pub currency: String,
    /// `YYYY-MM-DD` at the facility.
    pub today: String,
}

impl From<BookableInfo> for Choice {
    fn from(b: BookableInfo) -> Self {
        Choice {
            facility_id: b.facility_id,
            facility_name: b.facility_name,
            service: b.service,
            price: b.price,
            currency: b.currency,
            today: b.today,
        }
    }
}

/// The words for a wire status.
fn status(wire: &str) -> Text {
    match wire {
        "confirmed" => t::STATUS_CONFIRMED,
        "refused" => t::STATUS_REFUSED,
        "waiting" => t::STATUS_WAITING,
        "offered" => t::STATUS_OFFERED,
        "cancelled" => t::STATUS_CANCELLED,
        "arrived" => t::STATUS_ARRIVED,
        "no_show" => t::STATUS_NO_SHOW,
        _ => t::STATUS_REQUESTED,
    }
}

/// `/appointments [cancel|take|wait|reschedule ID | rebook ID START]`.
pub(crate) async fn start(turn: &Turn<'_>, by: Account, args: &str) -> Step {
    let mut words = args.split_whitespace();
    let verb = words.next().unwrap_or("").to_lowercase();
    let id = words.next().and_then(id_arg);
    let step = match verb.as_str() {
        "" => return list(turn, &by).await,
        "cancel" => AppointmentStep::Cancel,
        "take" => AppointmentStep::Take,
        "wait" => AppointmentStep::Wait,
        "reschedule" | "move" => return reschedule(turn, &by, id).await,
        "rebook" => return rebook(turn, &by, id, words.next()).await,
        _ => return done(vec![turn.say(t::APPOINTMENTS_USAGE, &[])]),
    };
    let Some(id) = id else {
        return done(vec![turn.say(t::APPOINTMENTS_USAGE, &[])]);
    };
    match turn.appointments().appointment_step(&by, &id, step).await {
        Ok(a) => done(vec![turn.say(t::STEP_SENT, &[&a.facility_name])]),
        Err(e) => super::refusal(turn, e),
    }
}

async fn list(turn: &Turn<'_>, by: &Account) -> Step {
    let all = turn.appointments().appointments(by).await?;
    if all.is_empty() {
        return done(vec![turn.say(t::NO_APPOINTMENTS, &[])]);
    }
    let replies = all.iter().map(|a| card(turn, a)).collect();
    done(replies)
}

/// One appointment with the buttons its status allows.
fn card(turn: &Turn<'_>, a: &AppointmentInfo) -> Reply {
    let said = turn.t(status(&a.status), &[]);
    let start = when::when(&a.start);
    let line: [&str; 5] = [&a.service, &a.facility_name, &start, &a.name, &said];
    let reply = turn.say(t::APPOINTMENT_LINE, &line);
    let button = |text, verb: &str| {
        Button::command(turn.t(text, &[]), format!("/appointments {verb} {}", a.id))
    };
    let buttons = match a.status.as_str() {
        "confirmed" => vec![
            button(t::CANCEL_BUTTON, "cancel"),
            button(t::RESCHEDULE_BUTTON, "reschedule"),
        ],
        "offered" => vec![button(t::TAKE_BUTTON, "take")],
        "refused" => vec![button(t::WAIT_BUTTON, "wait")],
        "requested" | "waiting" => vec![button(t::CANCEL_BUTTON, "cancel")],
        _ => Vec::new(),
    };
    reply.row(buttons)
}

/// Asks for the new day of a confirmed appointment.
async fn reschedule(turn: &Turn<'_>, by: &Account, id: Option<String>) -> Step {
    let Some(id) = id else {
        return done(vec![turn.say(t::APPOINTMENTS_USAGE, &[])]);
    };
    let a = match turn.appointments().appointment(by, &id).await {
        Ok(a) => a,
        Err(e) => return super::refusal(turn, e),
    };
    // Today at the facility, in its zone (the node tells it: an offset may change by then).
    let choice = Choice {
        facility_id: a.facility_id.clone(),
        facility_name: a.facility_name.clone(),
        service: a.service.clone(),
        price: String::new(),
        currency: String::new(),
        today: a.today.clone(),
    };
    let head = turn.say(t::ASK_NEW_DAY, &[&a.service, &a.facility_name]);
    let (mut replies, asked) = book::ask_day(turn, book::moving(&id, choice))?;
    replies.insert(0, head);
    Ok((replies, asked))
}

/// Books one of the free slots a refusal offered, for the same person and service.
async fn rebook(turn: &Turn<'_>, by: &Account, id: Option<String>, start: Option<&str>) -> Step {
    let (Some(id), Some(start)) = (id, start) else {
        return done(vec![turn.say(t::APPOINTMENTS_USAGE, &[])]);
    };
    let a = match turn.appointments().appointment(by, &id).await {
        Ok(a) => a,
        Err(e) => return super::refusal(turn, e),
    };
    let draft = BookingDraft {
        facility_id: a.facility_id,
        service: a.service,
        start: start.to_owned(),
        health_id: Some(a.health_id),
    };
    match turn.appointments().book(by, draft).await {
        Ok(b) => done(vec![turn.say(t::BOOKING_SENT, &[&b.facility_name])]),
        Err(e) => super::refusal(turn, e),
    }
}

/// What a notice about appointment `id` says, read with the recipient's rights; `None`
/// when it cannot be read (the caller says there is news, with a button).
pub(crate) async fn told(turn: &Turn<'_>, id: &str, news: AppointmentNews) -> Option<Vec<Reply>> {
    let by = turn.accounts().account(turn.who).await.ok()??;
    let a = match turn.appointments().appointment(&by, id).await {
        Ok(a) => a,
        Err(e) => {
            tracing::warn!(appointment_id = id, error = %e, "appointment notice not readable");
            return None;
        }
    };
    let when = when::when(&a.start);
    Some(match news {
        AppointmentNews::Reminder => {
            vec![turn.say(t::REMINDER, &[&a.service, &a.facility_name, &when, &a.name])]
        }
        AppointmentNews::Answered => answered(turn, &a, &when),
    })
}

fn answered(turn: &Turn<'_>, a: &AppointmentInfo, when: &str) -> Vec<Reply> {
    let what = [a.service.as_str(), a.facility_name.as_str(), when];
    match a.status.as_str() {
        "confirmed" => confirmed(turn, a, when),
        "refused" => refused(turn, a, when),
        "cancelled" if a.check.as_deref() == Some("facility") => vec![turn.say(
            t::CANCELLED_BY_FACILITY,
            &[&a.service, &a.facility_name, when, &a.reason],
        )],
        "cancelled" => vec![turn.say(t::CANCELLED, &what)],
        "offered" => {
            let until = a
                .offer_expires
                .as_deref()
                .map(when::hhmm)
                .unwrap_or_default();
            let take = Button::command(
                turn.t(t::TAKE_BUTTON, &[]),
                format!("/appointments take {}", a.id),
            );
            vec![
                turn.say(t::OFFERED, &[&a.service, &a.facility_name, when, &until])
                    .row(vec![take]),
            ]
        }
        "waiting" => {
            let n = a.position.map(|p| p.to_string()).unwrap_or_default();
            vec![turn.say(t::WAITING, &[&n, &a.service, &a.facility_name, when])]
        }
        other => {
            let said = turn.t(status(other), &[]);
            vec![turn.say(t::ANSWER_STATUS, &[what[0], what[1], what[2], &said])]
        }
    }
}

/// The confirmation, the calendar file and the facility's map pin.
fn confirmed(turn: &Turn<'_>, a: &AppointmentInfo, when: &str) -> Vec<Reply> {
    let text = turn.t(t::CONFIRMED, &[&a.service, &a.facility_name, when, &a.name]);
    let summary = turn.t(t::ICS_SUMMARY, &[&a.service, &a.facility_name]);
    let cancel = Button::command(
        turn.t(t::CANCEL_BUTTON, &[]),
        format!("/appointments cancel {}", a.id),
    );
    let mut replies = vec![match super::ics::calendar(a, &summary, Utc::now()) {
        Some(file) => Reply::document(file, text).row(vec![cancel]),
        None => Reply::text(text).row(vec![cancel]),
    }];
    if let Some((lat, lon)) = a.place {
        replies.push(Reply::pin(Pin {
            lat,
            lon,
            title: a.facility_name.clone(),
            address: a.address.clone(),
        }));
    }
    replies
}

/// The refusal, the facility's reason, and the next free slots as buttons.
fn refused(turn: &Turn<'_>, a: &AppointmentInfo, when: &str) -> Vec<Reply> {
    let why = if a.reason.is_empty() {
        a.check.clone().unwrap_or_default()
    } else {
        a.reason.clone()
    };
    let mut reply = turn.say(t::REFUSED, &[&a.service, &a.facility_name, when, &why]);
    let buttons: Vec<Button> = a
        .next_free
        .iter()
        .take(NEXT_FREE)
        .map(|start| {
            Button::command(
                when::when(start),
                format!("/appointments rebook {} {start}", a.id),
            )
        })
        .collect();
    if !buttons.is_empty() {
        reply.text = format!("{}\n{}", reply.text, turn.t(t::NEXT_FREE, &[]));
        reply = reply.grid(buttons, 2);
    }
    let wait = Button::command(
        turn.t(t::WAIT_BUTTON, &[]),
        format!("/appointments wait {}", a.id),
    );
    vec![reply.row(vec![wait])]
}

/// `/agenda [day]`, `/agenda arrived ID`, `/agenda noshow ID`.
pub(crate) async fn agenda(turn: &Turn<'_>, by: Account, args: &str) -> Step {
    let mut words = args.split_whitespace();
    let verb = words.next().unwrap_or("").to_lowercase();
    let arrived = match verb.as_str() {
        "arrived" | "came" => true,
        "noshow" | "no_show" | "no-show" | "absent" => false,
        _ => return day_list(turn, &by, args.trim()).await,
    };
    let Some(id) = words.next().and_then(id_arg) else {
        return day_list(turn, &by, "").await;
    };
    match turn.appointments().attendance(&by, &id, arrived).await {
        Ok(line) => {
            let said = turn.t(status(&line.status), &[]);
            done(vec![turn.say(
                t::MARKED,
                &[&line.name, &when::hhmm(&line.start), &said],
            )])
        }
        Err(e) => super::refusal(turn, e),
    }
}

async fn day_list(turn: &Turn<'_>, by: &Account, day: &str) -> Step {
    // "tomorrow" counts from today at the facility, not from the UTC date.
    let today = turn.appointments().staff_today(by).await?;
    let today = today
        .and_then(|d| chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok())
        .unwrap_or_else(|| Utc::now().date_naive());
    let date = when::day(day, today).map(|d| d.format("%Y-%m-%d").to_string());
    let lines = match turn.appointments().agenda(by, date.as_deref()).await {
        Ok(lines) => lines,
        Err(e) => return super::refusal(turn, e),
    };
    let shown = date.unwrap_or_else(|| {
        lines
            .first()
            .and_then(|l| when::local(&l.start))
            .map_or_else(String::new, |t| t.format("%Y-%m-%d").to_string())
    });
    if lines.is_empty() {
        return done(vec![turn.say(t::AGENDA_EMPTY, &[&shown])]);
    }
    let mut replies = vec![turn.say(t::AGENDA_HEADER, &[&shown])];
    replies.extend(lines.iter().map(|l| agenda_line(turn, l)));
    done(replies)
}

fn agenda_line(turn: &Turn<'_>, l: &AgendaLine) -> Reply {
    let said = turn.t(status(&l.status), &[]);
    let mut text = turn.t(
        t::AGENDA_LINE,
        &[
            &when::hhmm(&l.start),
            &l.service,
            &l.name,
            &l.health_id,
            &said,
        ],
    );
    if l.no_shows > 0 {
        text.push_str(&turn.t(t::AGENDA_NO_SHOWS, &[&l.no_shows.to_string()]));
    }
    let short = when::hhmm(&l.start);
    let buttons = if matches!(l.status.as_str(), "confirmed" | "arrived" | "no_show") {
        vec![
            Button::command(
                turn.t(t::ARRIVED_BUTTON, &[&short]),
                format!("/agenda arrived {}", l.id),
            ),
            Button::command(
                turn.t(t::NO_SHOW_BUTTON, &[&short]),
                format!("/agenda noshow {}", l.id),
            ),
        ]
    } else {
        Vec::new()
    };
    Reply::text(text).row(buttons)
}
