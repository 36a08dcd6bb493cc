//! `/start`, `/help`, `/lang`, `/register` (with admin approval of requesters), `/approve`,
//! `/pending` and `/link`.

use serde::{Deserialize, Serialize};

use super::place::{self, Where};
use super::{Answer, Gate, Question, Step, ask, done, id_arg, pass};
use crate::engine::Turn;
use crate::lang::words::{ChatWord, LANGUAGE_NAMES};
use crate::lang::{Lang, Text, account as t, common};
use crate::notice::Notice;
use crate::port::{Account, PortResult, Registration};
use crate::reply::{Button, Reply};
use crate::role::Role;
use crate::session::Session;

/// `/register` waits for a role, then a location.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct Registering {
    role: Option<Role>,
}

impl Question for Registering {
    fn tag(&self) -> &'static str {
        match self.role {
            None => "role",
            Some(_) => "reg-loc",
        }
    }
}

pub(crate) async fn start(turn: &Turn<'_>) -> Step {
    let reply = match turn.accounts().account(turn.who).await? {
        Some(a) if !a.approved => turn.say(common::PENDING_APPROVAL, &[&a.handle]),
        Some(a) => turn.say(t::WELCOME_BACK, &[&a.handle, a.role.label(turn.lang)]),
        None => turn.say(t::WELCOME, &[turn.node_name()]).row(vec![
            Button::command("register", "/register"),
            Button::command("help", "/help"),
        ]),
    };
    done(vec![reply])
}

pub(crate) async fn help(turn: &Turn<'_>) -> Step {
    done(vec![Reply::text(crate::command::help(
        turn.lang,
        turn.prefix(),
    ))])
}

pub(super) fn lang(turn: &Turn<'_>, session: &mut Session, args: &str) -> Vec<Reply> {
    if let Some(lang) = Lang::parse(args) {
        session.lang = lang;
        let turn = Turn {
            lang,
            engine: turn.engine,
            who: turn.who,
        };
        return vec![turn.say(common::LANG_SET, &[])];
    }
    let buttons = Lang::ALL
        .iter()
        .map(|l| Button::command(LANGUAGE_NAMES.label(*l), format!("/lang {}", l.code())))
        .collect();
    vec![turn.say(common::LANG_CHOOSE, &[]).row(buttons)]
}

/// The roles a person may pick for themselves (staff and admins are made by an admin).
const SELF_SERVICE: [Role; 3] = [Role::Requester, Role::Maker, Role::Patient];

fn ask_role(turn: &Turn<'_>, first: Text) -> Step {
    let buttons = SELF_SERVICE
        .iter()
        .map(|r| Button::answer(r.label(turn.lang), "role", r.as_str()))
        .collect();
    ask(
        vec![turn.say(first, &[]).row(buttons)],
        Registering { role: None },
    )
}

pub(crate) async fn register(turn: &Turn<'_>) -> Step {
    match turn.accounts().account(turn.who).await? {
        Some(a) if !a.approved => done(vec![turn.say(common::PENDING_APPROVAL, &[&a.handle])]),
        Some(a) => {
            done(vec![turn.say(
                t::ALREADY_REGISTERED,
                &[&a.handle, a.role.label(turn.lang)],
            )])
        }
        None => ask_role(turn, t::ASK_ROLE),
    }
}

/// A role typed or pressed: its name in any language, or its number in the list shown.
fn parse_role(text: &str) -> Option<Role> {
    let by_number = text
        .trim()
        .parse::<usize>()
        .ok()
        .and_then(|n| SELF_SERVICE.get(n.checked_sub(1)?).copied());
    by_number.or_else(|| Role::parse(text).filter(|r| SELF_SERVICE.contains(r)))
}

