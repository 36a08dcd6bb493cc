//! The conversation engine: one input in, the replies out. It holds no state of its own
//! between messages; the session (language, dialogue) is loaded and saved around each turn,
//! and only saved when the turn ends well, so nothing is stored half-done.

use std::sync::Arc;

use crate::chat::{ChatUser, Input};
use crate::flows;
use crate::lang::{Lang, Text, common, fill};
use crate::notice::Notice;
use crate::port::{
    Accounts, Appointments, Directory, Health, Listings, Market, Orders, PortError, Ports,
};
use crate::reply::Reply;
use crate::session::{Session, SessionStore};

/// The longest message the engine reads, in characters.
pub const MAX_INPUT_CHARS: usize = 4000;

/// The engine over a node and a session store; cheap to clone, built once per node.
#[derive(Clone)]
pub struct Engine {
    ports: Ports,
    sessions: Arc<dyn SessionStore>,
    node_name: String,
}

/// One turn: who speaks, in which language.
pub(crate) struct Turn<'a> {
    pub engine: &'a Engine,
    pub who: &'a ChatUser,
    pub lang: Lang,
}

impl Turn<'_> {
    /// Members and notices.
    pub fn accounts(&self) -> &dyn Accounts {
        self.engine.ports.accounts.as_ref()
    }

    /// Needs, offers, alerts.
    pub fn market(&self) -> &dyn Market {
        self.engine.ports.market.as_ref()
    }

    /// Finding care.
    pub fn directory(&self) -> &dyn Directory {
        self.engine.ports.directory.as_ref()
    }

    /// This node's listings.
    pub fn listings(&self) -> &dyn Listings {
        self.engine.ports.listings.as_ref()
    }

    /// Health IDs, records and consent.
    pub fn health(&self) -> &dyn Health {
        self.engine.ports.health.as_ref()
    }

    /// Bookable services, slots, appointments and the agenda.
    pub fn appointments(&self) -> &dyn Appointments {
        self.engine.ports.appointments.as_ref()
    }

    /// The node's medicine orders.
    pub fn orders(&self) -> &dyn Orders {
        self.engine.ports.orders.as_ref()
    }

    /// The node's name.
    pub fn node_name(&self) -> &str {
        &self.engine.node_name
    }

    /// The platform's command prefix (`/`, or `!` on Matrix).
    pub fn prefix(&self) -> char {
        self.who.platform.command_prefix()
    }

    /// A catalog message, filled.
    pub fn t(&self, text: Text, args: &[&str]) -> String {
        fill(text.pick(self.lang), self.prefix(), args)
    }

    /// A catalog message as a reply.
    pub fn say(&self, text: Text, args: &[&str]) -> Reply {
        Reply::text(self.t(text, args))
    }

    /// The answer to a refusal or failure of the node.
    pub fn error(&self, error: &PortError) -> Reply {
        let detail = error.to_string();
        match error {
            PortError::Invalid { .. } => self.say(common::ERR_INVALID, &[&detail]),
            PortError::Forbidden { .. } => self.say(common::ERR_FORBIDDEN, &[&detail]),
            PortError::NoConsent { .. } => self.say(common::ERR_NO_CONSENT, &[&detail]),
            PortError::NotFound { .. } => self.say(common::ERR_NOT_FOUND, &[&detail]),
            PortError::Conflict { .. } => self.say(common::ERR_CONFLICT, &[&detail]),
            PortError::Unavailable { .. } => {
                tracing::warn!(user = %self.who.key(), error = %error, "node failed a chat turn");
                self.say(common::ERR_UNAVAILABLE, &[])
            }
        }
    }
}

impl Engine {
    /// An engine for the node called `node_name`.
    pub fn new(
        ports: impl Into<Ports>,
        sessions: Arc<dyn SessionStore>,
        node_name: impl Into<String>,
    ) -> Self {
        Self {
            ports: ports.into(),
            sessions,
            node_name: node_name.into(),
        }
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
            return vec![self.plain(&input.from, Lang::En, common::INTERNAL_ERROR)];
        };
        let before = session.clone();
        let mut replies = flows::dispatch(self, &input.from, &mut session, &input.event).await;
        if session != before
            && let Err(e) = self.sessions.save(&input.from, &session)
        {
            tracing::warn!(user = %input.from.key(), error = %e, "cannot save chat session");
            return vec![self.plain(&input.from, session.lang, common::INTERNAL_ERROR)];
        }
        if replies.is_empty() {
            replies.push(self.plain(&input.from, session.lang, common::NOT_A_COMMAND));
        }
        replies
    }

    /// The messages that tell `to` about `notice`, in their language.
    pub async fn render_notice(&self, to: &ChatUser, notice: &Notice) -> Vec<Reply> {
        let lang = self.load(to).map(|s| s.lang).unwrap_or_default();
        let turn = Turn {
            engine: self,
            who: to,
            lang,
        };
        flows::notices::render(&turn, notice).await
    }

    fn plain(&self, who: &ChatUser, lang: Lang, text: Text) -> Reply {
        let turn = Turn {
            engine: self,
            who,
            lang,
        };
        turn.say(text, &[])
    }
}
