//! `/healthid` (issue one's own, show a card, erase with a confirmation) and `/family`
//! (dependants: a parent with no phone, a child), and how every health command picks one of
//! the member's health IDs.
//!
//! Health data never goes into a session: buttons carry what a next step needs, and the
//! only questions kept open (`/family add`, `/profile edit`) store a birth year or a
//! position in the member's own list, never a number, a name or a profile field.

use serde::{Deserialize, Serialize};

use super::{Answer, Gate, Question, Step, again, ask, done, number};
use crate::engine::Turn;
use crate::lang::health as t;
use crate::port::{Account, DependantDraft, HealthIdInfo, PortResult};
use crate::reply::{Button, Reply};

/// The digits of a shown number, for buttons: `42-1730-0000-0011` → `42173000000011`.
pub(super) fn digits(number: &str) -> String {
    number.chars().filter(char::is_ascii_digit).collect()
}

/// A health ID typed at the start of `args` (digits, with dashes or spaces), and the rest.
/// One or two digits alone are a position in the member's list (`/records 2`).
pub(super) fn take_id(args: &str) -> (Option<String>, &str) {
    let mut count = 0;
    let mut end = 0;
    let mut rest = args;
    loop {
        let trimmed = rest.trim_start();
        let Some(token) = trimmed.split_whitespace().next() else {
            break;
        };
        let digits_and_dashes = token
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '-' | '‐' | '‑' | '–' | '—'));
        if !digits_and_dashes || count >= 14 {
            break;
        }
        count += token.chars().filter(char::is_ascii_digit).count();
        rest = &trimmed[token.len()..];
        end = args.len() - rest.len();
    }
    if count == 0 {
        return (None, args.trim());
    }
    (Some(args[..end].trim().to_owned()), args[end..].trim())
}

/// The health ID an argument names for `by`, or the reply that says what to send: none
/// typed → their own, else their only one, else a button per ID for `command`; a position →
/// that entry of their list; a number → itself (the node reads it and names a typo).
pub(super) async fn choose(
    turn: &Turn<'_>,
    by: &Account,
    typed: Option<&str>,
    command: &str,
) -> PortResult<Result<String, Reply>> {
    let typed = typed.map(str::trim).filter(|t| !t.is_empty());
    if let Some(text) = typed.filter(|t| digits(t).len() > 2) {
        return Ok(Ok(text.to_owned()));
    }
    let ids = turn.health().health_ids(by).await?;
    if let Some(text) = typed {
        let place = text.parse::<usize>().ok().and_then(|n| n.checked_sub(1));
        return Ok(match place.and_then(|i| ids.get(i)) {
            Some(id) => Ok(id.number.clone()),
            None => Err(turn.say(t::NO_SUCH_PLACE, &[text, &ids.len().to_string()])),
        });
    }
    let only = (ids.len() == 1).then(|| ids.first()).flatten();
    match ids.iter().find(|i| i.own).or(only) {
        Some(id) => Ok(Ok(id.number.clone())),
        None if ids.is_empty() => Ok(Err(no_id_yet(turn))),
        None => Ok(Err(which(turn, &ids, command))),
    }
}

/// "Which one?", a button per ID running `command` for it.
fn which(turn: &Turn<'_>, ids: &[HealthIdInfo], command: &str) -> Reply {
    let buttons = ids
        .iter()
        .map(|i| Button::command(&i.name, format!("/{command} {}", digits(&i.number))))
        .collect();
    turn.say(t::WHICH_ID, &[]).grid(buttons, 2)
}

pub(super) fn no_id_yet(turn: &Turn<'_>) -> Reply {
    turn.say(t::NO_HEALTH_ID, &[]).row(vec![
        Button::command(turn.t(t::ISSUE_BUTTON, &[]), "/healthid new"),
        Button::command(turn.t(t::ADD_DEPENDANT_BUTTON, &[]), "/family add"),
    ])
}

