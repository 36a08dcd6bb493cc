//! Routing one event to the flow that handles it: a command from the table in
//! [`crate::command`], an answer to the open dialogue question, a shared location, a button.

pub(crate) mod account;
pub(crate) mod alerts;
pub(crate) mod appointments;
pub(crate) mod book;
pub(crate) mod consent;
pub(crate) mod directory;
pub(crate) mod health;
mod ics;
pub(crate) mod listing;
pub(crate) mod market;
mod medicines;
pub(crate) mod need;
pub(crate) mod notices;
pub(crate) mod offer;
pub(crate) mod order;
pub(crate) mod orders;
mod person;
mod place;
pub(crate) mod profile;
pub(crate) mod quote;
pub(crate) mod records;
mod schedule;
mod when;

use std::future::Future;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::chat::{ChatUser, Event};
use crate::command::{self, Command, Gate, Parsed, Run, StepFuture};
use crate::engine::{Engine, MAX_INPUT_CHARS, Turn};
use crate::lang::common;
use crate::lang::words::SKIP;
use crate::port::{Account, PortError, PortResult};
use crate::reply::Reply;
use crate::session::{Dialogue, Session};

/// An answer to the open dialogue question.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Answer {
    Text(String),
    Location(f64, f64),
    Skip,
}

impl Answer {
    /// The answer as typed text: `skip` for a skip, empty for a location.
    fn as_text(&self) -> String {
        match self {
            Answer::Text(t) => t.clone(),
            Answer::Skip => "skip".to_owned(),
            Answer::Location(..) => String::new(),
        }
    }

    /// True for a skip, pressed or typed in any language.
    fn is_skip(&self) -> bool {
        match self {
            Answer::Skip => true,
            Answer::Text(t) => SKIP.matches(t),
            Answer::Location(..) => false,
        }
    }
}

/// The state a guided flow keeps while its question is open: the flow's own type, beside
/// its code. The session stores it under the command that asked, and that command's row in
/// the table hands it back with the answer (see [`resume`]).
pub(crate) trait Question: Serialize + DeserializeOwned + Send {
    /// The question waited on; answer buttons carry this tag (`=tag:value`).
    fn tag(&self) -> &'static str;
}

/// A question a flow step asked: its tag and the flow's state, serialised.
#[derive(Debug)]
pub(crate) struct Asked {
    question: &'static str,
    state: Map<String, Value>,
}

/// What a flow step leaves behind: the replies, and the question it asked, if any.
pub(crate) type Step = PortResult<(Vec<Reply>, Option<Asked>)>;

/// Handles one event, updating `session`.
pub(crate) async fn dispatch(
    engine: &Engine,
    who: &ChatUser,
    session: &mut Session,
    event: &Event,
) -> Vec<Reply> {
    let turn = Turn {
        engine,
        who,
        lang: session.lang,
    };
    match event {
        // Files are record uploads (staff); the open question, if any, stays open.
        Event::File(file) => match records::file_sent(&turn, file).await {
            Ok((replies, _)) => replies,
            Err(e) => vec![turn.error(&e)],
        },
        Event::Text { text } => {
            let count = text.chars().count();
            if count > MAX_INPUT_CHARS {
                let (count, max) = (count.to_string(), MAX_INPUT_CHARS.to_string());
                return vec![turn.say(common::TOO_LONG, &[&count, &max])];
            }
            on_text(&turn, session, text).await
        }
        Event::Location { lat, lon } => {
            on_answer(&turn, session, Answer::Location(*lat, *lon)).await
        }
        Event::Button { data } => on_button(&turn, session, data).await,
    }
}

