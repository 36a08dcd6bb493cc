//! Routing one event to the flow that handles it: a command from the table in
//! [`crate::command`], an answer to the open dialogue question, a shared location, a button.

pub(crate) mod account;
pub(crate) mod alerts;
pub(crate) mod directory;
pub(crate) mod listing;
pub(crate) mod market;
pub(crate) mod need;
pub(crate) mod notices;
pub(crate) mod offer;
mod place;

use crate::chat::{ChatUser, Event};
use crate::command::{self, Gate, Parsed, Run};
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

/// What a flow step leaves behind: the replies, and the dialogue to continue with.
pub(crate) type Step = PortResult<(Vec<Reply>, Dialogue)>;

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
        Event::File { name } => {
            let name: String = name.chars().take(64).collect();
            vec![turn.say(common::FILE_NOT_SUPPORTED, &[&name])]
        }
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
    let idle = session.dialogue == Dialogue::Idle;
    let (command, args) = match command::parse(text) {
        Some(Parsed::Known(command, args)) => (command, args),
        Some(Parsed::Unknown(name)) => {
            session.dialogue = Dialogue::Idle;
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
            session.dialogue = Dialogue::Idle;
            let text = if idle {
                common::NOTHING_TO_CANCEL
            } else {
                common::CANCELLED
            };
            vec![turn.say(text, &[])]
        }
        Run::Lang => account::lang(turn, session, &args),
        Run::Open(run) => {
            session.dialogue = Dialogue::Idle;
            settle(turn, session, run(turn, &args).await)
        }
        Run::Gated(gate, run) => {
            session.dialogue = Dialogue::Idle;
            let step = match pass(turn, gate).await {
                Ok(Ok(account)) => run(turn, account, &args).await,
                Ok(Err(refusal)) => done(vec![refusal]),
                Err(e) => Err(e),
            };
            settle(turn, session, step)
        }
    }
}

async fn on_button(turn: &Turn<'_>, session: &mut Session, data: &str) -> Vec<Reply> {
    if data.chars().count() > 256 {
        return vec![turn.say(common::UNKNOWN_BUTTON, &[])];
    }
    if let Some(rest) = data.strip_prefix('=') {
        let (step, value) = rest.split_once(':').unwrap_or((rest, ""));
        if session.dialogue == Dialogue::Idle || step != session.dialogue.step() {
            return vec![turn.say(common::STALE_BUTTON, &[])];
        }
        return on_answer(turn, session, Answer::Text(value.to_owned())).await;
    }
    if data.starts_with('/') || data.starts_with('!') {
        return on_text(turn, session, data).await;
    }
    vec![turn.say(common::UNKNOWN_BUTTON, &[])]
}

async fn on_answer(turn: &Turn<'_>, session: &mut Session, answer: Answer) -> Vec<Reply> {
    let dialogue = session.dialogue.clone();
    let step = match dialogue {
        Dialogue::Idle => match answer {
            Answer::Location(lat, lon) => {
                directory::nearby_at(turn, (lat, lon), None, None, None).await
            }
            _ => return vec![turn.say(common::NOT_A_COMMAND, &[])],
        },
        Dialogue::Register { role } => account::register_step(turn, role, answer).await,
        Dialogue::Need {
            product,
            quantity,
            within_days,
        } => need::step(turn, product, quantity, within_days, answer).await,
        Dialogue::Offer {
            request_id,
            quantity,
            material,
        } => offer::step(turn, request_id, quantity, material, answer).await,
        Dialogue::Subscribe {
            radius_km,
            products,
        } => alerts::step(turn, radius_km, products, answer).await,
        Dialogue::Nearby { kind, blood } => directory::nearby_step(turn, kind, blood, answer).await,
        Dialogue::Symptoms => directory::symptoms_step(turn, answer).await,
        Dialogue::Listing { kind, name, at } => listing::step(turn, kind, name, at, answer).await,
    };
    settle(turn, session, step)
}

/// Applies a step's outcome: on a node error the dialogue ends and the error is explained.
fn settle(turn: &Turn<'_>, session: &mut Session, step: Step) -> Vec<Reply> {
    match step {
        Ok((replies, next)) => {
            session.dialogue = next;
            replies
        }
        Err(e) => {
            session.dialogue = Dialogue::Idle;
            vec![turn.error(&e)]
        }
    }
}

/// Replies that end any dialogue.
pub(crate) fn done(replies: Vec<Reply>) -> Step {
    Ok((replies, Dialogue::Idle))
}

/// Replies that keep a dialogue going.
pub(crate) fn ask(replies: Vec<Reply>, next: Dialogue) -> Step {
    Ok((replies, next))
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
