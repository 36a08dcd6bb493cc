//! The `chat` fuzz target's body, shared by `fuzz/fuzz_targets/chat.rs` (cargo-fuzz,
//! nightly) and the stable replay of its corpus in `bots/tests/fuzz.rs`, so both run the
//! same code.
//!
//! An input is up to [`MAX_LINES`] lines. The first byte of a line picks who speaks (an
//! admin, a maker, a requester, a stranger) and what they send (text, a button payload, a
//! shared location written `lat,lon`); the rest is the text. Each line goes through the
//! command table's parser and then through a whole engine turn on the in-memory port.
//!
//! Properties: nothing panics; a parsed command is the table's row for its name and its
//! arguments are trimmed; an unknown name is echoed short; every turn gets a non-empty
//! answer whose button payloads fit Telegram's 64 bytes.

use std::sync::Arc;

use caremesh_bots::chat::{ChatUser, Event, Input, Platform};
use caremesh_bots::command::{self, Parsed};
use caremesh_bots::engine::Engine;
use caremesh_bots::port::Role;
use caremesh_bots::session::MemorySessions;

#[path = "fake_port.rs"]
#[allow(dead_code)]
pub mod fake_port;

use fake_port::FakePort;

/// Lines read from one input; the rest is ignored, so each run stays short.
pub const MAX_LINES: usize = 16;

/// Runs one input (see the module docs).
pub fn chat(data: &[u8]) {
    thread_local! {
        static RUNTIME: tokio::runtime::Runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a current-thread runtime");
    }
    RUNTIME.with(|rt| rt.block_on(turns(data)));
}

async fn turns(data: &[u8]) {
    let port = Arc::new(FakePort::default());
    let engine = Engine::new(port.clone(), Arc::new(MemorySessions::default()), "Fuzz");
    let users: Vec<ChatUser> = (0..4)
        .map(|i| {
            let platform = if i % 2 == 0 {
                Platform::Telegram
            } else {
                Platform::Matrix
            };
            ChatUser::direct(platform, format!("{i}"))
        })
        .collect();
    port.add(&users[0], "admin", Role::Admin);
    port.add(&users[1], "maker", Role::Maker);
    port.add(&users[2], "nurse", Role::Requester);
    for line in data.split(|b| *b == b'\n').take(MAX_LINES) {
        let Some((&first, rest)) = line.split_first() else {
            continue;
        };
        let text = String::from_utf8_lossy(rest).into_owned();
        check_parse(&text);
        let event = match (first >> 2) % 4 {
            0 | 1 => Event::Text { text },
            2 => Event::Button { data: text },
            _ => location(&text),
        };
        let from = users[usize::from(first % 4)].clone();
        let replies = engine.handle(&Input { from, event }).await;
        assert!(!replies.is_empty(), "no reply");
        for reply in &replies {
            assert!(!reply.text.trim().is_empty(), "an empty reply");
            for button in reply.all_buttons() {
                assert!(button.data.len() <= 64, "payload {:?}", button.data);
            }
        }
    }
}

fn check_parse(text: &str) {
    match command::parse(text) {
        None => {}
        Some(Parsed::Known(row, args)) => {
            let found = command::find(row.name).expect("a row is found by its name");
            assert!(std::ptr::eq(found, row), "{} is two rows", row.name);
            assert_eq!(args.trim(), args, "arguments are trimmed");
        }
        Some(Parsed::Unknown(name)) => {
            assert!(!name.is_empty(), "an unknown command without a name");
            assert!(name.chars().count() <= 24, "echoed name too long: {name}");
        }
    }
}

fn location(text: &str) -> Event {
    let mut parts = text
        .split(',')
        .map(|p| p.trim().parse::<f64>().unwrap_or(0.0));
    Event::Location {
        lat: parts.next().unwrap_or(0.0),
        lon: parts.next().unwrap_or(0.0),
    }
}