async fn on_text(turn: &Turn<'_>, session: &mut Session, text: &str) -> Vec<Reply> {
    let idle = session.dialogue.is_none();
    let (command, args) = match command::parse(text) {
        Some(Parsed::Known(command, args)) => (command, args),
        Some(Parsed::Unknown(name)) => {
            session.dialogue = None;
            return vec![turn.say(common::UNKNOWN_COMMAND, &[&name])];
        }
        None if !idle => {
            return on_answer(turn, session, Answer::Text(text.trim().to_owned())).await;
        }
        None => return vec![turn.say(common::NOT_A_COMMAND, &[])],
    };
    match command.run {
        Run::Skip if !idle => on_answer(turn, session, Answer::Skip).await,
        Run::Skip | Run::Cancel => {
            session.dialogue = None;
            let text = if idle {
                common::NOTHING_TO_CANCEL
            } else {
                common::CANCELLED
            };
            vec![turn.say(text, &[])]
        }
        Run::Lang => account::lang(turn, session, &args),
        Run::Open(run) => {
            session.dialogue = None;
            settle(turn, session, command, run(turn, &args).await)
        }
        Run::Gated(gate, run) => {
            session.dialogue = None;
            let step = match pass(turn, gate).await {
                Ok(Ok(account)) => run(turn, account, &args).await,
                Ok(Err(refusal)) => done(vec![refusal]),
                Err(e) => Err(e),
            };
            settle(turn, session, command, step)
        }
    }
}

async fn on_button(turn: &Turn<'_>, session: &mut Session, data: &str) -> Vec<Reply> {
    if data.chars().count() > 256 {
        return vec![turn.say(common::UNKNOWN_BUTTON, &[])];
    }
    if let Some(rest) = data.strip_prefix('=') {
        let (tag, value) = rest.split_once(':').unwrap_or((rest, ""));
        let current = session.dialogue.as_ref().map(|d| d.question.as_str());
        // Sessions of older releases kept no tag: any answer button is taken for them.
        if current.is_none_or(|q| !q.is_empty() && q != tag) {
            return vec![turn.say(common::STALE_BUTTON, &[])];
        }
        return on_answer(turn, session, Answer::Text(value.to_owned())).await;
    }
    if data.starts_with('/') || data.starts_with('!') {
        return on_text(turn, session, data).await;
    }
    vec![turn.say(common::UNKNOWN_BUTTON, &[])]
}

/// Routes an answer to the flow that asked: the command table knows which flow that is.
async fn on_answer(turn: &Turn<'_>, session: &mut Session, answer: Answer) -> Vec<Reply> {
    let Some(dialogue) = session.dialogue.take() else {
        return match answer {
            // A location shared out of the blue: what is near it.
            Answer::Location(lat, lon) => {
                match directory::nearby_at(turn, (lat, lon), None, None, None).await {
                    Ok((replies, _)) => replies,
                    Err(e) => vec![turn.error(&e)],
                }
            }
            _ => vec![turn.say(common::NOT_A_COMMAND, &[])],
        };
    };
    let Some((command, resume)) =
        command::find(&dialogue.command).and_then(|c| Some((c, c.answer?)))
    else {
        tracing::warn!(command = %dialogue.command, "an open question no command answers; dropped");
        return vec![turn.say(common::QUESTION_GONE, &[])];
    };
    let step = resume(turn, dialogue.state, answer).await;
    settle(turn, session, command, step)
}

/// Applies a step's outcome: a question asked is kept under the command that ran; on a node
/// error the dialogue ends and the error is explained.
fn settle(turn: &Turn<'_>, session: &mut Session, by: &Command, step: Step) -> Vec<Reply> {
    match step {
        Ok((replies, asked)) => {
            session.dialogue = asked.map(|asked| Dialogue {
                command: by.name.to_owned(),
                question: asked.question.to_owned(),
                state: asked.state,
            });
            replies
        }
        Err(e) => {
            session.dialogue = None;
            vec![turn.error(&e)]
        }
    }
}

/// Replies that end any dialogue.
pub(crate) fn done(replies: Vec<Reply>) -> Step {
    Ok((replies, None))
}

/// Replies that ask `next`, keeping the flow's state until the answer comes.
pub(crate) fn ask(replies: Vec<Reply>, next: impl Question) -> Step {
    let question = next.tag();
    match serde_json::to_value(&next) {
        Ok(Value::Object(state)) => Ok((replies, Some(Asked { question, state }))),
        Ok(_) => Err(PortError::Unavailable {
            problem: format!("the state of question {question} is not a map"),
        }),
        Err(e) => Err(PortError::Unavailable {
            problem: format!("the state of question {question} cannot be kept: {e}"),
        }),
    }
}

