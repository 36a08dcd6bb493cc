//! `/consent`: for holders and guardians, the pending asks (who asks, purpose, record types,
//! dates, expiry) with Grant / Deny buttons, the live grants with Revoke, and `/consent
//! audit [ID]`; for staff, `/consent ask ID PURPOSE TYPES DAYS` and the asks they made.
//!
//! `/consent ask` keeps nothing in the session: each missing part is asked with buttons
//! that carry the whole line so far.

use caremesh_federation::vocabulary::{Purpose, RecordType};

use super::health::{choose, digits, take_id};
use super::{Step, done, id_arg};
use crate::engine::Turn;
use crate::lang::words::{ALL, ChatWord, labels};
use crate::lang::{Text, records as t};
use crate::port::{Account, ConsentDecision, ConsentDraft, ConsentInfo, ConsentState};
use crate::reply::{Button, Reply};

/// Audit lines shown, the latest.
const AUDIT_LINES: usize = 30;
/// Grant lengths offered, days.
const DAYS: [&str; 4] = ["7", "30", "90", "365"];

/// `/consent`, `/consent show|grant|deny|revoke ID`, `/consent audit [ID]`, `/consent ask …`.
pub(crate) async fn start(turn: &Turn<'_>, by: Account, args: &str) -> Step {
    let (word, rest) = args.trim().split_once(' ').unwrap_or((args.trim(), ""));
    let decision = match word.to_lowercase().as_str() {
        "" => return list(turn, by).await,
        "ask" => return ask(turn, by, rest).await,
        "audit" => return audit(turn, by, rest).await,
        "show" => return show(turn, by, rest).await,
        "grant" => ConsentDecision::Grant,
        "deny" => ConsentDecision::Deny,
        "revoke" => ConsentDecision::Revoke,
        _ => return done(vec![turn.say(t::CONSENT_USAGE, &[])]),
    };
    let Some(id) = id_arg(rest) else {
        return done(vec![turn.say(t::CONSENT_USAGE, &[])]);
    };
    match turn.health().decide_consent(&by, &id, decision).await {
        Ok(c) => {
            let said = match decision {
                ConsentDecision::Grant => t::GRANTED,
                ConsentDecision::Deny => t::DENIED,
                ConsentDecision::Revoke => t::REVOKED,
            };
            done(vec![turn.say(said, &[&c.facility, &when(&c.expires)])])
        }
        Err(e) => super::refusal(turn, e),
    }
}

/// `2025-01-31T12:00:00Z` → `2025-01-31 12:00 UTC`.
fn when(rfc3339: &str) -> String {
    match (rfc3339.get(..10), rfc3339.get(11..16)) {
        (Some(day), Some(time)) if rfc3339.ends_with('Z') => format!("{day} {time} UTC"),
        (Some(day), Some(time)) => format!("{day} {time}"),
        _ => rfc3339.to_owned(),
    }
}

/// A consent as a message, with the buttons its state allows for this viewer.
fn card(turn: &Turn<'_>, c: &ConsentInfo) -> Reply {
    let types = c
        .record_types
        .iter()
        .map(|r| r.label(turn.lang))
        .collect::<Vec<_>>()
        .join(", ");
    let dates = match (&c.from, &c.to) {
        (None, None) => turn.t(t::ANY_DATE, &[]),
        (from, to) => format!(
            "{} – {}",
            from.as_deref().unwrap_or("…"),
            to.as_deref().unwrap_or("…")
        ),
    };
    let person = if c.person.is_empty() {
        c.health_id.clone()
    } else {
        format!("{} ({})", c.person, c.health_id)
    };
    let reply = turn.say(
        t::CONSENT_CARD,
        &[
            &c.facility,
            &c.node,
            &person,
            &c.member,
            c.purpose.label(turn.lang),
            &types,
            &dates,
            &when(&c.expires),
            c.state.label(turn.lang),
        ],
    );
    let button = |label: Text, verb: &str| {
        Button::command(turn.t(label, &[]), format!("/consent {verb} {}", c.id))
    };
    match (c.decides, c.state) {
        (true, ConsentState::Requested) => reply.row(vec![
            button(t::GRANT_BUTTON, "grant"),
            button(t::DENY_BUTTON, "deny"),
        ]),
        (true, ConsentState::Granted) => reply.row(vec![button(t::REVOKE_BUTTON, "revoke")]),
        _ => reply,
    }
}