/// The text of a card: name, number, address, and guardians for a dependant.
fn card_text(turn: &Turn<'_>, id: &HealthIdInfo) -> String {
    let mut text = turn.t(t::CARD, &[&id.name, &id.number, &id.address]);
    if !id.own {
        let year = id.birth_year.map(|y| y.to_string()).unwrap_or_default();
        text.push('\n');
        text.push_str(&turn.t(t::CARD_GUARDED, &[&id.guardians.join(", "), &year]));
    }
    text
}

/// The card as an image with its text; the text alone if the image cannot be made.
async fn card(turn: &Turn<'_>, by: &Account, id: &HealthIdInfo) -> PortResult<Reply> {
    let text = card_text(turn, id);
    Ok(match turn.health().health_card(by, &id.number).await {
        Ok(png) => Reply::image(png, "health-id.png", text),
        Err(e) => {
            tracing::warn!(error = %e, "no card image");
            Reply::text(text)
        }
    })
}

/// `/healthid`, `/healthid new`, `/healthid ID`, `/healthid delete [ID]`.
pub(crate) async fn healthid(turn: &Turn<'_>, by: Account, args: &str) -> Step {
    let (word, rest) = args.trim().split_once(' ').unwrap_or((args.trim(), ""));
    match word.to_lowercase().as_str() {
        "new" | "issue" => match turn.health().issue_health_id(&by, None).await {
            Ok(id) => done(vec![turn.say(t::ISSUED, &[]), card(turn, &by, &id).await?]),
            Err(e) => super::refusal(turn, e),
        },
        "delete" | "erase" => erase(turn, by, rest).await,
        "" => show_all(turn, by).await,
        _ => show_one(turn, by, args).await,
    }
}

async fn show_all(turn: &Turn<'_>, by: Account) -> Step {
    let ids = turn.health().health_ids(&by).await?;
    let Some(first) = ids.first() else {
        return done(vec![no_id_yet(turn)]);
    };
    let mut replies = vec![card(turn, &by, first).await?];
    if ids.len() > 1 {
        replies.push(which(turn, &ids[1..], "healthid"));
    } else if !first.own {
        replies.push(no_id_yet(turn));
    }
    done(replies)
}

async fn show_one(turn: &Turn<'_>, by: Account, typed: &str) -> Step {
    let number = match choose(turn, &by, Some(typed), "healthid").await? {
        Ok(n) => n,
        Err(reply) => return done(vec![reply]),
    };
    let ids = turn.health().health_ids(&by).await?;
    match ids.iter().find(|i| digits(&i.number) == digits(&number)) {
        Some(id) => done(vec![card(turn, &by, id).await?]),
        // Not one of theirs: the node says why (a mistyped check digit, or not found).
        None => match turn.health().health_card(&by, &number).await {
            Ok(png) => done(vec![Reply::image(png, "health-id.png", number)]),
            Err(e) => super::refusal(turn, e),
        },
    }
}

/// `/healthid delete [ID] [confirm]`: erasing needs a second press.
async fn erase(turn: &Turn<'_>, by: Account, args: &str) -> Step {
    let (typed, rest) = take_id(args);
    let confirmed = rest.eq_ignore_ascii_case("confirm");
    let number = match choose(turn, &by, typed.as_deref(), "healthid delete").await? {
        Ok(n) => n,
        Err(reply) => return done(vec![reply]),
    };
    if !confirmed {
        let yes = Button::command(
            turn.t(t::ERASE_ID_BUTTON, &[]),
            format!("/healthid delete {} confirm", digits(&number)),
        );
        let no = Button::command(turn.t(t::KEEP_BUTTON, &[]), "/cancel");
        return done(vec![
            turn.say(t::ERASE_ID_CONFIRM, &[&number]).row(vec![yes, no]),
        ]);
    }
    match turn.health().erase_health_id(&by, &number).await {
        Ok(()) => done(vec![turn.say(t::ID_ERASED, &[&number])]),
        Err(e) => super::refusal(turn, e),
    }
}

/// `/family add` waits for the birth year, then the name (the name comes last, so it is
/// never kept in the session).
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct AddingDependant {
    birth_year: Option<u32>,
}

impl Question for AddingDependant {
    fn tag(&self) -> &'static str {
        match self.birth_year {
            None => "dependant-year",
            Some(_) => "dependant-name",
        }
    }
}

