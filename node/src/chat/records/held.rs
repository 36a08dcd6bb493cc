//! Notices held for a member who has no chat linked yet (key family `held/HANDLE/SEQ`, the
//! sequence a ULID that only grows per member): a booking made for her through the API, a
//! record uploaded before she ever wrote to the bot. They wait until she links a first
//! chat, then go out oldest first. A member keeps at most [`HELD_MAX`] of them, for
//! [`HELD_KEPT_MS`]; past either bound the oldest are dropped (and counted, so the caller
//! can log how many, never what).

use caremesh_bots::notice::Notice;
use serde::{Deserialize, Serialize};

use super::ChatRecords;
use crate::store::{Space, StoreError, record};

/// How long a notice waits for its member's first chat (30 days).
pub const HELD_KEPT_MS: i64 = 30 * 86_400_000;
/// The most notices held for one member; beyond that the oldest go first.
pub const HELD_MAX: usize = 100;

/// One held notice and when it was held.
#[derive(Debug, Serialize, Deserialize)]
struct Held {
    at_ms: i64,
    notice: Notice,
}

fn prefix(handle: &str) -> String {
    format!("held/{handle}/")
}

/// Held notices taken for delivery, oldest first, and how many were dropped as too old.
#[derive(Debug, Default, PartialEq)]
pub struct Taken {
    pub notices: Vec<Notice>,
    pub expired: usize,
}

impl ChatRecords {
    /// Holds a notice for `handle` until a chat is linked. Returns how many older notices
    /// were dropped to keep within [`HELD_KEPT_MS`] and [`HELD_MAX`]. Not flushed: the
    /// caller flushes once per batch.
    pub fn hold(&self, handle: &str, notice: &Notice, now_ms: i64) -> Result<usize, StoreError> {
        let prefix = prefix(handle);
        let mut dropped = 0;
        let mut kept = Vec::new();
        for (key, value) in self.store.scan_prefix(Space::Chat, &prefix)? {
            match record::decode::<Held>("held notice", &key, &value) {
                Ok(held) if held.at_ms.saturating_add(HELD_KEPT_MS) >= now_ms => kept.push(key),
                // Too old, or unreadable (written by a newer release): dropped.
                _ => dropped += usize::from(self.store.delete(Space::Chat, &key)?),
            }
        }
        let over = (kept.len() + 1).saturating_sub(HELD_MAX);
        for key in kept.drain(..over.min(kept.len())) {
            dropped += usize::from(self.store.delete(Space::Chat, &key)?);
        }
        let seq = super::next_seq(kept.last().and_then(|k| k.strip_prefix(&prefix)));
        let held = Held {
            at_ms: now_ms,
            notice: notice.clone(),
        };
        self.put(&format!("{prefix}{seq}"), &held)?;
        Ok(dropped)
    }

    /// Whether notices wait for `handle`.
    pub fn has_held(&self, handle: &str) -> Result<bool, StoreError> {
        Ok(!self
            .store
            .scan_prefix(Space::Chat, &prefix(handle))?
            .is_empty())
    }

    /// Takes every notice held for `handle`, oldest first (each is removed as it is taken,
    /// so it goes out once); those held longer than [`HELD_KEPT_MS`] are dropped instead.
    pub fn take_held(&self, handle: &str, now_ms: i64) -> Result<Taken, StoreError> {
        let mut taken = Taken::default();
        for (key, value) in self.store.scan_prefix(Space::Chat, &prefix(handle))? {
            if !self.store.delete(Space::Chat, &key)? {
                continue;
            }
            match record::decode::<Held>("held notice", &key, &value) {
                Ok(held) if held.at_ms.saturating_add(HELD_KEPT_MS) >= now_ms => {
                    taken.notices.push(held.notice)
                }
                _ => taken.expired += 1,
            }
        }
        Ok(taken)
    }

    /// Says that notices held for `handle` may go now (its first chat was linked): the
    /// fan-out takes them with [`Self::take_released`].
    pub(super) fn release_held(&self, handle: &str) -> Result<(), StoreError> {
        self.put(&format!("release/{handle}"), &())?;
        self.wake()
    }

