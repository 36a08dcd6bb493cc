//! What the chat front ends keep in the node's store (space `chat`), each key family under
//! its own prefix: which member a chat user is (`link/`) and where a member can be reached
//! (`via/`), requesters waiting for approval (`pending/`), one-time link codes (`code/`),
//! alert subscriptions (`sub/`), members' chat locations (`loc/`), dialogue sessions
//! (`session/`), markers of notifications already sent (`sent/`, with the time, pruned
//! after [`SENT_KEPT_MS`]), queued notices (`queue/`), notices held for members with no
//! chat yet (`held/`, see [`held`]) and how far the fan-out read the store's log (`cursor/`). Values are version-tagged
//! records. Each family is read by its prefix, never by scanning the whole space.

use std::sync::Arc;

use caremesh_bots::chat::ChatUser;
use caremesh_bots::notice::Notice;
use caremesh_bots::port::Subscription;
use caremesh_bots::role::Role;
use caremesh_bots::session::{Session, SessionError, SessionStore};
use serde::{Deserialize, Serialize, de::DeserializeOwned};

use crate::store::{Space, Store, StoreError, record};

pub mod held;

/// How long a marker of a sent notification is kept (90 days): past that, an object that
/// comes again (an old need's update, say) may be announced once more.
pub const SENT_KEPT_MS: i64 = 90 * 86_400_000;
/// The most markers kept; beyond that the oldest go first.
pub const SENT_KEPT_MAX: usize = 200_000;

/// A key sequence after `last` (a ULID of an earlier key of the family), also within the same
/// millisecond: keys read back in the order they were written.
fn next_seq(last: Option<&str>) -> ulid::Ulid {
    let now = ulid::Ulid::new();
    match last.and_then(|l| ulid::Ulid::from_string(l).ok()) {
        Some(last) if last >= now => last.increment().unwrap_or(now),
        _ => now,
    }
}

/// A requester waiting for an admin.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Pending {
    pub who: ChatUser,
    pub role: Role,
    pub location: Option<(f64, f64)>,
}

/// A one-time code for `/link`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LinkCode {
    pub handle: String,
    pub expires_ms: i64,
}

/// Chat records in a store.
#[derive(Clone)]
pub struct ChatRecords {
    store: Arc<dyn Store>,
}

