//! `/facility ID schedule …`: staff list, add and remove the bookable schedules of their
//! facility. A schedule is typed on one line, `key=value` words and a time range, the rest
//! its service's name; the node checks every field and names the one that is wrong.

use super::{Step, done, id_arg};
use crate::engine::Turn;
use crate::lang::appointments as t;
use crate::port::{Account, ScheduleInfo, ScheduleInput};
use crate::reply::{Button, Reply};

/// `/facility ID schedule [add …|remove SCHEDULE_ID]`.
pub(crate) async fn start(turn: &Turn<'_>, by: Account, facility_id: &str, rest: &[&str]) -> Step {
    match rest.split_first() {
        None => list(turn, facility_id).await,
        Some((verb, words)) if verb.eq_ignore_ascii_case("add") => {
            let Some(draft) = draft(words) else {
                return done(vec![turn.say(t::SCHEDULE_USAGE, &[])]);
            };
            match turn
                .appointments()
                .add_schedule(&by, facility_id, draft)
                .await
            {
                Ok(s) => done(vec![turn.say(t::SCHEDULE_ADDED, &[&line(turn, &s)])]),
                Err(e) => super::refusal(turn, e),
            }
        }
        Some((verb, words)) if matches!(verb.to_lowercase().as_str(), "remove" | "delete") => {
            let Some(id) = words.first().and_then(|w| id_arg(w)) else {
                return done(vec![turn.say(t::SCHEDULE_USAGE, &[])]);
            };
            match turn.appointments().remove_schedule(&by, &id).await {
                Ok(s) => done(vec![turn.say(t::SCHEDULE_REMOVED, &[&s.service])]),
                Err(e) => super::refusal(turn, e),
            }
        }
        Some(_) => done(vec![turn.say(t::SCHEDULE_USAGE, &[])]),
    }
}

async fn list(turn: &Turn<'_>, facility_id: &str) -> Step {
    let schedules = match turn.appointments().schedules(facility_id).await {
        Ok(s) => s,
        Err(e) => return super::refusal(turn, e),
    };
    if schedules.is_empty() {
        return done(vec![turn.say(t::SCHEDULES_NONE, &[facility_id])]);
    }
    let lines: Vec<String> = schedules.iter().map(|s| line(turn, s)).collect();
    let buttons = schedules
        .iter()
        .map(|s| {
            Button::command(
                turn.t(t::SCHEDULE_REMOVE_BUTTON, &[&s.service]),
                format!("/facility {facility_id} schedule remove {}", s.id),
            )
        })
        .collect();
    let head = turn.t(t::SCHEDULES_HEADER, &[facility_id]);
    done(vec![
        Reply::text(format!("{head}\n{}", lines.join("\n"))).grid(buttons, 2),
    ])
}

fn line(turn: &Turn<'_>, s: &ScheduleInfo) -> String {
    turn.t(
        t::SCHEDULE_LINE,
        &[
            &s.service,
            &s.kind,
            &s.days.join(","),
            &s.start,
            &s.end,
            &s.slot_minutes.to_string(),
            &s.capacity.to_string(),
            &s.price,
            &s.currency,
            &s.id,
        ],
    )
}

/// A schedule from typed words; `None` when no service name is left.
fn draft(words: &[&str]) -> Option<ScheduleInput> {
    let mut d = ScheduleInput::default();
    let mut name = Vec::new();
    for word in words {
        if let Some((key, value)) = word.split_once('=') {
            let value = value.trim().to_owned();
            let number = || value.parse::<i64>().ok();
            match key.to_lowercase().as_str() {
                "days" => d.days = value.split(',').map(|s| s.trim().to_lowercase()).collect(),
                "slot" | "slot_minutes" => d.slot_minutes = number(),
                "capacity" | "cap" => d.capacity = number(),
                "price" => d.price = value.parse().ok(),
                "currency" => d.currency = Some(value.to_uppercase()),
                "kind" => d.kind = Some(value.to_lowercase()),
                "specialty" => d.specialty = Some(value.to_lowercase()),
                "tz" | "time_zone" => d.time_zone = Some(value),
                _ => name.push(*word),
            }
        } else if let Some((start, end)) = word
            .split_once('-')
            .filter(|(a, b)| a.contains(':') && b.contains(':'))
        {
            d.start = Some(start.to_owned());
            d.end = Some(end.to_owned());
        } else {
            name.push(*word);
        }
    }
    let service = name.join(" ");
    (!service.is_empty()).then_some(ScheduleInput {
        service: Some(service),
        ..d
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_schedule_typed_on_one_line() {
        let words: Vec<&str> =
            "Flu shot days=mon,Wed 09:00-13:00 slot=15 capacity=2 price=250.5 kind=vaccination"
                .split_whitespace()
                .collect();
        let d = draft(&words).unwrap();
        assert_eq!(d.service.as_deref(), Some("Flu shot"));
        assert_eq!(d.days, vec!["mon", "wed"]);
        assert_eq!(
            (d.start.as_deref(), d.end.as_deref()),
            (Some("09:00"), Some("13:00"))
        );
        assert_eq!((d.slot_minutes, d.capacity), (Some(15), Some(2)));
        assert_eq!(d.price, Some(250.5));
        assert_eq!(d.kind.as_deref(), Some("vaccination"));
        // A bad number reaches the node as missing, which names the field.
        let d = draft(&["OPD", "capacity=many"]).unwrap();
        assert_eq!(d.capacity, None);
        assert!(draft(&["days=mon"]).is_none());
    }
}
