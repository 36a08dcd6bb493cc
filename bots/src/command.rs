//! The one command table: every chat command with its aliases, who may use it, its help
//! line and the flow that runs it. Parsing (`/need`, `!need` on Matrix, `/need@bot` in
//! Telegram groups), `/help` (and `!help`) and Telegram's command menu all read it.
//!
//! A new command is one row here, its flow (a function in `flows/`), and its messages (a
//! catalog in `lang/`). A command that asks questions names, in its row, the step that takes
//! the answers ([`asks`]); its flow keeps its own state type, so the engine needs no change.

use std::future::Future;
use std::pin::Pin;

use caremesh_federation::object::Verdict;

use serde_json::{Map, Value};

use crate::engine::Turn;
use crate::flows::{
    Answer, Step, account, alerts, appointments, book, consent, directory, health, listing, market,
    need, offer, profile, records, resume,
};
use crate::lang::appointments as ap;
use crate::lang::records as r;
use crate::lang::{self, Help, Lang, fill};
use crate::lang::{account as a, directory as d, health as h, listing as l, market as m};
use crate::port::Account;

/// A running flow step.
pub(crate) type StepFuture<'a> = Pin<Box<dyn Future<Output = Step> + Send + 'a>>;
/// A flow anyone may start: the turn and the command's arguments.
pub(crate) type Open = for<'a> fn(&'a Turn<'a>, &'a str) -> StepFuture<'a>;
/// A flow for members who passed the command's gate: the turn, their account, the arguments.
pub(crate) type Gated = for<'a> fn(&'a Turn<'a>, Account, &'a str) -> StepFuture<'a>;
/// The step that takes an answer to a question the command's flow asked: the turn, the
/// flow's kept state (serialised; [`resume`] reads it back into the flow's type), the answer.
pub(crate) type Resume = for<'a> fn(&'a Turn<'a>, Map<String, Value>, Answer) -> StepFuture<'a>;

/// Who may use a command.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gate {
    /// Any registered and approved member.
    Member,
    /// Approved requesters (and staff, admins): post needs, decide on offers.
    Requester,
    /// Makers (and admins): offer goods.
    Maker,
    /// Staff and admins: keep this node's listings.
    Staff,
    /// Admins.
    Admin,
}

/// What a command does.
pub(crate) enum Run {
    /// A flow anyone may start.
    Open(Open),
    /// A flow for members who pass the gate.
    Gated(Gate, Gated),
    /// Ends the open question.
    Cancel,
    /// Skips the open question (outside a question: nothing to skip).
    Skip,
    /// Chooses the language.
    Lang,
}

/// One chat command.
pub struct Command {
    /// The name typed after `/` or `!`.
    pub name: &'static str,
    /// Other names that run it.
    pub aliases: &'static [&'static str],
    /// Its `/help` line; `None` keeps it out of help and menus.
    pub help: Option<Help>,
    pub(crate) run: Run,
    /// Where answers to its flow's questions go; `None` for commands that ask nothing.
    pub(crate) answer: Option<Resume>,
}

impl std::fmt::Debug for Command {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Command").field("name", &self.name).finish()
    }
}

impl Command {
    /// Who may use it; `None` for everyone.
    pub fn gate(&self) -> Option<Gate> {
        match self.run {
            Run::Gated(gate, _) => Some(gate),
            Run::Open(_) | Run::Cancel | Run::Skip | Run::Lang => None,
        }
    }
}

const fn open(name: &'static str, help: Option<Help>, run: Open) -> Command {
    Command {
        name,
        aliases: &[],
        help,
        run: Run::Open(run),
        answer: None,
    }
}

const fn gated(name: &'static str, gate: Gate, help: Option<Help>, run: Gated) -> Command {
    Command {
        name,
        aliases: &[],
        help,
        run: Run::Gated(gate, run),
        answer: None,
    }
}

/// A command whose flow asks questions, answered by `step`.
const fn asks(mut command: Command, step: Resume) -> Command {
    command.answer = Some(step);
    command
}

const fn aka(mut command: Command, aliases: &'static [&'static str]) -> Command {
    command.aliases = aliases;
    command
}