impl ChatRecords {
    /// Records kept in `store`.
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self { store }
    }

    fn get<T: DeserializeOwned>(
        &self,
        what: &'static str,
        key: &str,
    ) -> Result<Option<T>, StoreError> {
        match self.store.get(Space::Chat, key)? {
            Some(bytes) => Ok(Some(record::decode(what, key, &bytes)?)),
            None => Ok(None),
        }
    }

    fn put<T: Serialize>(&self, key: &str, value: &T) -> Result<(), StoreError> {
        self.store.put(Space::Chat, key, &record::encode(value))
    }

    /// The member handle a chat user is linked to.
    pub fn handle_of(&self, who: &ChatUser) -> Result<Option<String>, StoreError> {
        self.get("chat link", &format!("link/{}", who.key()))
    }

    /// Links a chat user to a member, so notices for the member reach this chat (and those
    /// held until the member had one, see [`held`]). The release of held notices is written
    /// first: after a crash (the store keeps a prefix of the writes) a linked chat never
    /// lacks it; a release whose chat was not linked waits (see [`Self::take_released`]).
    /// Held notices are looked for again once the chat is written: one held meanwhile saw
    /// no chat yet, and would otherwise wait for the hourly sweep.
    pub fn link(&self, who: &ChatUser, handle: &str) -> Result<(), StoreError> {
        if self.has_held(handle)? {
            self.release_held(handle)?;
        }
        if let Some(old) = self.handle_of(who)? {
            self.store
                .delete(Space::Chat, &format!("via/{old}/{}", who.key()))?;
        }
        self.put(&format!("via/{handle}/{}", who.key()), who)?;
        self.put(&format!("link/{}", who.key()), &handle)?;
        if self.has_held(handle)? {
            self.release_held(handle)?;
        }
        Ok(())
    }

    /// Every chat a member can be reached on.
    pub fn chats_of(&self, handle: &str) -> Result<Vec<ChatUser>, StoreError> {
        let prefix = format!("via/{handle}/");
        self.scan_prefix("chat route", &prefix)
    }

    fn scan_prefix<T: DeserializeOwned>(
        &self,
        what: &'static str,
        prefix: &str,
    ) -> Result<Vec<T>, StoreError> {
        self.store
            .scan_prefix(Space::Chat, prefix)?
            .into_iter()
            .map(|(key, value)| record::decode(what, &key, &value))
            .collect()
    }

    /// A waiting requester.
    pub fn pending(&self, handle: &str) -> Result<Option<Pending>, StoreError> {
        self.get("pending registration", &format!("pending/{handle}"))
    }

    /// Records a waiting requester; false if the handle already waits.
    pub fn add_pending(&self, handle: &str, pending: &Pending) -> Result<bool, StoreError> {
        self.store.insert_new(
            Space::Chat,
            &format!("pending/{handle}"),
            &record::encode(pending),
        )
    }

    /// Drops a waiting requester.
    pub fn remove_pending(&self, handle: &str) -> Result<(), StoreError> {
        self.store
            .delete(Space::Chat, &format!("pending/{handle}"))
            .map(|_| ())
    }

    /// Handles of every waiting requester.
    pub fn pending_handles(&self) -> Result<Vec<String>, StoreError> {
        Ok(self
            .store
            .scan_prefix(Space::Chat, "pending/")?
            .into_iter()
            .filter_map(|(k, _)| k.strip_prefix("pending/").map(str::to_owned))
            .collect())
    }

    /// Stores a link code.
    pub fn put_code(&self, code: &str, link: &LinkCode) -> Result<(), StoreError> {
        self.put(&format!("code/{code}"), link)
    }

    /// Takes a link code (it works once).
    pub fn take_code(&self, code: &str) -> Result<Option<LinkCode>, StoreError> {
        let key = format!("code/{code}");
        let found = self.get("link code", &key)?;
        if found.is_some() && !self.store.delete(Space::Chat, &key)? {
            return Ok(None);
        }
        Ok(found)
    }

    /// A member's alert subscription.
    pub fn subscription(&self, handle: &str) -> Result<Option<Subscription>, StoreError> {
        self.get("subscription", &format!("sub/{handle}"))
    }

    /// Stores a member's alert subscription.
    pub fn set_subscription(&self, handle: &str, sub: &Subscription) -> Result<(), StoreError> {
        self.put(&format!("sub/{handle}"), sub)?;
        self.put("sub-stamp", &ulid::Ulid::new().to_string())
    }

    /// Changes whenever a subscription changes; cheap to poll.
    pub fn subscription_stamp(&self) -> Result<Option<String>, StoreError> {
        self.get("subscription stamp", "sub-stamp")
    }

    /// Keeps a message for a terminal user, who reads it with their next line, after the
    /// ones kept before it (a notice of several messages reads in order).
    pub fn put_inbox(
        &self,
        who: &ChatUser,
        reply: &caremesh_bots::reply::Reply,
    ) -> Result<(), StoreError> {
        let prefix = format!("inbox/{}/", who.key());
        let last = self.store.scan_prefix(Space::Chat, &prefix)?.pop();
        let seq = next_seq(last.as_ref().and_then(|(k, _)| k.strip_prefix(&prefix)));
        self.put(&format!("{prefix}{seq}"), reply)
    }

    /// Takes the messages kept for a terminal user.
    pub fn take_inbox(
        &self,
        who: &ChatUser,
    ) -> Result<Vec<caremesh_bots::reply::Reply>, StoreError> {
        let prefix = format!("inbox/{}/", who.key());
        let mut out = Vec::new();
        for (key, value) in self.store.scan_prefix(Space::Chat, &prefix)? {
            if self.store.delete(Space::Chat, &key)? {
                out.push(record::decode("terminal message", &key, &value)?);
            }
        }
        Ok(out)
    }

    /// Every subscription, with its member's handle.
    pub fn subscriptions(&self) -> Result<Vec<(String, Subscription)>, StoreError> {
        let mut out = Vec::new();
        for (key, value) in self.store.scan_prefix(Space::Chat, "sub/")? {
            if let Some(handle) = key.strip_prefix("sub/") {
                out.push((
                    handle.to_owned(),
                    record::decode("subscription", &key, &value)?,
                ));
            }
        }
        Ok(out)
    }

    /// Where a member said they are, in chat.
    pub fn location(&self, handle: &str) -> Result<Option<(f64, f64)>, StoreError> {
        self.get("chat location", &format!("loc/{handle}"))
    }

    /// Stores where a member is.
    pub fn set_location(&self, handle: &str, at: (f64, f64)) -> Result<(), StoreError> {
        self.put(&format!("loc/{handle}"), &at)
    }

    /// Marks a notification as sent at `now_ms`; false if it was already (so it is not sent
    /// twice, across restarts and re-deliveries too, for [`SENT_KEPT_MS`]).
    pub fn mark_sent(&self, marker: &str, now_ms: i64) -> Result<bool, StoreError> {
        self.store.insert_new(
            Space::Chat,
            &format!("sent/{marker}"),
            &record::encode(&now_ms),
        )
    }

    /// Forgets the markers of notifications sent more than [`SENT_KEPT_MS`] ago, then the
    /// oldest beyond [`SENT_KEPT_MAX`]. A marker of an older release (no time) is dated
    /// `now_ms`, so it goes [`SENT_KEPT_MS`] later. Returns how many were forgotten.
    pub fn prune_sent(&self, now_ms: i64) -> Result<usize, StoreError> {
        self.prune_sent_past(now_ms, SENT_KEPT_MS, SENT_KEPT_MAX)
    }

    fn prune_sent_past(
        &self,
        now_ms: i64,
        kept_ms: i64,
        kept_max: usize,
    ) -> Result<usize, StoreError> {
        let mut kept: Vec<(i64, String)> = Vec::new();
        let mut forgotten = 0;
        for (key, value) in self.store.scan_prefix(Space::Chat, "sent/")? {
            let Ok(at) = record::decode::<i64>("sent marker", &key, &value) else {
                self.store
                    .put(Space::Chat, &key, &record::encode(&now_ms))?;
                kept.push((now_ms, key));
                continue;
            };
            if at.saturating_add(kept_ms) < now_ms {
                forgotten += usize::from(self.store.delete(Space::Chat, &key)?);
            } else {
                kept.push((at, key));
            }
        }
        if kept.len() > kept_max {
            kept.sort();
            let over = kept.len() - kept_max;
            for (_, key) in kept.into_iter().take(over) {
                forgotten += usize::from(self.store.delete(Space::Chat, &key)?);
            }
        }
        Ok(forgotten)
    }

    /// A log cursor (`cursor/NAME`): the last log entry a reader of the chat side handled.
    pub fn cursor(&self, key: &str) -> Result<Option<u64>, StoreError> {
        self.get("chat log cursor", key)
    }

    /// Moves a log cursor.
    pub fn set_cursor(&self, key: &str, seq: u64) -> Result<(), StoreError> {
        self.put(key, &seq)
    }

    /// Queues a notice for a member (`None`: for the admins).
    pub fn enqueue(&self, handle: Option<&str>, notice: &Notice) -> Result<(), StoreError> {
        let id = ulid::Ulid::new().to_string();
        self.put(&format!("queue/{id}"), &(handle.map(str::to_owned), notice))?;
        self.wake()
    }

    /// Tells the fan-out there is something to send (it polls [`Self::queue_stamp`]).
    fn wake(&self) -> Result<(), StoreError> {
        self.put("queue-stamp", &ulid::Ulid::new().to_string())
    }

    /// Changes whenever a notice is queued or held ones may go; cheap to poll.
    pub fn queue_stamp(&self) -> Result<Option<String>, StoreError> {
        self.get("queue stamp", "queue-stamp")
    }

    /// Takes every queued notice, oldest first.
    pub fn drain_queue(&self) -> Result<Vec<(Option<String>, Notice)>, StoreError> {
        let mut out = Vec::new();
        for (key, value) in self.store.scan_prefix(Space::Chat, "queue/")? {
            if self.store.delete(Space::Chat, &key)? {
                out.push(record::decode("queued notice", &key, &value)?);
            }
        }
        Ok(out)
    }
}

impl SessionStore for ChatRecords {
    /// A session that cannot be read (written by another release) starts over: the person
    /// loses an open question, not the chat.
    fn load(&self, who: &ChatUser) -> Result<Option<Session>, SessionError> {
        match self.get("chat session", &format!("session/{}", who.key())) {
            Err(e @ StoreError::Corrupt { .. }) => {
                tracing::warn!(user = %who.key(), error = %e, "unreadable chat session; starting over");
                Ok(None)
            }
            found => found.map_err(|e| SessionError::Store {
                user: who.key(),
                problem: e.to_string(),
            }),
        }
    }

    fn save(&self, who: &ChatUser, session: &Session) -> Result<(), SessionError> {
        self.put(&format!("session/{}", who.key()), session)
            .map_err(|e| SessionError::Store {
                user: who.key(),
                problem: e.to_string(),
            })
    }
}

#[cfg(test)]
mod tests;