async fn list(turn: &Turn<'_>, by: Account) -> Step {
    let consents = match turn.health().consents(&by).await {
        Ok(c) => c,
        Err(e) => return super::refusal(turn, e),
    };
    let open = |c: &&ConsentInfo| {
        !c.decides || matches!(c.state, ConsentState::Requested | ConsentState::Granted)
    };
    let shown: Vec<&ConsentInfo> = consents.iter().filter(open).take(20).collect();
    let mut replies = vec![turn.say(
        if shown.is_empty() {
            t::NO_CONSENTS
        } else {
            t::CONSENTS_HEADER
        },
        &[],
    )];
    replies.extend(shown.into_iter().map(|c| card(turn, c)));
    if consents.iter().any(|c| c.decides) || consents.is_empty() {
        let audit = Button::command(turn.t(t::AUDIT_BUTTON, &[]), "/consent audit");
        replies.push(turn.say(t::CONSENT_MORE, &[]).row(vec![audit]));
    }
    done(replies)
}

async fn show(turn: &Turn<'_>, by: Account, args: &str) -> Step {
    let Some(id) = id_arg(args) else {
        return done(vec![turn.say(t::CONSENT_USAGE, &[])]);
    };
    let consents = turn.health().consents(&by).await?;
    match consents.iter().find(|c| c.id == id) {
        Some(c) => done(vec![card(turn, c)]),
        None => done(vec![turn.say(t::NO_SUCH_CONSENT, &[&id])]),
    }
}

async fn audit(turn: &Turn<'_>, by: Account, args: &str) -> Step {
    let (typed, _) = take_id(args);
    let number = match choose(turn, &by, typed.as_deref(), "consent audit").await? {
        Ok(n) => n,
        Err(reply) => return done(vec![reply]),
    };
    let lines = match turn.health().audit(&by, &number).await {
        Ok(l) => l,
        Err(e) => return super::refusal(turn, e),
    };
    let mut text = vec![turn.t(t::AUDIT_HEADER, &[&number])];
    let skip = lines.len().saturating_sub(AUDIT_LINES);
    text.extend(lines.iter().skip(skip).map(|l| {
        let check = l
            .check
            .as_deref()
            .map(|c| format!(" ({c})"))
            .unwrap_or_default();
        format!(
            "{} · {}{check} · {} @ {}",
            when(&l.at),
            l.action.label(turn.lang),
            l.who,
            l.node
        )
    }));
    done(vec![Reply::text(text.join("\n"))])
}

/// What `/consent ask` was given so far.
struct Asking {
    health_id: String,
    purpose: Option<Purpose>,
    types: Option<Vec<RecordType>>,
    days: Option<u32>,
    from: Option<String>,
    to: Option<String>,
}

