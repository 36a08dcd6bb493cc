//! Routing one event to the flow that handles it: a command, an answer to the open
//! dialogue question, a shared location, a button.

mod account;
mod alerts;
mod directory;
mod listing;
mod market;
mod need;
pub(crate) mod notices;
mod offer;

use crate::chat::{ChatUser, Event};
use crate::command::{self, Command};
use crate::engine::{Engine, MAX_INPUT_CHARS, Turn};
use crate::lang::Key;
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
            vec![turn.say(Key::FileNotSupported, &[&name])]
        }
        Event::Text { text } => {
            let count = text.chars().count();
            if count > MAX_INPUT_CHARS {
                let (count, max) = (count.to_string(), MAX_INPUT_CHARS.to_string());
                return vec![turn.say(Key::TooLong, &[&count, &max])];
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
    match command::parse(text) {
        Some((Command::Skip, _)) if session.dialogue != Dialogue::Idle => {
            on_answer(turn, session, Answer::Skip).await
        }
        Some((Command::Cancel, _)) => {
            let was_idle = session.dialogue == Dialogue::Idle;
            session.dialogue = Dialogue::Idle;
            vec![turn.say(
                if was_idle {
                    Key::NothingToCancel
                } else {
                    Key::Cancelled
                },
                &[],
            )]
        }
        Some((Command::Lang, args)) => account::lang(turn, session, &args),
        Some((cmd, args)) => {
            session.dialogue = Dialogue::Idle;
            settle(turn, session, run_command(turn, cmd, &args).await)
        }
        None if session.dialogue != Dialogue::Idle => {
            on_answer(turn, session, Answer::Text(text.trim().to_owned())).await
        }
        None => vec![turn.say(Key::NotACommand, &[])],
    }
}

async fn on_button(turn: &Turn<'_>, session: &mut Session, data: &str) -> Vec<Reply> {
    if data.chars().count() > 256 {
        return vec![turn.say(Key::UnknownButton, &[])];
    }
    if let Some(rest) = data.strip_prefix('=') {
        let (step, value) = rest.split_once(':').unwrap_or((rest, ""));
        if session.dialogue == Dialogue::Idle || step != session.dialogue.step() {
            return vec![turn.say(Key::StaleButton, &[])];
        }
        return on_answer(turn, session, Answer::Text(value.to_owned())).await;
    }
    if data.starts_with('/') || data.starts_with('!') {
        return on_text(turn, session, data).await;
    }
    vec![turn.say(Key::UnknownButton, &[])]
}

async fn on_answer(turn: &Turn<'_>, session: &mut Session, answer: Answer) -> Vec<Reply> {
    let dialogue = session.dialogue.clone();
    let step = match dialogue {
        Dialogue::Idle => match answer {
            Answer::Location(lat, lon) => {
                directory::nearby_at(turn, (lat, lon), None, None, None).await
            }
            _ => return vec![turn.say(Key::NotACommand, &[])],
        },
        Dialogue::Register { role } => account::register_step(turn, role, answer).await,
        Dialogue::Need {
            product,
            quantity,
            needed_by,
        } => need::step(turn, product, quantity, needed_by, answer).await,
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

async fn run_command(turn: &Turn<'_>, cmd: Command, args: &str) -> Step {
    match cmd {
        Command::Start => account::start(turn).await,
        Command::Help => done(vec![turn.say(Key::Help, &[])]),
        Command::Register => account::register(turn).await,
        Command::Approve => account::approve(turn, args).await,
        Command::Pending => account::pending(turn).await,
        Command::Link => account::link(turn, args).await,
        Command::Need => need::start(turn).await,
        Command::Needs => market::needs(turn).await,
        Command::Offer => offer::start(turn, args).await,
        Command::Proposals => market::proposals(turn).await,
        Command::Accept => market::decide(turn, args, crate::port::Verdict::Accept).await,
        Command::Defer => market::decide(turn, args, crate::port::Verdict::Defer).await,
        Command::Decline => market::decide(turn, args, crate::port::Verdict::Decline).await,
        Command::Shipped => market::shipped(turn, args).await,
        Command::Received => market::received(turn, args).await,
        Command::Subscribe => alerts::start(turn, args).await,
        Command::Mute => alerts::mute(turn).await,
        Command::Nearby => directory::nearby(turn, args).await,
        Command::Map => directory::map(turn, args).await,
        Command::Facility => listing::start(turn, args).await,
        Command::Blood => directory::blood(turn, args).await,
        Command::Services => directory::services(turn, args).await,
        Command::Symptoms => directory::symptoms(turn, args).await,
        Command::Stats => directory::stats(turn).await,
        Command::Cancel | Command::Skip => done(vec![turn.say(Key::NothingToCancel, &[])]),
        Command::Lang => done(vec![turn.say(Key::LangChoose, &[])]),
        Command::Unknown(name) => done(vec![turn.say(Key::UnknownCommand, &[&name])]),
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

/// Why an account may not go on, as a reply; `None` when it may.
pub(crate) enum Gate {
    Requester,
    Maker,
    /// May edit this node's facility listings.
    Staff,
    Member,
}

/// The caller's account if it passes `gate`, or the reply that explains why not.
pub(crate) async fn gate(turn: &Turn<'_>, gate: Gate) -> PortResult<Result<Account, Reply>> {
    let Some(account) = turn.port().account(turn.who).await? else {
        return Ok(Err(turn.say(Key::NotRegistered, &[])));
    };
    if !account.approved {
        return Ok(Err(turn.say(Key::PendingApproval, &[&account.handle])));
    }
    let ok = match gate {
        Gate::Requester => account.is_requester(),
        Gate::Maker => account.is_maker(),
        Gate::Staff => account.may_edit_listings(),
        Gate::Member => true,
    };
    Ok(match (ok, gate) {
        (true, _) => Ok(account),
        (false, Gate::Maker) => Err(turn.say(Key::NotMaker, &[])),
        (false, Gate::Staff) => Err(turn.say(Key::NotStaff, &[])),
        (false, _) => Err(turn.say(Key::NotRequester, &[])),
    })
}

/// A whole number from `min` to `max`, or the reply that asks again.
pub(crate) fn number(turn: &Turn<'_>, text: &str, min: u32, max: u32) -> Result<u32, Reply> {
    text.trim()
        .parse::<u32>()
        .ok()
        .filter(|n| (min..=max).contains(n))
        .ok_or_else(|| turn.say(Key::BadNumber, &[&min.to_string(), &max.to_string()]))
}

/// `lat,lon` typed as text.
pub(crate) fn parse_location(text: &str) -> Option<(f64, f64)> {
    let (a, b) = text
        .split_once(',')
        .or_else(|| text.trim().split_once(' '))?;
    let (lat, lon) = (a.trim().parse::<f64>().ok()?, b.trim().parse::<f64>().ok()?);
    valid_location(lat, lon).then_some((lat, lon))
}

/// True for finite degrees in range.
pub(crate) fn valid_location(lat: f64, lon: f64) -> bool {
    lat.is_finite() && lon.is_finite() && lat.abs() <= 90.0 && lon.abs() <= 180.0
}

/// A distance for display.
pub(crate) fn km(turn: &Turn<'_>, d: Option<f64>) -> String {
    match d {
        Some(d) if d.is_finite() => format!("{d:.1}"),
        _ => turn.t(Key::Unknown, &[]),
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