/// Reads back the state a flow kept and runs its answer step (the command table's rows
/// call this with the flow's step function). A state this release cannot read (the flow
/// changed its type since) ends the dialogue with a hint to start over.
pub(crate) fn resume<'a, S, F, Fut>(
    turn: &'a Turn<'a>,
    state: Map<String, Value>,
    answer: Answer,
    step: F,
) -> StepFuture<'a>
where
    S: Question + 'a,
    F: FnOnce(&'a Turn<'a>, S, Answer) -> Fut,
    Fut: Future<Output = Step> + Send + 'a,
{
    match serde_json::from_value::<S>(Value::Object(state)) {
        Ok(state) => Box::pin(step(turn, state, answer)),
        Err(e) => {
            tracing::warn!(error = %e, "an open question this release cannot read; dropped");
            let gone = turn.say(common::QUESTION_GONE, &[]);
            Box::pin(async move { done(vec![gone]) })
        }
    }
}

/// The caller's account if it passes `gate`, or the reply that explains why not.
pub(crate) async fn pass(turn: &Turn<'_>, gate: Gate) -> PortResult<Result<Account, Reply>> {
    let Some(account) = turn.accounts().account(turn.who).await? else {
        return Ok(Err(turn.say(common::NOT_REGISTERED, &[])));
    };
    if !account.approved {
        return Ok(Err(turn.say(common::PENDING_APPROVAL, &[&account.handle])));
    }
    let (ok, refusal) = match gate {
        Gate::Member => (true, common::NOT_REQUESTER),
        Gate::Requester => (account.is_requester(), common::NOT_REQUESTER),
        Gate::Maker => (account.is_maker(), common::NOT_MAKER),
        Gate::Staff => (account.may_edit_listings(), common::NOT_STAFF),
        Gate::Admin => (account.is_admin(), common::NOT_ADMIN),
    };
    Ok(if ok {
        Ok(account)
    } else {
        Err(turn.say(refusal, &[]))
    })
}

/// Runs `then` with the caller's account if it (still) passes `gate`; else explains why
/// not. Dialogues check again before they act: a role may change while a question is open.
pub(crate) async fn again(turn: &Turn<'_>, gate: Gate) -> PortResult<Result<Account, Step>> {
    Ok(pass(turn, gate)
        .await?
        .map_err(|refusal| done(vec![refusal])))
}

/// A whole number from `min` to `max`, or the reply that asks again.
pub(crate) fn number(turn: &Turn<'_>, text: &str, min: u32, max: u32) -> Result<u32, Reply> {
    text.trim()
        .parse::<u32>()
        .ok()
        .filter(|n| (min..=max).contains(n))
        .ok_or_else(|| turn.say(common::BAD_NUMBER, &[&min.to_string(), &max.to_string()]))
}

/// The entry of `offered` whose number (counted from 1) was typed, or the reply that asks
/// again naming the numbers there are.
pub(crate) fn pick<T: Clone>(turn: &Turn<'_>, offered: &[T], said: &str) -> Result<T, Reply> {
    said.trim()
        .parse::<usize>()
        .ok()
        .and_then(|n| offered.get(n.checked_sub(1)?).cloned())
        .ok_or_else(|| turn.say(common::BAD_NUMBER, &["1", &offered.len().to_string()]))
}

/// A distance for display.
pub(crate) fn km(turn: &Turn<'_>, d: Option<f64>) -> String {
    match d {
        Some(d) if d.is_finite() => format!("{d:.1}"),
        _ => turn.t(common::UNKNOWN, &[]),
    }
}

/// Shortens an id argument typed by a person to something safe to echo and look up.
pub(crate) fn id_arg(args: &str) -> Option<String> {
    let id = args.split_whitespace().next()?;
    (id.len() <= 64
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
    .then(|| id.to_owned())
}

/// Maps a node error that is only a refusal into a reply, keeping real failures as errors.
pub(crate) fn refusal(turn: &Turn<'_>, e: PortError) -> Step {
    match e {
        PortError::Unavailable { .. } => Err(e),
        other => done(vec![turn.error(&other)]),
    }
}
