//! Chat lines: the command table's parser, then whole engine turns on the in-memory port
//! of the bots tests (bots/tests/support/fuzz_chat.rs, whose corpus replay runs on stable
//! in bots/tests/fuzz.rs).
#![no_main]
#![allow(unused)]

// The engine's modules, compiled from bots/src as the bots crate compiles them, minus the
// Matrix, Telegram and terminal front ends (the bots crate is no dependency: see
// Cargo.toml). Named `caremesh_bots` so the shared test code finds them under that name.
extern crate self as caremesh_bots;

#[path = "../../bots/src"]
mod bots {
    pub mod base64;
    pub mod chart;
    pub mod chat;
    pub mod command;
    pub mod engine;
    pub mod flows;
    pub mod lang;
    pub mod notice;
    pub mod outbound;
    pub mod port;
    pub mod reply;
    pub mod role;
    pub mod session;
}
pub use bots::*;

#[path = "../../bots/tests/support/fuzz_chat.rs"]
mod fuzz_chat;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| fuzz_chat::chat(data));
