//! `/start`, `/lang`, `/register` (with admin approval of requesters), `/approve`,
//! `/pending` and `/link`.

use super::{Answer, Gate, Step, ask, done, gate, id_arg, parse_location, valid_location};
use crate::engine::Turn;
use crate::lang::{Key, Lang};
use crate::notice::Notice;
use crate::port::{Account, Registration, Role};
use crate::reply::{Button, Reply};
use crate::session::{Dialogue, Session};

fn role_name(turn: &Turn<'_>, role: Role) -> String {
    match role {
        Role::Requester => turn.t(Key::RoleRequester, &[]),
        Role::Maker => turn.t(Key::RoleMaker, &[]),
        other => format!("{other:?}").to_lowercase(),
    }
}

pub(super) async fn start(turn: &Turn<'_>) -> Step {
    let reply = match turn.port().account(turn.who).await? {
        Some(a) if !a.approved => turn.say(Key::PendingApproval, &[&a.handle]),
        Some(a) => turn.say(Key::WelcomeBack, &[&a.handle, &role_name(turn, a.role)]),
        None => turn.say(Key::Welcome, &[turn.node_name()]).row(vec![
            Button::command("register", "/register"),
            Button::command("help", "/help"),
        ]),
    };
    done(vec![reply])
}

pub(super) fn lang(turn: &Turn<'_>, session: &mut Session, args: &str) -> Vec<Reply> {
    if let Some(lang) = Lang::parse(args) {
        session.lang = lang;
        let turn = Turn {
            lang,
            engine: turn.engine,
            who: turn.who,
        };
        return vec![turn.say(Key::LangSet, &[])];
    }
    let buttons = Lang::ALL
        .iter()
        .map(|l| Button::command(l.template(Key::LanguageName), format!("/lang {}", l.code())))
        .collect();
    vec![turn.say(Key::LangChoose, &[]).row(buttons)]
}

fn ask_role(turn: &Turn<'_>, first: Key) -> Step {
    let buttons = vec![
        Button::answer(turn.t(Key::RoleRequester, &[]), "role", "requester"),
        Button::answer(turn.t(Key::RoleMaker, &[]), "role", "maker"),
    ];
    ask(
        vec![turn.say(first, &[]).row(buttons)],
        Dialogue::Register { role: None },
    )
}

pub(super) async fn register(turn: &Turn<'_>) -> Step {
    match turn.port().account(turn.who).await? {
        Some(a) if !a.approved => done(vec![turn.say(Key::PendingApproval, &[&a.handle])]),
        Some(a) => done(vec![turn.say(
            Key::AlreadyRegistered,
            &[&a.handle, &role_name(turn, a.role)],
        )]),
        None => ask_role(turn, Key::AskRole),
    }
}

fn parse_role(text: &str) -> Option<Role> {
    match text.trim().to_lowercase().as_str() {
        "requester" | "health worker" | "nurse" | "doctor" | "1" => Some(Role::Requester),
        "maker" | "2" => Some(Role::Maker),
        _ => None,
    }
}

/// Asks for a location, with a share button and a skip button tagged for `step`.
pub(super) fn ask_location(turn: &Turn<'_>, step: &str, next: Dialogue) -> Step {
    let reply = turn
        .say(Key::AskLocation, &[])
        .with_location_request(turn.t(Key::ShareLocation, &[]))
        .row(vec![Button::answer(turn.t(Key::Skip, &[]), step, "skip")]);
    ask(vec![reply], next)
}

/// A location answer: `Ok(Some)` a place, `Ok(None)` skipped, `Err` not understood.
pub(super) fn location_answer(answer: &Answer) -> Result<Option<(f64, f64)>, ()> {
    match answer {
        Answer::Location(lat, lon) if valid_location(*lat, *lon) => Ok(Some((*lat, *lon))),
        Answer::Skip => Ok(None),
        Answer::Text(t) if t.eq_ignore_ascii_case("skip") => Ok(None),
        Answer::Text(t) => parse_location(t).map(Some).ok_or(()),
        Answer::Location(..) => Err(()),
    }
}