/// Asks for a location, with a share button and a skip button for the question `next`.
pub(super) fn ask_location(turn: &Turn<'_>, next: impl Question) -> Step {
    let reply = turn
        .say(t::ASK_LOCATION, &[])
        .with_location_request(turn.t(common::SHARE_LOCATION, &[]))
        .row(vec![Button::answer(
            turn.t(common::SKIP, &[]),
            next.tag(),
            "skip",
        )]);
    ask(vec![reply], next)
}

pub(crate) async fn register_step(turn: &Turn<'_>, state: Registering, answer: Answer) -> Step {
    let Some(role) = state.role else {
        return match &answer {
            Answer::Text(t) => match parse_role(t) {
                Some(role) => ask_location(turn, Registering { role: Some(role) }),
                None => ask_role(turn, common::BAD_CHOICE),
            },
            _ => ask_role(turn, common::BAD_CHOICE),
        };
    };
    let location = match place::answer(turn, &answer).await? {
        Where::At(at, _) => Some(at),
        Where::Skipped => None,
        said => {
            let reply = place::not_understood(turn, &said)
                .with_location_request(turn.t(common::SHARE_LOCATION, &[]));
            return ask(vec![reply], Registering { role: Some(role) });
        }
    };
    if turn.accounts().account(turn.who).await?.is_some() {
        return register(turn).await;
    }
    let registration = Registration {
        role,
        location,
        display_name: turn.who.user.clone(),
    };
    let account = turn.accounts().register(turn.who, registration).await?;
    if account.approved {
        return done(vec![turn.say(t::REGISTERED, &[&account.handle])]);
    }
    let notice = Notice::Pending {
        handle: account.handle.clone(),
    };
    if let Err(e) = turn.accounts().notify_admins(notice).await {
        tracing::warn!(error = %e, "could not tell admins about a registration");
    }
    done(vec![turn.say(t::REGISTERED_PENDING, &[&account.handle])])
}

pub(crate) async fn approve(turn: &Turn<'_>, admin: Account, args: &str) -> Step {
    let Some(handle) = id_arg(args) else {
        let mut replies = vec![turn.say(t::APPROVE_USAGE, &[])];
        replies.extend(pending_list(turn).await?);
        return done(replies);
    };
    let facility = args.split_whitespace().nth(1).and_then(id_arg);
    match turn
        .accounts()
        .approve(&admin, &handle, facility.as_deref())
        .await
    {
        Ok(account) => {
            let told = turn.accounts().notify(&account.handle, Notice::Approved);
            if let Err(e) = told.await {
                tracing::warn!(error = %e, "could not tell a member about approval");
            }
            done(vec![turn.say(t::APPROVED_DONE, &[&account.handle])])
        }
        Err(e) => super::refusal(turn, e),
    }
}

async fn pending_list(turn: &Turn<'_>) -> PortResult<Vec<Reply>> {
    let pending = turn.accounts().pending().await?;
    if pending.is_empty() {
        return Ok(vec![turn.say(t::NOTHING_PENDING, &[])]);
    }
    let buttons = pending
        .iter()
        .take(20)
        .map(|h| Button::command(turn.t(t::APPROVE_BUTTON, &[h]), format!("/approve {h}")))
        .collect();
    Ok(vec![
        turn.say(t::PENDING_LIST, &[&pending.join(", ")])
            .grid(buttons, 1),
    ])
}

pub(crate) async fn pending(turn: &Turn<'_>) -> Step {
    done(pending_list(turn).await?)
}

pub(crate) async fn link(turn: &Turn<'_>, args: &str) -> Step {
    if let Some(code) = id_arg(args) {
        return match turn.accounts().redeem_link_code(turn.who, &code).await {
            Ok(account) => done(vec![turn.say(t::LINKED, &[&account.handle])]),
            Err(e) => super::refusal(turn, e),
        };
    }
    match pass(turn, Gate::Member).await? {
        Ok(account) => {
            let code = turn.accounts().create_link_code(&account).await?;
            done(vec![turn.say(t::LINK_CODE, &[&code])])
        }
        Err(reply) => done(vec![reply]),
    }
}