/// Every command, in `/help` order.
pub static COMMANDS: [Command; 36] = [
    open("start", None, |t, _| Box::pin(account::start(t))),
    open("help", None, |t, _| Box::pin(account::help(t))),
    asks(
        open("register", Some(a::HELP_REGISTER), |t, _| {
            Box::pin(account::register(t))
        }),
        |t, s, a| resume(t, s, a, account::register_step),
    ),
    gated("approve", Gate::Admin, None, |t, who, args| {
        Box::pin(account::approve(t, who, args))
    }),
    gated("pending", Gate::Admin, None, |t, _, _| {
        Box::pin(account::pending(t))
    }),
    asks(
        gated("need", Gate::Requester, Some(m::HELP_NEED), |t, _, _| {
            Box::pin(need::start(t))
        }),
        |t, s, a| resume(t, s, a, need::step),
    ),
    gated("needs", Gate::Member, Some(m::HELP_NEEDS), |t, who, _| {
        Box::pin(market::needs(t, who))
    }),
    asks(
        gated("offer", Gate::Maker, Some(m::HELP_OFFER), |t, _, args| {
            Box::pin(offer::start(t, args))
        }),
        |t, s, a| resume(t, s, a, offer::step),
    ),
    aka(
        gated(
            "proposals",
            Gate::Member,
            Some(m::HELP_PROPOSALS),
            |t, who, _| Box::pin(market::proposals(t, who)),
        ),
        &["offers"],
    ),
    gated(
        "accept",
        Gate::Requester,
        Some(m::HELP_ACCEPT),
        |t, who, args| Box::pin(market::decide(t, who, args, Verdict::Accept)),
    ),
    gated(
        "defer",
        Gate::Requester,
        Some(m::HELP_DEFER),
        |t, who, args| Box::pin(market::decide(t, who, args, Verdict::Defer)),
    ),
    gated(
        "decline",
        Gate::Requester,
        Some(m::HELP_DECLINE),
        |t, who, args| Box::pin(market::decide(t, who, args, Verdict::Decline)),
    ),
    gated(
        "shipped",
        Gate::Maker,
        Some(m::HELP_SHIPPED),
        |t, who, args| Box::pin(market::shipped(t, who, args)),
    ),
    gated(
        "received",
        Gate::Requester,
        Some(m::HELP_RECEIVED),
        |t, who, args| Box::pin(market::received(t, who, args)),
    ),
    asks(
        gated(
            "subscribe",
            Gate::Maker,
            Some(m::HELP_SUBSCRIBE),
            |t, who, args| Box::pin(alerts::start(t, who, args)),
        ),
        |t, s, a| resume(t, s, a, alerts::step),
    ),
    gated("mute", Gate::Member, Some(m::HELP_MUTE), |t, who, _| {
        Box::pin(alerts::mute(t, who))
    }),
    asks(
        open("nearby", Some(d::HELP_NEARBY), |t, args| {
            Box::pin(directory::nearby(t, args))
        }),
        |t, s, a| resume(t, s, a, directory::nearby_step),
    ),
    asks(
        open("blood", Some(d::HELP_BLOOD), |t, args| {
            Box::pin(directory::blood(t, args))
        }),
        |t, s, a| resume(t, s, a, directory::nearby_step),
    ),
    aka(
        open("map", Some(d::HELP_MAP), |t, args| {
            Box::pin(directory::map(t, args))
        }),
        &["where"],
    ),
    aka(
        asks(
            gated(
                "facility",
                Gate::Staff,
                Some(l::HELP_FACILITY),
                |t, who, args| Box::pin(listing::start(t, who, args)),
            ),
            |t, s, a| resume(t, s, a, listing::step),
        ),
        &["listing"],
    ),
    open("services", Some(d::HELP_SERVICES), |t, args| {
        Box::pin(directory::services(t, args))
    }),
    asks(
        open("symptoms", Some(d::HELP_SYMPTOMS), |t, args| {
            Box::pin(directory::symptoms(t, args))
        }),
        |t, s, a| resume(t, s, a, directory::symptoms_step),
    ),
    open("stats", Some(m::HELP_STATS), |t, _| {
        Box::pin(market::stats(t))
    }),
    gated(
        "healthid",
        Gate::Member,
        Some(h::HELP_HEALTHID),
        |t, who, args| Box::pin(health::healthid(t, who, args)),
    ),
    asks(
        gated(
            "family",
            Gate::Member,
            Some(h::HELP_FAMILY),
            |t, who, args| Box::pin(health::family(t, who, args)),
        ),
        |t, s, a| resume(t, s, a, health::family_step),
    ),
    asks(
        gated(
            "profile",
            Gate::Member,
            Some(h::HELP_PROFILE),
            |t, who, args| Box::pin(profile::start(t, who, args)),
        ),
        |t, s, a| resume(t, s, a, profile::step),
    ),
    gated(
        "records",
        Gate::Member,
        Some(r::HELP_RECORDS),
        |t, who, args| Box::pin(records::start(t, who, args)),
    ),
    gated(
        "upload",
        Gate::Staff,
        Some(r::HELP_UPLOAD),
        |t, who, args| Box::pin(records::upload(t, who, args)),
    ),
    gated(
        "consent",
        Gate::Member,
        Some(r::HELP_CONSENT),
        |t, who, args| Box::pin(consent::start(t, who, args)),
    ),
    asks(
        gated("book", Gate::Member, Some(ap::HELP_BOOK), |t, who, args| {
            Box::pin(book::start(t, who, args))
        }),
        |t, s, a| resume(t, s, a, book::step),
    ),
    asks(
        gated(
            "appointments",
            Gate::Member,
            Some(ap::HELP_APPOINTMENTS),
            |t, who, args| Box::pin(appointments::start(t, who, args)),
        ),
        |t, s, a| resume(t, s, a, book::step),
    ),
    gated(
        "agenda",
        Gate::Staff,
        Some(ap::HELP_AGENDA),
        |t, who, args| Box::pin(appointments::agenda(t, who, args)),
    ),
    open("link", Some(a::HELP_LINK), |t, args| {
        Box::pin(account::link(t, args))
    }),
    Command {
        name: "lang",
        aliases: &["language"],
        help: Some(a::HELP_LANG),
        run: Run::Lang,
        answer: None,
    },
    Command {
        name: "cancel",
        aliases: &["stop"],
        help: Some(a::HELP_CANCEL),
        run: Run::Cancel,
        answer: None,
    },
    Command {
        name: "skip",
        aliases: &[],
        help: None,
        run: Run::Skip,
        answer: None,
    },
];

