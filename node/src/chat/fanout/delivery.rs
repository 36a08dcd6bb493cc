//! How the fan-out hands notices over: once per marker, to every chat of the member, one
//! after another on each chat; held (`super::super::records::held`) while the member has
//! no chat, and sent when a first one is linked.

use std::time::Duration;

use caremesh_bots::chat::ChatUser;
use caremesh_bots::front;
use caremesh_bots::notice::Notice;
use caremesh_bots::outbound::SendError;

use super::{Fanout, SEND_ATTEMPTS};
use crate::chat::health_notices::Addressed;

impl Fanout {
    /// Sends each notice whose marker is new (or that has none).
    pub(super) fn send_addressed(&self, addressed: Vec<Addressed>) {
        for (handle, marker, notice) in addressed {
            if marker.is_none_or(|m| self.first(&m)) {
                self.deliver(&handle, notice);
            }
        }
    }

    /// True the first time a marker is seen.
    pub(super) fn first(&self, marker: &str) -> bool {
        let now = self.app.clock.now_ms();
        self.records.mark_sent(marker, now).unwrap_or_else(|e| {
            // Only the family ("hrec", "appt"...): the marker joins a member to the id of
            // her record, consent or appointment, which is hers, not the log's.
            let family = marker.split(':').next().unwrap_or_default();
            tracing::warn!(error = %e, family, "cannot record a sent notification");
            false
        })
    }

    /// Sends a notice to every chat of a member, in the background; holds it (flushed)
    /// while the member has no chat yet.
    pub(super) fn deliver(&self, handle: &str, notice: Notice) {
        let chats = self.records.chats_of(handle).unwrap_or_default();
        if chats.is_empty() {
            self.hold(handle, notice);
        } else {
            self.send(chats, vec![notice]);
        }
    }

    /// Keeps a notice until the member links a first chat (`records::held`).
    fn hold(&self, handle: &str, notice: Notice) {
        let now = self.app.clock.now_ms();
        let dropped = match self.records.hold(handle, &notice, now) {
            Ok(dropped) => dropped,
            Err(e) => {
                tracing::warn!(member = handle, error = %e, "a notice for a member with no chat was not held");
                return;
            }
        };
        if dropped > 0 {
            tracing::info!(
                member = handle,
                dropped,
                "held notices dropped (too many or too old)"
            );
        }
        // Said held once it is durable.
        let (store, member) = (self.store.clone(), handle.to_owned());
        tokio::task::spawn_blocking(move || match store.flush() {
            Ok(()) => {
                tracing::debug!(
                    member = member.as_str(),
                    "notice held until the member links a chat"
                )
            }
            Err(e) => {
                tracing::warn!(member = member.as_str(), error = %e, "held notice not flushed")
            }
        });
        // A chat linked while this was being held: `link` looked before it was there.
        if self.records.chats_of(handle).is_ok_and(|c| !c.is_empty()) {
            self.release(handle);
        }
    }

    /// Sends what was held for a member who now has a chat, in the order it was held.
    pub(super) fn release(&self, handle: &str) {
        let taken = match self.records.take_held(handle, self.app.clock.now_ms()) {
            Ok(taken) => taken,
            Err(e) => {
                tracing::warn!(member = handle, error = %e, "cannot read held notices");
                return;
            }
        };
        if taken.expired > 0 {
            tracing::info!(
                member = handle,
                dropped = taken.expired,
                "held notices dropped (too old)"
            );
        }
        if taken.notices.is_empty() {
            return;
        }
        tracing::info!(
            member = handle,
            notices = taken.notices.len(),
            "held notices sent to a new chat"
        );
        let chats = self.records.chats_of(handle).unwrap_or_default();
        self.send(chats, taken.notices);
    }

    /// Sends notices to chats in the background, one after another on each chat.
    fn send(&self, chats: Vec<ChatUser>, notices: Vec<Notice>) {
        for chat in chats {
            let Some(outbound) = self.outbounds.get(&chat.platform).cloned() else {
                continue;
            };
            let engine = self.engine.clone();
            let notices = notices.clone();
            tokio::spawn(async move {
                for notice in &notices {
                    let replies = engine.render_notice(&chat, notice).await;
                    let wait = |e: &SendError, attempt| {
                        tracing::warn!(chat = %chat.key(), error = %e, attempt, "notification not sent");
                        let SendError::Platform { retry_after, .. } = e;
                        Some(
                            retry_after.unwrap_or(front::doubling(Duration::from_secs(1), attempt)),
                        )
                    };
                    let sent = front::retry(SEND_ATTEMPTS, wait, || outbound.send(&chat, &replies));
                    if sent.await.is_err() {
                        tracing::warn!(chat = %chat.key(), "notification dropped after {SEND_ATTEMPTS} attempts");
                    }
                }
            });
        }
    }
}
