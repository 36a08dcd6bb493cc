//! caremesh-bots: one conversation engine and its chat front ends.
//!
//! People talk to a caremesh node only through chat. The [`engine::Engine`] turns one
//! [`chat::Input`] (a text or command, a shared location, a button press, a file) from one
//! chat user into the [`reply::Reply`] messages to send back. It does no IO itself: what the
//! node can do sits behind the [`port::NodePort`] trait, and dialogue state behind the
//! [`session::SessionStore`] trait; the node implements both over its own services and store.
//!
//! Front ends are thin adapters that turn platform events into engine input and replies into
//! platform messages: [`telegram`] (teloxide, long polling), [`matrix`] (matrix-sdk, sync,
//! numbered choices) and [`terminal`] (numbered choices on a terminal). Notifications the
//! node pushes to people ([`notice::Notice`]) are rendered by the engine in each person's
//! language and sent through an [`outbound::Outbound`] of their platform.
//!
//! Every user-facing string lives in a catalog per language ([`lang`]): English and Hindi.

pub mod chart;
pub mod chat;
pub mod command;
pub mod engine;
mod flows;
pub mod lang;
pub mod matrix;
pub mod notice;
pub mod outbound;
pub mod port;
pub mod reply;
pub mod session;
pub mod subscribers;
pub mod telegram;
pub mod terminal;
