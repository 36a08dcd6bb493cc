//! Notifications rendered for their recipient, with the buttons that act on them.

use super::km;
use super::market::proposal_reply;
use crate::engine::Turn;
use crate::lang::Key;
use crate::notice::Notice;
use crate::port::Verdict;
use crate::reply::{Button, Reply, Tone};

/// The message telling `turn.who` about `notice`.
pub(crate) fn render(turn: &Turn<'_>, notice: &Notice) -> Reply {
    let mut reply = match notice {
        Notice::NewRequest { request: r } => {
            let qty = r.quantity.saturating_sub(r.accepted).to_string();
            turn.say(
                Key::NoticeNewRequest,
                &[&r.product, &qty, &r.facility_name, &km(turn, r.distance_km)],
            )
            .row(vec![Button::command(
                turn.t(Key::OfferButton, &[&r.product]),
                format!("/offer {}", r.id),
            )])
        }
        Notice::NewProposal { proposal: p } => {
            let head = turn.t(
                Key::NoticeNewProposal,
                &[
                    &p.product,
                    &p.quantity.to_string(),
                    &p.material,
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
        } => match verdict {
            Verdict::Accept => turn
                .say(
                    Key::NoticeAccepted,
                    &[&p.product, &p.accepted.to_string(), &p.id],
                )
                .row(vec![Button::command(
                    turn.t(Key::ShippedButton, &[]),
                    format!("/shipped {}", p.id),
                )]),
            Verdict::Defer => turn.say(Key::NoticeDeferred, &[&p.product]),
            Verdict::Decline => turn.say(Key::NoticeDeclined, &[&p.product]),
        },
        Notice::Shipped { proposal: p } => turn
            .say(
                Key::NoticeShipped,
                &[&p.product, &p.accepted.to_string(), &p.maker, &p.id],
            )
            .row(vec![Button::command(
                turn.t(Key::ReceivedButton, &[]),
                format!("/received {}", p.id),
            )]),
        Notice::Received { proposal: p } => {
            turn.say(Key::NoticeReceived, &[&p.product, &p.accepted.to_string()])
        }
        Notice::Pending { handle } => {
            turn.say(Key::NoticePending, &[handle])
                .row(vec![Button::command(
                    turn.t(Key::ApproveButton, &[handle]),
                    format!("/approve {handle}"),
                )])
        }
        Notice::Approved => turn.say(Key::NoticeApproved, &[]),
    };
    reply.tone = Tone::Notice;
    reply
}