pub(super) async fn register_step(turn: &Turn<'_>, role: Option<Role>, answer: Answer) -> Step {
    let Some(role) = role else {
        return match &answer {
            Answer::Text(t) => match parse_role(t) {
                Some(role) => {
                    ask_location(turn, "reg-loc", Dialogue::Register { role: Some(role) })
                }
                None => ask_role(turn, Key::BadChoice),
            },
            _ => ask_role(turn, Key::BadChoice),
        };
    };
    let Ok(location) = location_answer(&answer) else {
        let reply = turn
            .say(Key::BadLocation, &[])
            .with_location_request(turn.t(Key::ShareLocation, &[]));
        return ask(vec![reply], Dialogue::Register { role: Some(role) });
    };
    if turn.port().account(turn.who).await?.is_some() {
        return register(turn).await;
    }
    let registration = Registration {
        role,
        location,
        display_name: turn.who.user.clone(),
    };
    let account = turn.port().register(turn.who, registration).await?;
    if account.approved {
        return done(vec![turn.say(Key::Registered, &[&account.handle])]);
    }
    let notice = Notice::Pending {
        handle: account.handle.clone(),
    };
    if let Err(e) = turn.port().notify_admins(notice).await {
        tracing::warn!(error = %e, "could not tell admins about a registration");
    }
    done(vec![turn.say(Key::RegisteredPending, &[&account.handle])])
}

async fn admin(turn: &Turn<'_>) -> crate::port::PortResult<Result<Account, Reply>> {
    Ok(match gate(turn, Gate::Member).await? {
        Ok(a) if a.role == Role::Admin => Ok(a),
        Ok(_) => Err(turn.say(Key::NotAdmin, &[])),
        Err(reply) => Err(reply),
    })
}

pub(super) async fn approve(turn: &Turn<'_>, args: &str) -> Step {
    let admin = match admin(turn).await? {
        Ok(a) => a,
        Err(reply) => return done(vec![reply]),
    };
    let Some(handle) = id_arg(args) else {
        let mut replies = vec![turn.say(Key::ApproveUsage, &[])];
        replies.extend(pending_list(turn).await?);
        return done(replies);
    };
    match turn.port().approve(&admin, &handle).await {
        Ok(account) => {
            if let Err(e) = turn.port().notify(&account.handle, Notice::Approved).await {
                tracing::warn!(error = %e, "could not tell a member about approval");
            }
            done(vec![turn.say(Key::ApprovedDone, &[&account.handle])])
        }
        Err(e) => super::refusal(turn, e),
    }
}

async fn pending_list(turn: &Turn<'_>) -> crate::port::PortResult<Vec<Reply>> {
    let pending = turn.port().pending().await?;
    if pending.is_empty() {
        return Ok(vec![turn.say(Key::NothingPending, &[])]);
    }
    let buttons = pending
        .iter()
        .take(20)
        .map(|h| Button::command(turn.t(Key::ApproveButton, &[h]), format!("/approve {h}")))
        .collect();
    Ok(vec![
        turn.say(Key::PendingList, &[&pending.join(", ")])
            .grid(buttons, 1),
    ])
}

pub(super) async fn pending(turn: &Turn<'_>) -> Step {
    match admin(turn).await? {
        Ok(_) => done(pending_list(turn).await?),
        Err(reply) => done(vec![reply]),
    }
}

pub(super) async fn link(turn: &Turn<'_>, args: &str) -> Step {
    if let Some(code) = id_arg(args) {
        return match turn.port().redeem_link_code(turn.who, &code).await {
            Ok(account) => done(vec![turn.say(Key::Linked, &[&account.handle])]),
            Err(e) => super::refusal(turn, e),
        };
    }
    match gate(turn, Gate::Member).await? {
        Ok(account) => {
            let code = turn.port().create_link_code(&account).await?;
            done(vec![turn.say(Key::LinkCode, &[&code])])
        }
        Err(reply) => done(vec![reply]),
    }
}
