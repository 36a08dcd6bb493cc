//! caremesh-bots: one conversation engine and its chat front ends.
//!
//! People talk to a caremesh node only through chat. The [`engine::Engine`] turns one
//! [`chat::Input`] (a text or command, a shared location, a button press, a file) from one
//! chat user into the [`reply::Reply`] messages to send back. It does no IO itself: what the
//! node can do sits behind the small traits of [`port`] (accounts, market, directory,
//! listings), and sessions (language, the open question in the state type of the flow
//! that asked) behind the [`session::SessionStore`] trait; the node implements them over its
//! own services and store.
//!
//! Every command is one row of the table in [`command`]: its name, aliases, who may use it,
//! its help line and its flow. Parsing, `/help` and Telegram's command menu read that table.
//! The protocol's values (materials, facility kinds, blood groups) and the one [`role::Role`]
//! are read from chat words in [`lang::words`].
//!
//! Front ends are thin adapters that turn platform events into engine input and replies into
//! platform messages: [`telegram`] (teloxide, long polling), [`matrix`] (matrix-sdk, sync,
//! numbered choices) and [`terminal`] (a client of a running node); what they share (numbered
//! choices, polling with back-off, retrying on rate limits) is in [`front`]. Notifications
//! the node pushes to people ([`notice::Notice`]) are rendered by the engine in each
//! person's language and sent through an [`outbound::Outbound`] of their platform.
//!
//! Every user-facing string lives in the catalogs of [`lang`], English and Hindi side by
//! side. `/stats` draws its [`chart`] with plotters and shaped text (Hindi labels too).

mod base64;
pub mod chart;
pub mod chat;
pub mod command;
pub mod engine;
mod flows;
pub mod front;
pub mod lang;
pub mod matrix;
pub mod notice;
pub mod outbound;
pub mod port;
pub mod reply;
pub mod role;
pub mod session;
pub mod telegram;
pub mod terminal;