/// The longest command name echoed back in an "unknown command" answer.
const MAX_ECHO: usize = 24;

/// What a typed line was.
#[derive(Debug)]
pub enum Parsed {
    /// A known command with its arguments (the rest of the line, trimmed).
    Known(&'static Command, String),
    /// A name no command has; carries it (shortened).
    Unknown(String),
}

/// The command named `name` (or one of its aliases).
pub fn find(name: &str) -> Option<&'static Command> {
    COMMANDS
        .iter()
        .find(|c| c.name == name || c.aliases.contains(&name))
}

/// Splits `/name@bot args` into a command and its arguments; `None` for plain text.
pub fn parse(text: &str) -> Option<Parsed> {
    let text = text.trim();
    let rest = text.strip_prefix('/').or_else(|| text.strip_prefix('!'))?;
    let (word, args) = match rest.find(char::is_whitespace) {
        Some(i) => (&rest[..i], rest[i..].trim()),
        None => (rest, ""),
    };
    let name = word.split('@').next().unwrap_or(word).to_lowercase();
    if name.is_empty() {
        return None;
    }
    Some(match find(&name) {
        Some(command) => Parsed::Known(command, args.to_owned()),
        None => Parsed::Unknown(name.chars().take(MAX_ECHO).collect()),
    })
}

/// The `/help` text in `lang`, with commands written with `prefix`.
pub fn help(lang: Lang, prefix: char) -> String {
    let mut lines = vec![lang::common::HELP_HEADER.pick(lang).to_owned()];
    for command in &COMMANDS {
        let Some(help) = command.help else { continue };
        let args = help.args.pick(lang);
        let usage = if args.is_empty() {
            command.name.to_owned()
        } else {
            format!("{} {args}", command.name)
        };
        let about = fill(help.about.pick(lang), prefix, &[]);
        lines.push(format!("{prefix}{usage} – {about}"));
    }
    lines.join("\n")
}

/// The command menu in `lang`, for platforms that show one (Telegram): name and what it
/// does.
pub fn menu(lang: Lang) -> Vec<(&'static str, String)> {
    COMMANDS
        .iter()
        .filter_map(|c| Some((c.name, fill(c.help?.about.pick(lang), '/', &[]))))
        .collect()
}

#[cfg(test)]
mod tests;
