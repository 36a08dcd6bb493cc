//! Starting the Telegram and Matrix bots that the config names.

use std::sync::Arc;

use caremesh_bots::chat::Platform;
use caremesh_bots::engine::Engine;
use caremesh_bots::matrix::{Matrix, MatrixConfig};
use caremesh_bots::telegram::Telegram;
use tokio::sync::Notify;

use super::Outbounds;
use crate::app::App;
use crate::config::{Config, MatrixSection};

/// Where a bot secret comes from: a `*_file` key or an environment variable.
fn secret(config: &Config, file: Option<&std::path::PathBuf>, env: &str) -> Option<String> {
    if let Ok(value) = std::env::var(env)
        && !value.trim().is_empty()
    {
        return Some(value.trim().to_owned());
    }
    let path = config.resolve(file?);
    match std::fs::read_to_string(&path) {
        Ok(text) if !text.trim().is_empty() => Some(text.trim().to_owned()),
        Ok(_) => {
            tracing::error!(path = %path.display(), "secret file is empty");
            None
        }
        Err(e) => {
            tracing::error!(path = %path.display(), error = %e, "cannot read secret file");
            None
        }
    }
}

/// Starts the configured bots, registering their outbound senders.
pub async fn start(
    app: &App,
    engine: &Engine,
    shutdown: &Arc<Notify>,
    outbounds: &mut Outbounds,
) -> Vec<&'static str> {
    let mut started = Vec::new();
    if let Some(section) = &app.config.telegram {
        match secret(
            &app.config,
            section.token_file.as_ref(),
            "CAREMESH_TELEGRAM_TOKEN",
        ) {
            Some(token) => {
                match start_telegram(&token, section.api_url.as_deref(), engine, shutdown).await {
                    Ok(bot) => {
                        outbounds.insert(Platform::Telegram, Arc::new(bot));
                        started.push("telegram");
                    }
                    Err(e) => tracing::error!(error = %e, "Telegram bot not started"),
                }
            }
            None => tracing::error!(
                "[telegram] is configured but no token was found (token_file or CAREMESH_TELEGRAM_TOKEN)"
            ),
        }
    }
    if let Some(section) = &app.config.matrix {
        match start_matrix(&app.config, section, engine, shutdown).await {
            Ok(bot) => {
                outbounds.insert(Platform::Matrix, Arc::new(bot));
                started.push("matrix");
            }
            Err(e) => tracing::error!(error = %e, "Matrix bot not started"),
        }
    }
    started
}

/// Restores the saved Matrix session from `<data_dir>/matrix`, or logs in with the password
/// (read only when there is no session yet), and starts syncing.
async fn start_matrix(
    config: &Config,
    section: &MatrixSection,
    engine: &Engine,
    shutdown: &Arc<Notify>,
) -> Result<Matrix, caremesh_bots::matrix::MatrixError> {
    let mut matrix = MatrixConfig {
        homeserver: section.homeserver.clone(),
        user: section.user.clone(),
        password: None,
        dir: config.data_dir().join("matrix"),
    };
    if !matrix.has_session() {
        matrix.password = secret(
            config,
            section.password_file.as_ref(),
            "CAREMESH_MATRIX_PASSWORD",
        );
    }
    let bot = Matrix::connect(&matrix).await?;
    tracing::info!(user = ?bot.user_id(), device = ?bot.device_id(), start = ?bot.start(), "Matrix bot running");
    let stop = shutdown.clone();
    tokio::spawn(
        bot.clone()
            .run(engine.clone(), async move { stop.notified().await }),
    );
    Ok(bot)
}

async fn start_telegram(
    token: &str,
    api_url: Option<&str>,
    engine: &Engine,
    shutdown: &Arc<Notify>,
) -> Result<Telegram, caremesh_bots::telegram::TelegramError> {
    let bot = Telegram::new(token, api_url)?;
    let name = bot.prepare().await?;
    tracing::info!(bot = %name, "Telegram bot running");
    let stop = shutdown.clone();
    tokio::spawn(
        bot.clone()
            .run(engine.clone(), async move { stop.notified().await }),
    );
    Ok(bot)
}
