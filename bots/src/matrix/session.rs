//! Logging in once and restoring the saved session on later starts. The access token and
//! device id live in `session.json`, the state and crypto stores (SQLite) in `store/`, both
//! in the bot's folder. A store without a session belongs to a device we no longer have the
//! token for, so it is cleared before a new login (one store holds one device's keys).

use std::path::{Path, PathBuf};

use matrix_sdk::Client;
use matrix_sdk::authentication::matrix::MatrixSession;
use matrix_sdk::ruma::api::client::uiaa;

use super::MatrixError;

/// Where and as whom the bot logs in.
#[derive(Clone, Debug)]
pub struct MatrixConfig {
    /// The homeserver's client API base URL.
    pub homeserver: String,
    /// The bot's user id (`@bot:example.org`) or localpart.
    pub user: String,
    /// Needed only for the first login; later starts restore the saved session.
    pub password: Option<String>,
    /// Folder for the session file and the stores; created if missing.
    pub dir: PathBuf,
}

impl MatrixConfig {
    /// Whether an earlier start saved a session here (then no password is needed).
    pub fn has_session(&self) -> bool {
        self.dir.join(SESSION_FILE).exists()
    }
}

const SESSION_FILE: &str = "session.json";

/// How the client got its session.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Start {
    /// A new device, logged in with the password.
    LoggedIn,
    /// The saved session of an earlier start.
    Restored,
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> MatrixError + '_ {
    move |source| MatrixError::Io {
        path: path.to_owned(),
        source,
    }
}

async fn build(config: &MatrixConfig, store: &Path) -> Result<Client, MatrixError> {
    Client::builder()
        .homeserver_url(&config.homeserver)
        .sqlite_store(store, None)
        .build()
        .await
        .map_err(|e| MatrixError::Build {
            homeserver: config.homeserver.clone(),
            problem: e.to_string(),
        })
}

/// A client with a session: the saved one if there is one, else a password login whose
/// session is then saved (mode 0600).
pub async fn connect(config: &MatrixConfig) -> Result<(Client, Start), MatrixError> {
    std::fs::create_dir_all(&config.dir).map_err(io(&config.dir))?;
    let session_path = config.dir.join(SESSION_FILE);
    let store = config.dir.join("store");
    if session_path.exists() {
        let text = std::fs::read_to_string(&session_path).map_err(io(&session_path))?;
        let session: MatrixSession =
            serde_json::from_str(&text).map_err(|e| MatrixError::BadSession {
                path: session_path.clone(),
                problem: e.to_string(),
            })?;
        let client = build(config, &store).await?;
        client
            .restore_session(session)
            .await
            .map_err(|e| MatrixError::Restore {
                path: session_path.clone(),
                problem: e.to_string(),
            })?;
        return Ok((client, Start::Restored));
    }
    let password = config
        .password
        .as_deref()
        .ok_or_else(|| MatrixError::NoPassword {
            user: config.user.clone(),
        })?;
    if store.exists() {
        tracing::warn!(path = %store.display(), "Matrix store without a session: starting a new device");
        std::fs::remove_dir_all(&store).map_err(io(&store))?;
    }
    let client = build(config, &store).await?;
    client
        .matrix_auth()
        .login_username(&config.user, password)
        .initial_device_display_name("caremesh bot")
        .send()
        .await
        .map_err(|e| MatrixError::Login {
            user: config.user.clone(),
            problem: e.to_string(),
        })?;
    save(&client, &session_path)?;
    bootstrap_cross_signing(&client, password).await;
    Ok((client, Start::LoggedIn))
}

/// Writes the session next to the stores, readable by the node's user only.
fn save(client: &Client, path: &Path) -> Result<(), MatrixError> {
    let session = client
        .matrix_auth()
        .session()
        .ok_or_else(|| MatrixError::BadSession {
            path: path.to_owned(),
            problem: "no session after login".into(),
        })?;
    let json = serde_json::to_vec_pretty(&session).map_err(|e| MatrixError::BadSession {
        path: path.to_owned(),
        problem: e.to_string(),
    })?;
    let tmp = path.with_extension("json.tmp");
    {
        use std::io::Write;
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(&tmp).map_err(io(&tmp))?;
        file.write_all(&json).map_err(io(&tmp))?;
        file.sync_all().map_err(io(&tmp))?;
    }
    std::fs::rename(&tmp, path).map_err(io(path))
}

/// Creates the bot's cross-signing keys, so Element users can verify and trust it. Best
/// effort: the bot works in encrypted rooms without it.
async fn bootstrap_cross_signing(client: &Client, password: &str) {
    let encryption = client.encryption();
    let Err(first) = encryption.bootstrap_cross_signing_if_needed(None).await else {
        tracing::info!("Matrix cross-signing ready");
        return;
    };
    let (Some(info), Some(user)) = (first.as_uiaa_response(), client.user_id()) else {
        tracing::warn!(error = %first, "cannot bootstrap Matrix cross-signing");
        return;
    };
    let mut auth = uiaa::Password::new(user.to_owned().into(), password.to_owned());
    auth.session = info.session.clone();
    match encryption
        .bootstrap_cross_signing(Some(uiaa::AuthData::Password(auth)))
        .await
    {
        Ok(()) => tracing::info!("Matrix cross-signing ready"),
        Err(e) => tracing::warn!(error = %e, "cannot bootstrap Matrix cross-signing"),
    }
}
