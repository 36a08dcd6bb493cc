//! What the front ends share: buttons shown as numbered choices (Matrix, the terminal) and
//! a typed number that presses one, a long-poll loop that backs off when the platform
//! fails, and retrying a request the platform rate-limited.

use std::future::Future;
use std::time::Duration;

use crate::chat::Event;
use crate::reply::Reply;

/// How numbered choices are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Numbering {
    /// `  [1] Accept` (the terminal).
    Bracketed,
    /// `1. Accept` (Matrix, where Element renders `1.` lists).
    Dotted,
}

impl Numbering {
    fn choice(self, n: usize, label: &str) -> String {
        match self {
            Numbering::Bracketed => format!("  [{n}] {label}"),
            Numbering::Dotted => format!("{n}. {label}"),
        }
    }

    fn location(self, label: &str) -> String {
        match self {
            Numbering::Bracketed => format!("  ({label}: lat,lon)"),
            Numbering::Dotted => format!("📍 {label} (lat,lon)"),
        }
    }
}

/// Each reply as a message body with its buttons as numbered lines, and the button payloads
/// in the order they are numbered (numbering runs on across the replies, so "2" is always
/// the second choice shown).
pub fn numbered(replies: &[Reply], style: Numbering) -> (Vec<String>, Vec<String>) {
    let mut choices = Vec::new();
    let bodies = replies
        .iter()
        .map(|reply| {
            let mut body = reply.text.clone();
            for button in reply.all_buttons() {
                choices.push(button.data.clone());
                body.push('\n');
                body.push_str(&style.choice(choices.len(), &button.label));
            }
            if let Some(label) = &reply.request_location {
                body.push('\n');
                body.push_str(&style.location(label));
            }
            body
        })
        .collect();
    (bodies, choices)
}

/// What a typed line means: a number within the last choices presses that button.
pub fn event_for_line(line: &str, choices: &[String]) -> Event {
    let trimmed = line.trim();
    let pressed = trimmed
        .parse::<usize>()
        .ok()
        .and_then(|n| choices.get(n.checked_sub(1)?));
    match pressed {
        Some(data) => Event::Button { data: data.clone() },
        None => Event::Text {
            text: trimmed.to_owned(),
        },
    }
}

/// The first wait after a failed poll; it doubles up to [`MAX_BACKOFF`].
const FIRST_BACKOFF: Duration = Duration::from_millis(500);
const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// Long-polls until `shutdown`: `poll` fetches the next batch (a Telegram `getUpdates`, a
/// Matrix `/sync`), `handle` answers it. A failed poll waits the platform's `retry_after`
/// when it gave one, else a back-off that doubles from 0.5 s to 30 s and resets after a
/// success. Answering is not cut short by `shutdown`; polling and waiting are.
pub async fn poll_until<T, E, P, H>(
    platform: &str,
    shutdown: impl Future<Output = ()>,
    retry_after: impl Fn(&E) -> Option<Duration>,
    mut poll: impl FnMut() -> P,
    mut handle: impl FnMut(T) -> H,
) where
    E: std::fmt::Display,
    P: Future<Output = Result<T, E>>,
    H: Future<Output = ()>,
{
    tokio::pin!(shutdown);
    let mut backoff = FIRST_BACKOFF;
    loop {
        let polled = tokio::select! {
            _ = &mut shutdown => return,
            r = poll() => r,
        };
        match polled {
            Ok(batch) => {
                backoff = FIRST_BACKOFF;
                handle(batch).await;
            }
            Err(e) => {
                let wait = retry_after(&e).unwrap_or(backoff);
                tracing::warn!(platform, error = %e, wait_ms = wait.as_millis() as u64, "poll failed");
                tokio::select! {
                    _ = &mut shutdown => return,
                    _ = tokio::time::sleep(wait) => {}
                }
                backoff = (backoff * 2).min(MAX_BACKOFF);
            }
        }
    }
}

/// Runs `op` up to `attempts` times. After a failure, `wait` says how long to wait before
/// the next attempt (given the error and the attempt that failed, from 1), or `None` to
/// give up at once.
pub async fn retry<T, E, F>(
    attempts: u32,
    wait: impl Fn(&E, u32) -> Option<Duration>,
    mut op: impl FnMut() -> F,
) -> Result<T, E>
where
    F: Future<Output = Result<T, E>>,
{
    let mut attempt = 1;
    loop {
        let error = match op().await {
            Ok(done) => return Ok(done),
            Err(e) => e,
        };
        match wait(&error, attempt) {
            Some(pause) if attempt < attempts => {
                tracing::debug!(attempt, wait_ms = pause.as_millis() as u64, "retrying");
                tokio::time::sleep(pause).await;
                attempt += 1;
            }
            _ => return Err(error),
        }
    }
}

/// Doubling waits for [`retry`]: `first`, then twice that, and so on.
pub fn doubling(first: Duration, attempt: u32) -> Duration {
    first.saturating_mul(1 << attempt.saturating_sub(1).min(16))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reply::Button;

    #[test]
    fn buttons_are_numbered_across_replies_in_both_styles() {
        let first = Reply::text("Pick").row(vec![
            Button::command("A", "/accept 1"),
            Button::command("B", "/decline 1"),
        ]);
        let second = Reply::notice("More").row(vec![Button::command("C", "/offer R")]);
        let replies = [first, second.with_location_request("Share")];
        let (bodies, choices) = numbered(&replies, Numbering::Dotted);
        assert_eq!(bodies[0], "Pick\n1. A\n2. B");
        assert_eq!(bodies[1], "More\n3. C\n📍 Share (lat,lon)");
        assert_eq!(choices, ["/accept 1", "/decline 1", "/offer R"]);
        let (bodies, _) = numbered(&replies, Numbering::Bracketed);
        assert_eq!(bodies[1], "More\n  [3] C\n  (Share: lat,lon)");
        assert_eq!(
            event_for_line(" 2 ", &choices),
            Event::Button {
                data: "/decline 1".into()
            }
        );
        for typed in ["0", "4", "two"] {
            assert_eq!(
                event_for_line(typed, &choices),
                Event::Text { text: typed.into() }
            );
        }
    }

    #[tokio::test]
    async fn retry_waits_while_told_to_and_gives_up_otherwise() {
        let mut calls = 0;
        let result: Result<u32, &str> = retry(
            3,
            |e, n| (*e == "busy").then(|| doubling(Duration::from_millis(1), n)),
            || {
                calls += 1;
                let answer = if calls < 3 { Err("busy") } else { Ok(calls) };
                async move { answer }
            },
        )
        .await;
        assert_eq!(result, Ok(3));
        let mut calls = 0;
        let result: Result<(), &str> = retry(
            5,
            |_, _| None,
            || {
                calls += 1;
                async { Err("blocked") }
            },
        )
        .await;
        assert_eq!((result, calls), (Err("blocked"), 1));
        assert_eq!(doubling(Duration::from_secs(1), 3), Duration::from_secs(4));
    }
}
