//! The chat front ends wired into the node: the engine's ports and session store over the
//! node's services and sled store, the Telegram and Matrix bots started from config, the
//! terminal chat's side of `POST /api/v1/chat`, and the fan-out that turns newly stored
//! objects and health notices into notifications.

mod appointment_notices;
mod bots;
mod directed;
pub mod fanout;
mod handles;
mod health_notices;
mod order_notices;
pub mod port;
pub mod records;
pub mod subscribers;
pub mod terminal;
mod views;

use std::collections::BTreeMap;
use std::sync::Arc;

use caremesh_bots::chat::Platform;
use caremesh_bots::engine::Engine;
use caremesh_bots::outbound::Outbound;
use tokio::sync::Notify;

use crate::app::App;
pub use appointment_notices::reminder_sink;
use port::ChatNode;
use records::ChatRecords;

/// The conversation engine over this node. Build it once and share it: it holds no
/// per-message state.
pub fn engine(app: &App) -> Engine {
    Engine::new(
        Arc::new(ChatNode::new(&app.services, app.store.clone())),
        Arc::new(ChatRecords::new(app.store.clone())),
        app.config.node.name.clone(),
    )
}

/// The platforms notifications can be sent on.
pub type Outbounds = BTreeMap<Platform, Arc<dyn Outbound>>;

/// Starts every configured bot and the notification fan-out; they stop at `shutdown`.
/// Returns the names of the bots started.
pub async fn spawn(app: &App, shutdown: Arc<Notify>) -> Vec<&'static str> {
    let engine = engine(app);
    let mut outbounds: Outbounds = BTreeMap::new();
    outbounds.insert(
        Platform::Terminal,
        Arc::new(terminal::Inbox::new(app.store.clone())),
    );
    let started = bots::start(app, &engine, &shutdown, &mut outbounds).await;
    let fanout = fanout::Fanout::new(app, engine, outbounds);
    tokio::spawn(fanout.run(shutdown));
    started
}
