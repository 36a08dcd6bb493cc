//! The one command table: every chat command with its aliases, who may use it, its help
//! line and the flow that runs it. Parsing (`/need`, `!need` on Matrix, `/need@bot` in
//! Telegram groups), `/help` (and `!help`) and Telegram's command menu all read it.
//!
//! A new command is one row in [`COMMANDS`] (`command/table.rs`), its flow (a function in
//! `flows/`), and its messages (a catalog in `lang/`). A command that asks questions names,
//! in its row, the step that takes the answers; its flow keeps its own state type, so the
//! engine needs no change.

mod table;

use std::future::Future;
use std::pin::Pin;

use serde_json::{Map, Value};

use crate::engine::Turn;
use crate::flows::{Answer, Step};
use crate::lang::{self, Help, Lang, fill};
use crate::port::Account;

pub use table::COMMANDS;

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