    /// The members whose held notices may go now (released, with a chat linked); each is
    /// named once. A release whose member has no chat yet (its link was cut short by a
    /// crash) stays until a chat is linked.
    pub fn take_released(&self) -> Result<Vec<String>, StoreError> {
        let mut out = Vec::new();
        for (key, _) in self.store.scan_prefix(Space::Chat, "release/")? {
            let Some(handle) = key.strip_prefix("release/") else {
                continue;
            };
            if !self.chats_of(handle)?.is_empty() && self.store.delete(Space::Chat, &key)? {
                out.push(handle.to_owned());
            }
        }
        Ok(out)
    }

    /// Releases the notices held for every member who has a chat linked (a crash, or a
    /// hold racing a link, can leave them so); returns how many members. Cheap: reads the
    /// `held/` family only.
    pub fn release_stranded(&self) -> Result<usize, StoreError> {
        let mut handles: Vec<String> = Vec::new();
        for (key, _) in self.store.scan_prefix(Space::Chat, "held/")? {
            let handle = key
                .strip_prefix("held/")
                .and_then(|rest| rest.rsplit_once('/'))
                .map(|(handle, _)| handle);
            if let Some(handle) = handle
                && handles.last().map(String::as_str) != Some(handle)
            {
                handles.push(handle.to_owned());
            }
        }
        let mut released = 0;
        for handle in handles {
            if !self.chats_of(&handle)?.is_empty() {
                self.put(&format!("release/{handle}"), &())?;
                released += 1;
            }
        }
        if released > 0 {
            self.wake()?;
        }
        Ok(released)
    }

