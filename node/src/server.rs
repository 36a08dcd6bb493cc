//! Running a node: bind the listener, start the background work, serve until Ctrl-C or
//! SIGTERM, then flush.

use std::sync::Arc;

use tokio::net::TcpListener;
use tokio::sync::Notify;

use crate::app::{App, StartError};
use crate::config::Config;

/// A node running inside this process (tests, benchmarks).
pub struct RunningNode {
    pub app: Arc<App>,
    pub url: String,
    pub shutdown: Arc<Notify>,
}

impl RunningNode {
    /// Stops serving and the background work.
    pub fn stop(&self) {
        self.shutdown.notify_waiters();
    }
}

/// Starts a node in this process on `listener`, whose address becomes the public URL
/// unless the config names one.
pub async fn start(
    mut config: Config,
    listener: TcpListener,
    first_run: bool,
) -> Result<RunningNode, StartError> {
    let addr = listener.local_addr().map_err(|source| StartError::Bind {
        addr: config.http.listen.clone(),
        source,
    })?;
    config.http.listen = addr.to_string();
    let app = Arc::new(App::open(config, first_run)?);
    let shutdown = Arc::new(Notify::new());
    app.spawn_background(shutdown.clone());
    crate::chat::spawn(&app, shutdown.clone()).await;
    let router = crate::http::app(&app);
    let stop = shutdown.clone();
    tokio::spawn(async move {
        let _ = axum::serve(listener, with_peer_addr(router))
            .with_graceful_shutdown(async move { stop.notified().await })
            .await;
    });
    Ok(RunningNode {
        url: app.services.node.origin.clone(),
        app,
        shutdown,
    })
}

/// Opens and runs the node until a shutdown signal.
pub async fn run(config: Config, first_run: bool) -> Result<(), StartError> {
    let listen = config.http.listen.clone();
    let listener = TcpListener::bind(&listen)
        .await
        .map_err(|source| StartError::Bind {
            addr: listen.clone(),
            source,
        })?;
    let app = Arc::new(App::open(config, first_run)?);
    let shutdown = Arc::new(Notify::new());
    app.spawn_background(shutdown.clone());
    let bots = crate::chat::spawn(&app, shutdown.clone()).await;
    announce(&app, &listener, &bots);
    let router = crate::http::app(&app);
    let served = axum::serve(listener, with_peer_addr(router))
        .with_graceful_shutdown(signal())
        .await;
    shutdown.notify_waiters();
    if let Err(e) = app.close() {
        tracing::error!(error = %e, "final flush failed");
    }
    served.map_err(|source| StartError::Bind {
        addr: listen,
        source,
    })
}

fn announce(app: &App, listener: &TcpListener, bots: &[&str]) {
    let addr = listener
        .local_addr()
        .map(|a| a.to_string())
        .unwrap_or_default();
    tracing::info!(name = %app.config.node.name, origin = %app.services.node.origin, listen = %addr, data_dir = %app.config.data_dir().display(), "caremesh node running");
    if bots.is_empty() {
        tracing::info!(
            "no chat bot running (no usable [telegram] or [matrix] table): HTTP API, federation and `caremesh chat` only"
        );
    } else {
        tracing::info!(bots = ?bots, "chat bots running");
    }
}

async fn signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down");
}

/// The router as a service that records each connection's peer address, which
/// `POST /diagnose` bounds its records by.
fn with_peer_addr(
    router: axum::Router,
) -> axum::extract::connect_info::IntoMakeServiceWithConnectInfo<axum::Router, std::net::SocketAddr>
{
    router.into_make_service_with_connect_info::<std::net::SocketAddr>()
}
