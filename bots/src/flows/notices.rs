//! Notifications rendered for their recipient, with the buttons that act on them.

use caremesh_federation::object::Verdict;

use super::km;
use super::market::proposal_reply;
use crate::engine::Turn;
use crate::lang::words::ChatWord;
use crate::lang::{account, appointments, market as t, orders, records};
use crate::notice::Notice;
use crate::port::ProposalInfo;
use crate::reply::{Button, Reply, Tone};

/// The messages telling `turn.who` about `notice`.
pub(crate) async fn render(turn: &Turn<'_>, notice: &Notice) -> Vec<Reply> {
    if let Notice::Appointment {
        appointment_id,
        news,
    } = notice
        && let Some(mut replies) = super::appointments::told(turn, appointment_id, *news).await
    {
        replies.iter_mut().for_each(|r| r.tone = Tone::Notice);
        return replies;
    }
    if let Notice::Order { order_id, news } = notice
        && let Some(mut replies) = super::orders::told(turn, order_id, *news).await
    {
        replies.iter_mut().for_each(|r| r.tone = Tone::Notice);
        return replies;
    }
    vec![one(turn, notice)]
}

/// The one message telling `turn.who` about `notice` (for an appointment: that there is
/// news, when it cannot be read now).
fn one(turn: &Turn<'_>, notice: &Notice) -> Reply {
    let mut reply = match notice {
        Notice::NewRequest { request: r } => {
            let qty = r.quantity.saturating_sub(r.accepted).to_string();
            turn.say(
                t::NOTICE_NEW_REQUEST,
                &[&r.product, &qty, &r.facility_name, &km(turn, r.distance_km)],
            )
            .row(vec![Button::command(
                turn.t(t::OFFER_BUTTON, &[&r.product]),
                format!("/offer {}", r.id),
            )])
        }
        Notice::NewProposal { proposal: p } => {
            let head = turn.t(
                t::NOTICE_NEW_PROPOSAL,
                &[
                    &p.product,
                    &p.quantity.to_string(),
                    p.material.label(turn.lang),
                    &p.maker,
                    &km(turn, p.distance_km),
                ],
            );
            let mut reply = proposal_reply(turn, p, true);
            reply.text = format!("{head}\n{}", reply.text);
            reply
        }
        Notice::Decided {
            proposal: p,
            verdict,
        } => decided(turn, p, *verdict),
        Notice::Shipped { proposal: p } => turn
            .say(
                t::NOTICE_SHIPPED,
                &[&p.product, &p.accepted.to_string(), &p.maker, &p.id],
            )
            .row(vec![Button::command(
                turn.t(t::RECEIVED_BUTTON, &[]),
                format!("/received {}", p.id),
            )]),
        Notice::Pending { handle } => {
            turn.say(account::NOTICE_PENDING, &[handle])
                .row(vec![Button::command(
                    turn.t(account::APPROVE_BUTTON, &[handle]),
                    format!("/approve {handle}"),
                )])
        }
        Notice::Approved => turn.say(account::NOTICE_APPROVED, &[]),
        Notice::RecordArrived { .. } => {
            turn.say(records::NOTICE_RECORD, &[])
                .row(vec![Button::command(
                    turn.t(records::SHOW_RECORDS_BUTTON, &[]),
                    "/records",
                )])
        }
        Notice::ConsentAsked { consent_id } => {
            turn.say(records::NOTICE_CONSENT_ASKED, &[])
                .row(vec![Button::command(
                    turn.t(records::REVIEW_BUTTON, &[]),
                    format!("/consent show {consent_id}"),
                )])
        }
        Notice::ConsentDecided { consent_id } => turn
            .say(records::NOTICE_CONSENT_DECIDED, &[])
            .row(vec![Button::command(
                turn.t(records::REVIEW_BUTTON, &[]),
                format!("/consent show {consent_id}"),
            )]),
        Notice::UploadAnswered { upload_id, stored } => {
            let text = if *stored {
                records::NOTICE_UPLOAD_STORED
            } else {
                records::NOTICE_UPLOAD_REFUSED
            };
            turn.say(text, &[upload_id])
        }
        Notice::Erased { consent_id } => turn.say(records::NOTICE_ERASED, &[consent_id]),
        Notice::Appointment { .. } => {
            turn.say(appointments::APPOINTMENT_NEWS, &[])
                .row(vec![Button::command(
                    turn.t(appointments::SHOW_BUTTON, &[]),
                    "/appointments",
                )])
        }
        Notice::Order { .. } => turn.say(orders::ORDER_NEWS, &[]).row(vec![Button::command(
            turn.t(orders::SHOW_BUTTON, &[]),
            "/orders",
        )]),
    };
    reply.tone = Tone::Notice;
    reply
}

/// What the maker hears about the requester's decision on their offer.
fn decided(turn: &Turn<'_>, p: &ProposalInfo, verdict: Verdict) -> Reply {
    match verdict {
        Verdict::Accept => turn
            .say(
                t::NOTICE_ACCEPTED,
                &[&p.product, &p.accepted.to_string(), &p.id],
            )
            .row(vec![Button::command(
                turn.t(t::SHIPPED_BUTTON, &[]),
                format!("/shipped {}", p.id),
            )]),
        Verdict::Defer => turn.say(t::NOTICE_DEFERRED, &[&p.product]),
        Verdict::Decline => turn.say(t::NOTICE_DECLINED, &[&p.product]),
        Verdict::Received => turn.say(t::NOTICE_RECEIVED, &[&p.product, &p.accepted.to_string()]),
        Verdict::Lapse => turn.say(t::NOTICE_LAPSED, &[&p.product]),
    }
}
