//! `/needs`, `/proposals` with Accept / Defer / Decline buttons, the decisions, `/shipped`
//! and `/received`.

use super::{Gate, Step, done, gate, id_arg, km};
use crate::engine::Turn;
use crate::lang::Key;
use crate::port::{ProposalInfo, Verdict};
use crate::reply::{Button, Reply};

/// How many needs or offers one list shows.
const LIST_LIMIT: usize = 10;

pub(super) async fn needs(turn: &Turn<'_>) -> Step {
    let account = match gate(turn, Gate::Member).await? {
        Ok(a) => a,
        Err(reply) => return done(vec![reply]),
    };
    let requests = turn.port().open_requests(&account, LIST_LIMIT).await?;
    if requests.is_empty() {
        return done(vec![turn.say(Key::NoNeeds, &[])]);
    }
    let mut replies = vec![turn.say(Key::NeedsHeader, &[])];
    for r in requests {
        let remaining = r.quantity.saturating_sub(r.accepted).to_string();
        let line = turn.say(
            Key::NeedLine,
            &[
                &r.product,
                &remaining,
                &r.quantity.to_string(),
                &r.facility_name,
                &km(turn, r.distance_km),
                &r.id,
            ],
        );
        let reply = if account.is_maker() {
            line.row(vec![Button::command(
                turn.t(Key::OfferButton, &[&r.product]),
                format!("/offer {}", r.id),
            )])
        } else {
            line
        };
        replies.push(reply);
    }
    done(replies)
}

/// One offer as a message, with the buttons that fit its status and the viewer.
pub(super) fn proposal_reply(turn: &Turn<'_>, p: &ProposalInfo, requester: bool) -> Reply {
    let eta = p.eta_days.map(|d| format!("ETA {d}d")).unwrap_or_default();
    let mut reply = turn.say(
        Key::ProposalLine,
        &[
            &p.maker,
            &p.quantity.to_string(),
            &p.material,
            &p.product,
            &km(turn, p.distance_km),
            &p.status,
            &eta,
            &p.id,
        ],
    );
    if let Some(contact) = p.contact.as_deref().filter(|c| !c.is_empty() && requester) {
        reply.text.push('\n');
        reply.text.push_str(&turn.t(Key::ContactLine, &[contact]));
    }
    let button =
        |key: Key, cmd: &str| Button::command(turn.t(key, &[]), format!("/{cmd} {}", p.id));
    let row = match (requester, p.status.as_str()) {
        (true, "pending" | "deferred") => vec![
            button(Key::AcceptButton, "accept"),
            button(Key::DeferButton, "defer"),
            button(Key::DeclineButton, "decline"),
        ],
        (true, "shipped" | "accepted") => vec![button(Key::ReceivedButton, "received")],
        (false, "accepted") => vec![button(Key::ShippedButton, "shipped")],
        _ => Vec::new(),
    };
    reply.row(row)
}

pub(super) async fn proposals(turn: &Turn<'_>) -> Step {
    let account = match gate(turn, Gate::Member).await? {
        Ok(a) => a,
        Err(reply) => return done(vec![reply]),
    };
    let list = turn.port().proposals(&account).await?;
    if list.is_empty() {
        return done(vec![turn.say(Key::NoProposals, &[])]);
    }
    let replies = list
        .iter()
        .take(LIST_LIMIT)
        .map(|p| proposal_reply(turn, p, p.maker != account.handle))
        .collect();
    done(replies)
}

fn command_name(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Accept => "accept",
        Verdict::Defer => "defer",
        Verdict::Decline => "decline",
    }
}

pub(super) async fn decide(turn: &Turn<'_>, args: &str, verdict: Verdict) -> Step {
    let account = match gate(turn, Gate::Requester).await? {
        Ok(a) => a,
        Err(reply) => return done(vec![reply]),
    };
    let Some(id) = id_arg(args) else {
        return done(vec![turn.say(Key::IdUsage, &[command_name(verdict)])]);
    };
    let p = match turn.port().decide(&account, &id, verdict).await {
        Ok(p) => p,
        Err(e) => return super::refusal(turn, e),
    };
    let reply = match verdict {
        Verdict::Accept => turn.say(
            Key::DecidedAccept,
            &[&p.accepted.to_string(), &p.quantity.to_string()],
        ),
        Verdict::Defer => turn.say(Key::DecidedDefer, &[]),
        Verdict::Decline => turn.say(Key::DecidedDecline, &[]),
    };
    done(vec![reply])
}

pub(super) async fn shipped(turn: &Turn<'_>, args: &str) -> Step {
    let account = match gate(turn, Gate::Maker).await? {
        Ok(a) => a,
        Err(reply) => return done(vec![reply]),
    };
    let Some(id) = id_arg(args) else {
        return done(vec![turn.say(Key::IdUsage, &["shipped"])]);
    };
    match turn.port().mark_shipped(&account, &id).await {
        Ok(_) => done(vec![turn.say(Key::ShippedDone, &[])]),
        Err(e) => super::refusal(turn, e),
    }
}

pub(super) async fn received(turn: &Turn<'_>, args: &str) -> Step {
    let account = match gate(turn, Gate::Requester).await? {
        Ok(a) => a,
        Err(reply) => return done(vec![reply]),
    };
    let Some(id) = id_arg(args) else {
        return done(vec![turn.say(Key::IdUsage, &["received"])]);
    };
    match turn.port().mark_received(&account, &id).await {
        Ok(p) => {
            done(vec![turn.say(
                Key::ReceivedDone,
                &[&p.accepted.to_string(), &p.product],
            )])
        }
        Err(e) => super::refusal(turn, e),
    }
}
