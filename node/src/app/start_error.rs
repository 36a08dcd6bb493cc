//! Why a node could not start or open, each with what the operator should do.

use std::path::PathBuf;

use crate::error::ServiceError;
use crate::health::HealthStartError;
use crate::store::StoreError;

/// Why a node could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    #[error(
        "key file {path}: {problem}. Run `caremesh init` to make a node, or fix node.key_file."
    )]
    Key { path: PathBuf, problem: String },
    #[error("admin token file {path}: {problem}. Fix api.admin_token_file.")]
    Token { path: PathBuf, problem: String },
    #[error(
        "cannot open the database in {path}: {source}. Is another caremesh using this data_dir?"
    )]
    Store {
        path: PathBuf,
        #[source]
        source: StoreError,
    },
    #[error("setting up the node failed: {0}")]
    Service(#[from] ServiceError),
    #[error("cannot listen on {addr}: {source}. Is the port in use? Change http.listen.")]
    Bind {
        addr: String,
        #[source]
        source: std::io::Error,
    },
    #[error("HTTP client: {0}")]
    Client(String),
    #[error("the built-in triage rules do not load: {0}")]
    Triage(String),
    #[error(transparent)]
    Places(#[from] crate::directory::places::PlacesError),
    #[error(transparent)]
    Health(#[from] HealthStartError),
}

/// Why an offline command (import, export) could not open a stopped node.
#[derive(Debug, thiserror::Error)]
#[error(
    "cannot open the node: {0}\n(import and export open the node's database directly: stop \
     `caremesh run` on this data_dir first; sled allows one process at a time)"
)]
pub struct OfflineError(#[source] pub StartError);
