//! Where a person is, or means: a shared location, typed coordinates, or a typed place
//! looked up in the node's gazetteer. Every flow that asks "where?" reads the answer here.

use super::Answer;
use crate::engine::Turn;
use crate::lang::words::FILLER;
use crate::lang::{Text, common};
use crate::port::PortResult;
use crate::reply::Reply;

/// What an answer to "where?" said.
pub(crate) enum Where {
    /// Coordinates, with the place's name when one was typed.
    At((f64, f64), Option<String>),
    /// A place the gazetteer does not know.
    Unknown(String),
    /// Nothing that names a place.
    Nothing,
    /// The person chose not to say.
    Skipped,
}

/// `lat,lon` (or `lat lon`) typed as text.
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

/// Coordinates in `words`, else the place they name (filler words dropped).
pub(crate) async fn typed(turn: &Turn<'_>, words: &[&str]) -> PortResult<Where> {
    if let Some(at) = words
        .iter()
        .copied()
        .find_map(parse_location)
        .or_else(|| parse_location(&words.join(" ")))
    {
        return Ok(Where::At(at, None));
    }
    let text = words
        .iter()
        .copied()
        .filter(|w| !FILLER.matches(w))
        .collect::<Vec<_>>()
        .join(" ");
    if text.is_empty() {
        return Ok(Where::Nothing);
    }
    Ok(match turn.directory().place(&text).await? {
        Some(place) => Where::At((place.lat, place.lon), Some(place.name)),
        None => Where::Unknown(text),
    })
}

/// The question `text` ("where?") with a button to share one's location.
pub(crate) fn question(turn: &Turn<'_>, text: Text) -> Reply {
    turn.say(text, &[])
        .with_location_request(turn.t(common::SHARE_LOCATION, &[]))
}

/// What an answer to "where?" said.
pub(crate) async fn answer(turn: &Turn<'_>, answer: &Answer) -> PortResult<Where> {
    if answer.is_skip() {
        return Ok(Where::Skipped);
    }
    match answer {
        Answer::Location(lat, lon) if valid_location(*lat, *lon) => {
            Ok(Where::At((*lat, *lon), None))
        }
        Answer::Text(t) => typed(turn, &t.split_whitespace().collect::<Vec<_>>()).await,
        Answer::Location(..) | Answer::Skip => Ok(Where::Nothing),
    }
}

/// Why an answer gave no place, as a reply: an unknown place is named; anything else gets
/// the form an answer takes.
pub(crate) fn not_understood(turn: &Turn<'_>, said: &Where) -> Reply {
    match said {
        Where::Unknown(text) => turn.say(common::UNKNOWN_PLACE, &[text]),
        Where::At(..) | Where::Nothing | Where::Skipped => turn.say(common::BAD_LOCATION, &[]),
    }
}
