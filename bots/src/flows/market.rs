//! `/needs`, `/proposals` with Accept / Defer / Decline buttons, the decisions, `/shipped`,
//! `/received` and `/stats` (text bars and a chart).

use caremesh_federation::object::{ProposalStatus, Verdict};

use super::{Step, done, id_arg, km};
use crate::engine::Turn;
use crate::lang::words::ChatWord;
use crate::lang::{Text, common, market as t};
use crate::port::{Account, ProposalInfo};
use crate::reply::{Button, Reply};

/// How many needs or offers one list shows.
const LIST_LIMIT: usize = 10;

pub(crate) async fn needs(turn: &Turn<'_>, account: Account) -> Step {
    let requests = turn.market().open_requests(&account, LIST_LIMIT).await?;
    if requests.is_empty() {
        return done(vec![turn.say(t::NO_NEEDS, &[])]);
    }
    let mut replies = vec![turn.say(t::NEEDS_HEADER, &[])];
    for r in requests {
        let remaining = r.quantity.saturating_sub(r.accepted).to_string();
        let line = turn.say(
            t::NEED_LINE,
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
                turn.t(t::OFFER_BUTTON, &[&r.product]),
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
        t::PROPOSAL_LINE,
        &[
            &p.maker,
            &p.quantity.to_string(),
            p.material.label(turn.lang),
            &p.product,
            &km(turn, p.distance_km),
            p.status.label(turn.lang),
            &eta,
            &p.id,
        ],
    );
    if let Some(contact) = p.contact.as_deref().filter(|c| !c.is_empty() && requester) {
        reply.text.push('\n');
        reply.text.push_str(&turn.t(t::CONTACT_LINE, &[contact]));
    }
    let button = |label: Text, verdict: &str| {
        Button::command(turn.t(label, &[]), format!("/{verdict} {}", p.id))
    };
    let row = match (requester, p.status) {
        (true, ProposalStatus::Pending | ProposalStatus::Deferred) => vec![
            button(t::ACCEPT_BUTTON, Verdict::Accept.as_str()),
            button(t::DEFER_BUTTON, Verdict::Defer.as_str()),
            button(t::DECLINE_BUTTON, Verdict::Decline.as_str()),
        ],
        (true, ProposalStatus::Shipped | ProposalStatus::Accepted) => {
            vec![button(t::RECEIVED_BUTTON, "received")]
        }
        (false, ProposalStatus::Accepted) => vec![button(t::SHIPPED_BUTTON, "shipped")],
        _ => Vec::new(),
    };
    reply.row(row)
}

pub(crate) async fn proposals(turn: &Turn<'_>, account: Account) -> Step {
    let list = turn.market().proposals(&account).await?;
    if list.is_empty() {
        return done(vec![turn.say(t::NO_PROPOSALS, &[])]);
    }
    let replies = list
        .iter()
        .take(LIST_LIMIT)
        .map(|p| proposal_reply(turn, p, p.maker != account.handle))
        .collect();
    done(replies)
}

/// `/accept`, `/defer`, `/decline`: the command is named after its verdict.
pub(crate) async fn decide(
    turn: &Turn<'_>,
    account: Account,
    args: &str,
    verdict: Verdict,
) -> Step {
    let Some(id) = id_arg(args) else {
        return done(vec![turn.say(common::ID_USAGE, &[verdict.as_str()])]);
    };
    let p = match turn.market().decide(&account, &id, verdict).await {
        Ok(p) => p,
        Err(e) => return super::refusal(turn, e),
    };
    let reply = match verdict {
        Verdict::Accept => turn.say(
            t::DECIDED_ACCEPT,
            &[&p.accepted.to_string(), &p.quantity.to_string()],
        ),
        Verdict::Defer => turn.say(t::DECIDED_DEFER, &[]),
        Verdict::Decline => turn.say(t::DECIDED_DECLINE, &[]),
        // Not chat commands: the node records them (receipt, the lapse sweep).
        Verdict::Received | Verdict::Lapse => {
            turn.say(common::UNKNOWN_COMMAND, &[verdict.as_str()])
        }
    };
    done(vec![reply])
}

pub(crate) async fn shipped(turn: &Turn<'_>, account: Account, args: &str) -> Step {
    let Some(id) = id_arg(args) else {
        return done(vec![turn.say(common::ID_USAGE, &["shipped"])]);
    };
    match turn.market().mark_shipped(&account, &id).await {
        Ok(_) => done(vec![turn.say(t::SHIPPED_DONE, &[])]),
        Err(e) => super::refusal(turn, e),
    }
}

pub(crate) async fn received(turn: &Turn<'_>, account: Account, args: &str) -> Step {
    let Some(id) = id_arg(args) else {
        return done(vec![turn.say(common::ID_USAGE, &["received"])]);
    };
    match turn.market().mark_received(&account, &id).await {
        Ok(p) => {
            done(vec![turn.say(
                t::RECEIVED_DONE,
                &[&p.accepted.to_string(), &p.product],
            )])
        }
        Err(e) => super::refusal(turn, e),
    }
}

/// A bar of at most 10 blocks for `part` of `whole`.
fn bar(part: u64, whole: u64) -> String {
    let filled = (part.min(whole) * 10).checked_div(whole).unwrap_or(0) as usize;
    format!("{}{}", "█".repeat(filled), "░".repeat(10 - filled))
}

/// `/stats`: needed, accepted and received per product, as text bars and a chart.
pub(crate) async fn stats(turn: &Turn<'_>) -> Step {
    let rows = turn.market().stats().await?;
    if rows.is_empty() {
        return done(vec![turn.say(t::NO_STATS, &[])]);
    }
    let mut lines = vec![turn.t(t::STATS_HEADER, &[])];
    for r in &rows {
        let chart = bar(r.received, r.needed);
        lines.push(turn.t(
            t::STATS_LINE,
            &[
                &r.product,
                &r.needed.to_string(),
                &r.accepted.to_string(),
                &r.received.to_string(),
                &chart,
            ],
        ));
    }
    let mut replies = vec![Reply::text(lines.join("\n"))];
    match crate::chart::stats_png(&rows, turn.lang) {
        Ok(png) => replies.push(Reply::image(png, "stats.png", turn.t(t::STATS_CHART, &[]))),
        // The figures are in the text already; the picture is a convenience.
        Err(e) => tracing::warn!(error = %e, "no /stats chart"),
    }
    done(replies)
}