/// `/family`, `/family add [NAME YEAR]`.
pub(crate) async fn family(turn: &Turn<'_>, by: Account, args: &str) -> Step {
    let (word, rest) = args.trim().split_once(' ').unwrap_or((args.trim(), ""));
    if word.eq_ignore_ascii_case("add") {
        let mut words: Vec<&str> = rest.split_whitespace().collect();
        let year = words.last().and_then(|w| w.parse::<i64>().ok());
        if let Some(year) = year.filter(|_| words.len() > 1) {
            words.pop();
            return add(turn, &by, words.join(" "), year).await;
        }
        let ask_year = turn.say(t::ASK_BIRTH_YEAR, &[]);
        return ask(vec![ask_year], AddingDependant { birth_year: None });
    }
    let ids = turn.health().health_ids(&by).await?;
    let dependants: Vec<&HealthIdInfo> = ids.iter().filter(|i| !i.own).collect();
    let add_button = Button::command(turn.t(t::ADD_DEPENDANT_BUTTON, &[]), "/family add");
    if dependants.is_empty() {
        return done(vec![turn.say(t::NO_DEPENDANTS, &[]).row(vec![add_button])]);
    }
    let mut replies = vec![turn.say(t::FAMILY_HEADER, &[])];
    for d in dependants {
        let year = d.birth_year.map(|y| y.to_string()).unwrap_or_default();
        let n = digits(&d.number);
        let line = turn.say(t::DEPENDANT_LINE, &[&d.name, &year, &d.number]);
        replies.push(line.row(vec![
            Button::command(turn.t(t::CARD_BUTTON, &[]), format!("/healthid {n}")),
            Button::command(turn.t(t::PROFILE_BUTTON, &[]), format!("/profile {n}")),
            Button::command(turn.t(t::RECORDS_BUTTON, &[]), format!("/records {n}")),
        ]));
    }
    replies.push(turn.say(t::FAMILY_MORE, &[]).row(vec![add_button]));
    done(replies)
}

/// An answer to `/family add`.
pub(crate) async fn family_step(turn: &Turn<'_>, state: AddingDependant, answer: Answer) -> Step {
    let text = match &answer {
        Answer::Text(text) => text.trim().to_owned(),
        Answer::Location(..) | Answer::Skip => String::new(),
    };
    let Some(year) = state.birth_year else {
        return match number(turn, &text, 1900, 2100) {
            Ok(year) => ask(
                vec![turn.say(t::ASK_DEPENDANT_NAME, &[])],
                AddingDependant {
                    birth_year: Some(year),
                },
            ),
            Err(reply) => ask(vec![reply], state),
        };
    };
    if text.is_empty() {
        return ask(vec![turn.say(t::ASK_DEPENDANT_NAME, &[])], state);
    }
    let by = match again(turn, Gate::Member).await? {
        Ok(a) => a,
        Err(refused) => return refused,
    };
    add(turn, &by, text, i64::from(year)).await
}

async fn add(turn: &Turn<'_>, by: &Account, name: String, birth_year: i64) -> Step {
    let draft = DependantDraft { name, birth_year };
    match turn.health().issue_health_id(by, Some(draft)).await {
        Ok(id) => done(vec![
            turn.say(t::DEPENDANT_ADDED, &[&id.name]),
            card(turn, by, &id).await?,
        ]),
        Err(e) => super::refusal(turn, e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_taken_from_the_front_of_a_line() {
        assert_eq!(
            take_id("42-1730-0000-0011 01JD confirm"),
            (Some("42-1730-0000-0011".into()), "01JD confirm")
        );
        assert_eq!(
            take_id(" 42 1730 0000 0011 lab x"),
            (Some("42 1730 0000 0011".into()), "lab x")
        );
        assert_eq!(take_id("2"), (Some("2".into()), ""));
        assert_eq!(take_id("confirm"), (None, "confirm"));
        assert_eq!(take_id(""), (None, ""));
        assert_eq!(digits("42-1730-0000-0011"), "42173000000011");
    }
}