    /// Drops notices held longer than [`HELD_KEPT_MS`]; returns how many.
    pub fn prune_held(&self, now_ms: i64) -> Result<usize, StoreError> {
        let mut dropped = 0;
        for (key, value) in self.store.scan_prefix(Space::Chat, "held/")? {
            let fresh = record::decode::<Held>("held notice", &key, &value)
                .is_ok_and(|h| h.at_ms.saturating_add(HELD_KEPT_MS) >= now_ms);
            if !fresh {
                dropped += usize::from(self.store.delete(Space::Chat, &key)?);
            }
        }
        Ok(dropped)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use caremesh_bots::notice::{AppointmentNews, Notice};

    use super::*;
    use crate::store::Store;
    use crate::store::memory::MemoryStore;
    use crate::store::sled_store::SledStore;

    fn told(n: usize) -> Notice {
        Notice::Appointment {
            appointment_id: format!("appt-{n}"),
            news: AppointmentNews::Answered,
        }
    }

    /// Held notices come back once, in the order they were held, for their member only.
    fn held_in_order_once(store: Arc<dyn Store>) {
        let records = ChatRecords::new(store);
        for n in 0..5 {
            assert_eq!(records.hold("asha", &told(n), 1_000).unwrap(), 0);
        }
        records.hold("asha.2", &told(9), 1_000).unwrap();
        assert!(records.has_held("asha").unwrap());
        assert_eq!(records.take_released().unwrap(), Vec::<String>::new());
        let who =
            caremesh_bots::chat::ChatUser::direct(caremesh_bots::chat::Platform::Terminal, "asha");
        records.link(&who, "asha").unwrap();
        records.link(&who, "asha").unwrap();
        assert_eq!(records.take_released().unwrap(), ["asha"], "named once");
        assert_eq!(records.take_released().unwrap(), Vec::<String>::new());
        let taken = records.take_held("asha", 2_000).unwrap();
        assert_eq!(taken.notices, (0..5).map(told).collect::<Vec<_>>());
        assert_eq!(taken.expired, 0);
        assert_eq!(records.take_held("asha", 2_000).unwrap(), Taken::default());
        assert!(!records.has_held("asha").unwrap());
        assert!(records.has_held("asha.2").unwrap());
    }

    /// Past the bounds the oldest go first, and are counted.
    fn bounded(store: Arc<dyn Store>) {
        let records = ChatRecords::new(store);
        for n in 0..HELD_MAX + 3 {
            let dropped = records.hold("ravi", &told(n), 0).unwrap();
            assert_eq!(dropped, usize::from(n >= HELD_MAX), "at {n}");
        }
        let taken = records.take_held("ravi", 0).unwrap();
        assert_eq!(taken.notices.len(), HELD_MAX);
        assert_eq!(taken.notices.first(), Some(&told(3)));
        assert_eq!(taken.notices.last(), Some(&told(HELD_MAX + 2)));

        records.hold("ravi", &told(1), 0).unwrap();
        records.hold("ravi", &told(2), HELD_KEPT_MS).unwrap();
        records.hold("mira", &told(3), 0).unwrap();
        assert_eq!(records.prune_held(HELD_KEPT_MS + 1).unwrap(), 2);
        let taken = records.take_held("ravi", HELD_KEPT_MS + 1).unwrap();
        assert_eq!(taken.notices, [told(2)]);
        records.hold("kamala", &told(4), 0).unwrap();
        let late = records.take_held("kamala", HELD_KEPT_MS + 1).unwrap();
        assert_eq!((late.notices.len(), late.expired), (0, 1));
        records.hold("kamala", &told(5), 0).unwrap();
        let dropped = records.hold("kamala", &told(6), HELD_KEPT_MS + 1).unwrap();
        assert_eq!(dropped, 1, "the one too old is dropped");
        assert_eq!(
            records
                .take_held("kamala", HELD_KEPT_MS + 1)
                .unwrap()
                .notices,
            [told(6)]
        );
    }

    /// A chat linked while notices were held, with no release (a link cut short by a
    /// crash, a hold racing a link), is released at the fan-out's start; a release whose
    /// member has no chat waits for one.
    #[test]
    fn stranded_notices_are_released() {
        let records = ChatRecords::new(Arc::new(MemoryStore::new()));
        let asha =
            caremesh_bots::chat::ChatUser::direct(caremesh_bots::chat::Platform::Terminal, "asha");
        records.link(&asha, "asha").unwrap();
        records.hold("asha", &told(1), 0).unwrap();
        records.hold("asha", &told(2), 0).unwrap();
        records.hold("mira", &told(3), 0).unwrap();
        assert_eq!(records.take_released().unwrap(), Vec::<String>::new());
        assert_eq!(records.release_stranded().unwrap(), 1, "mira has no chat");
        assert_eq!(records.take_released().unwrap(), ["asha"]);
        assert_eq!(
            records.take_held("asha", 0).unwrap().notices,
            [told(1), told(2)]
        );

        records.release_held("mira").unwrap();
        assert_eq!(records.take_released().unwrap(), Vec::<String>::new());
        let mira =
            caremesh_bots::chat::ChatUser::direct(caremesh_bots::chat::Platform::Terminal, "mira");
        records.link(&mira, "mira").unwrap();
        assert_eq!(records.take_released().unwrap(), ["mira"]);
        assert_eq!(records.release_stranded().unwrap(), 1);
        assert_eq!(records.take_released().unwrap(), ["mira"]);
    }

    #[test]
    fn memory_store_holds_in_order_once_within_bounds() {
        held_in_order_once(Arc::new(MemoryStore::new()));
        bounded(Arc::new(MemoryStore::new()));
    }

    #[test]
    fn sled_store_holds_across_a_reopen() {
        let dir = tempfile::tempdir().unwrap();
        held_in_order_once(Arc::new(SledStore::open(dir.path(), 1 << 20).unwrap()));
        bounded(Arc::new(
            SledStore::open(&dir.path().join("b"), 1 << 20).unwrap(),
        ));
        let path = dir.path().join("c");
        {
            let store: Arc<dyn Store> = Arc::new(SledStore::open(&path, 1 << 20).unwrap());
            let records = ChatRecords::new(store.clone());
            records.hold("asha", &told(1), 0).unwrap();
            records.hold("asha", &told(2), 0).unwrap();
            store.flush().unwrap();
        }
        let store: Arc<dyn Store> = Arc::new(SledStore::open(&path, 1 << 20).unwrap());
        let taken = ChatRecords::new(store).take_held("asha", 0).unwrap();
        assert_eq!(taken.notices, [told(1), told(2)]);
    }
}
