//! The conversation engine: one input in, the replies out. It holds no state of its own
//! between messages; the session (language, dialogue) is loaded and saved around each turn,
//! and only saved when the turn ends well, so nothing is stored half-done.

use std::sync::Arc;

use crate::chat::{ChatUser, Input};
use crate::flows;
use crate::lang::{Key, Lang, fill};
use crate::notice::Notice;
use crate::port::{NodePort, PortError};
use crate::reply::Reply;
use crate::session::{Session, SessionStore};

/// The longest message the engine reads, in characters.
pub const MAX_INPUT_CHARS: usize = 4000;

/// The engine over a node and a session store.
#[derive(Clone)]
pub struct Engine {
    pub(crate) port: Arc<dyn NodePort>,
    sessions: Arc<dyn SessionStore>,
    node_name: String,
}

/// One turn: who speaks, in which language, with which command prefix.
pub(crate) struct Turn<'a> {
    pub engine: &'a Engine,
    pub who: &'a ChatUser,
    pub lang: Lang,
}

impl Turn<'_> {
    /// The port.
    pub fn port(&self) -> &dyn NodePort {
        self.engine.port.as_ref()
    }

    /// The node's name.
    pub fn node_name(&self) -> &str {
        &self.engine.node_name
    }

    /// A catalog message, filled.
    pub fn t(&self, key: Key, args: &[&str]) -> String {
        fill(
            self.lang.template(key),
            self.who.platform.command_prefix(),
            args,
        )
    }

    /// A catalog message as a reply.
    pub fn say(&self, key: Key, args: &[&str]) -> Reply {
        Reply::text(self.t(key, args))
    }

    /// The answer to a refusal or failure of the node.
    pub fn error(&self, error: &PortError) -> Reply {
        let detail = error.to_string();
        match error {
            PortError::Invalid { .. } => self.say(Key::ErrInvalid, &[&detail]),
            PortError::Forbidden { .. } => self.say(Key::ErrForbidden, &[&detail]),
            PortError::NotFound { .. } => self.say(Key::ErrNotFound, &[&detail]),
            PortError::Conflict { .. } => self.say(Key::ErrConflict, &[&detail]),
            PortError::Unavailable { .. } => {
                tracing::warn!(user = %self.who.key(), error = %error, "node failed a chat turn");
                self.say(Key::ErrUnavailable, &[])
            }
        }
    }
}

impl Engine {
    /// An engine for the node called `node_name`.
    pub fn new(
        port: Arc<dyn NodePort>,
        sessions: Arc<dyn SessionStore>,
        node_name: impl Into<String>,
    ) -> Self {
        Self {
            port,
            sessions,
            node_name: node_name.into(),
        }
    }

    /// The port this engine talks to.
    pub fn port(&self) -> &Arc<dyn NodePort> {
        &self.port
    }

    fn load(&self, who: &ChatUser) -> Option<Session> {
        match self.sessions.load(who) {
            Ok(s) => Some(s.unwrap_or_default()),
            Err(e) => {
                tracing::warn!(user = %who.key(), error = %e, "cannot load chat session");
                None
            }
        }
    }

    /// Handles one message and returns what to answer; never empty.
    #[tracing::instrument(skip_all, fields(user = %input.from.key()))]
    pub async fn handle(&self, input: &Input) -> Vec<Reply> {
        let Some(mut session) = self.load(&input.from) else {
            return vec![internal_error(&input.from, Lang::En)];
        };
        let before = session.clone();
        let mut replies = flows::dispatch(self, &input.from, &mut session, &input.event).await;
        if session != before
            && let Err(e) = self.sessions.save(&input.from, &session)
        {
            tracing::warn!(user = %input.from.key(), error = %e, "cannot save chat session");
            return vec![internal_error(&input.from, session.lang)];
        }
        if replies.is_empty() {
            replies.push(Reply::text(fill(
                session.lang.template(Key::NotACommand),
                input.from.platform.command_prefix(),
                &[],
            )));
        }
        replies
    }

    /// The messages that tell `to` about `notice`, in their language.
    pub fn render_notice(&self, to: &ChatUser, notice: &Notice) -> Vec<Reply> {
        let lang = self.load(to).map(|s| s.lang).unwrap_or_default();
        let turn = Turn {
            engine: self,
            who: to,
            lang,
        };
        vec![flows::notices::render(&turn, notice)]
    }
}

fn internal_error(who: &ChatUser, lang: Lang) -> Reply {
    Reply::text(fill(
        lang.template(Key::InternalError),
        who.platform.command_prefix(),
        &[],
    ))
}
