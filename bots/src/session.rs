//! Per-chat-user state kept between messages: the chosen language and the question a guided
//! command waits on. The node persists it in its store, so a dialogue survives a restart.
//!
//! The engine does not know what a dialogue holds: each guided flow keeps its own
//! serialisable state type beside its code, and the session stores it under the name of the
//! command whose flow asked. The command table routes the answer back to that flow, which
//! reads its state again (see `flows::Question`).

use std::collections::BTreeMap;
use std::sync::Mutex;

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

use crate::chat::ChatUser;
use crate::lang::Lang;

/// A question in progress: the command whose flow asked it, the question's tag, and what the
/// flow has gathered so far.
///
/// Stored as one map, `{"dialogue": command, "question": tag, ...the flow's fields}`. Sessions
/// written before flows owned their state have the same shape without `question` (the enum
/// they came from was tagged `dialogue` with the command's name, or an alias of it), so an
/// open question of an older release is answered by the same flow.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Dialogue {
    /// The command that asked, as named in the command table (or one of its aliases).
    #[serde(rename = "dialogue")]
    pub command: String,
    /// The tag of the question; answer buttons carry it. Empty in older sessions.
    #[serde(default)]
    pub question: String,
    /// The flow's own state.
    #[serde(flatten)]
    pub state: Map<String, Value>,
}

/// Everything kept for one chat user.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Session {
    pub lang: Lang,
    /// The open question, if any.
    #[serde(default, deserialize_with = "open_only")]
    pub dialogue: Option<Dialogue>,
}

/// Older sessions stored "nothing asked" as a dialogue tagged `idle`.
fn open_only<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Dialogue>, D::Error> {
    let dialogue = Option::<Dialogue>::deserialize(d)?;
    Ok(dialogue.filter(|open| open.command != "idle"))
}

/// Why sessions could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error("session store failed for {user}: {problem}")]
    Store { user: String, problem: String },
}

/// Where sessions live.
pub trait SessionStore: Send + Sync {
    /// The session of a chat user, if any.
    fn load(&self, who: &ChatUser) -> Result<Option<Session>, SessionError>;
    /// Stores the session of a chat user.
    fn save(&self, who: &ChatUser, session: &Session) -> Result<(), SessionError>;
}

/// Sessions in memory (tests, benchmarks). They are kept serialised, as a store keeps them,
/// so a flow state that does not survive the round trip fails here first.
#[derive(Default)]
pub struct MemorySessions {
    map: Mutex<BTreeMap<String, Value>>,
}

impl MemorySessions {
    /// A session in its serialised form, as a store would hold it (tests of what is kept).
    pub fn raw(&self, who: &ChatUser) -> Option<Value> {
        let map = self.map.lock().unwrap_or_else(|p| p.into_inner());
        map.get(&who.key()).cloned()
    }

    /// Stores a session given in its serialised form (tests of older formats).
    pub fn put_raw(&self, who: &ChatUser, raw: Value) {
        let mut map = self.map.lock().unwrap_or_else(|p| p.into_inner());
        map.insert(who.key(), raw);
    }
}

impl SessionStore for MemorySessions {
    fn load(&self, who: &ChatUser) -> Result<Option<Session>, SessionError> {
        let map = self.map.lock().unwrap_or_else(|p| p.into_inner());
        let Some(raw) = map.get(&who.key()) else {
            return Ok(None);
        };
        serde_json::from_value(raw.clone())
            .map(Some)
            .map_err(|e| SessionError::Store {
                user: who.key(),
                problem: e.to_string(),
            })
    }

    fn save(&self, who: &ChatUser, session: &Session) -> Result<(), SessionError> {
        let raw = serde_json::to_value(session).map_err(|e| SessionError::Store {
            user: who.key(),
            problem: e.to_string(),
        })?;
        self.put_raw(who, raw);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn older_sessions_keep_their_question_and_idle_means_none() {
        let old: Session = serde_json::from_value(json!({
            "lang": "hi",
            "dialogue": {"dialogue": "need", "product": "face-shield", "quantity": null}
        }))
        .expect("old shape reads");
        let open = old.dialogue.expect("open question kept");
        assert_eq!(open.command, "need");
        assert_eq!(open.question, "");
        assert_eq!(open.state.get("product"), Some(&json!("face-shield")));
        let idle: Session =
            serde_json::from_value(json!({"lang": "en", "dialogue": {"dialogue": "idle"}}))
                .expect("idle reads");
        assert_eq!(idle.dialogue, None);
        let bare: Session = serde_json::from_value(json!({"lang": "en"})).expect("reads");
        assert_eq!(bare, Session::default());
    }
}