/// Reads `ID [PURPOSE] [TYPES] [DAYS] [FROM] [TO]`; types are `all`, or names with commas.
fn asking(args: &str) -> Option<Asking> {
    let (health_id, rest) = take_id(args);
    let is_date = |w: &&str| w.len() == 10 && w.chars().filter(|c| *c == '-').count() == 2;
    let (dates, mut words): (Vec<&str>, Vec<&str>) = rest.split_whitespace().partition(is_date);
    let days = match words.last().and_then(|w| w.parse::<u32>().ok()) {
        Some(d) => {
            words.pop();
            Some(d)
        }
        None => None,
    };
    let purpose = words.first().and_then(|w| Purpose::parse(w));
    let typed = words
        .get(usize::from(purpose.is_some())..)
        .unwrap_or_default();
    let types = match typed.join(" ") {
        t if t.trim().is_empty() => None,
        t if ALL.matches(&t) => Some(RecordType::ALL.to_vec()),
        t => Some(
            t.split(',')
                .map(|name| RecordType::parse(name.trim()))
                .collect::<Option<Vec<_>>>()?,
        ),
    };
    let mut dates = dates.into_iter();
    Some(Asking {
        health_id: health_id?,
        purpose,
        types,
        days,
        from: dates.next().map(str::to_owned),
        to: dates.next().map(str::to_owned),
    })
}

/// `/consent ask ID PURPOSE TYPES DAYS [FROM] [TO]` (staff): asks with buttons for what is
/// missing, then sends the ask to the ID's home node.
async fn ask(turn: &Turn<'_>, by: Account, args: &str) -> Step {
    let Some(a) = asking(args) else {
        let (purposes, types) = (
            labels::<Purpose>(turn.lang),
            labels::<RecordType>(turn.lang),
        );
        return done(vec![turn.say(t::ASK_USAGE, &[&purposes, &types])]);
    };
    let line = format!("/consent ask {}", digits(&a.health_id));
    let Some(purpose) = a.purpose else {
        let buttons = Purpose::ALL
            .iter()
            .map(|p| Button::command(p.label(turn.lang), format!("{line} {}", p.as_str())))
            .collect();
        return done(vec![turn.say(t::ASK_PURPOSE, &[]).grid(buttons, 2)]);
    };
    let line = format!("{line} {}", purpose.as_str());
    let Some(types) = a.types else {
        let buttons = RecordType::ALL
            .iter()
            .map(|r| Button::command(r.label(turn.lang), format!("{line} {}", r.as_str())))
            .chain([Button::command(
                turn.t(t::ALL_TYPES, &[]),
                format!("{line} all"),
            )])
            .collect();
        return done(vec![turn.say(t::ASK_TYPES, &[]).grid(buttons, 2)]);
    };
    let Some(days) = a.days else {
        let names: Vec<&str> = types.iter().map(|r| r.as_str()).collect();
        let line = format!("{line} {}", names.join(","));
        let buttons = DAYS
            .iter()
            .map(|d| Button::command(format!("{d} d"), format!("{line} {d}")))
            .collect();
        return done(vec![turn.say(t::ASK_DAYS, &[]).row(buttons)]);
    };
    let draft = ConsentDraft {
        health_id: a.health_id,
        purpose,
        record_types: types,
        from: a.from,
        to: a.to,
        days,
    };
    match turn.health().ask_consent(&by, draft).await {
        Ok(c) => done(vec![turn.say(t::ASKED, &[&c.health_id]), card(turn, &c)]),
        Err(e) => super::refusal(turn, e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ask_line_fills_what_it_names() {
        let a = asking("42-1730-0000-0011 care lab report, imaging 30 2024-01-01").expect("read");
        assert_eq!(a.purpose, Some(Purpose::Care));
        assert_eq!(
            a.types,
            Some(vec![RecordType::LabReport, RecordType::Imaging])
        );
        assert_eq!((a.days, a.from.as_deref()), (Some(30), Some("2024-01-01")));
        let a = asking("42173000000011 बीमा all").expect("read");
        assert_eq!(
            (a.purpose, a.types.map(|t| t.len())),
            (Some(Purpose::Insurance), Some(6))
        );
        let a = asking("42173000000011").expect("read");
        assert!(a.purpose.is_none() && a.types.is_none() && a.days.is_none());
        assert!(asking("care all 30").is_none(), "the ID comes first");
        assert!(asking("42173000000011 care bananas 30").is_none());
        assert_eq!(when("2025-01-31T12:00:00Z"), "2025-01-31 12:00 UTC");
    }
}
