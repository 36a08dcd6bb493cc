//! The node's key and admin token files: read at start, made (owner-only) on a first run.

use std::path::Path;

use caremesh_federation::{Keychain, NodeKey};

use super::StartError;

/// Reads the node's keys; with `create`, makes a key (mode 0600) if the file is missing.
pub fn load_key(path: &Path, create: bool) -> Result<Keychain, StartError> {
    let key_err = |problem: String| StartError::Key {
        path: path.to_owned(),
        problem,
    };
    match std::fs::read_to_string(path) {
        Ok(text) => Keychain::from_file_text(&text).map_err(|e| key_err(e.to_string())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && create => {
            let keys = Keychain::from(NodeKey::generate());
            crate::private_file::write(path, &keys.to_file_text())
                .map_err(|e| key_err(e.to_string()))?;
            Ok(keys)
        }
        Err(e) => Err(key_err(e.to_string())),
    }
}

/// Reads the admin token; with `create`, makes one (mode 0600) if the file is missing.
pub fn load_token(path: &Path, create: bool) -> Result<String, StartError> {
    let token_err = |problem: String| StartError::Token {
        path: path.to_owned(),
        problem,
    };
    match std::fs::read_to_string(path) {
        Ok(text) if !text.trim().is_empty() => Ok(text.trim().to_owned()),
        Ok(_) => Err(token_err("is empty".into())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && create => {
            let token = crate::members::new_token();
            crate::private_file::write(path, &format!("{token}\n"))
                .map_err(|e| token_err(e.to_string()))?;
            Ok(token)
        }
        Err(e) => Err(token_err(e.to_string())),
    }
}

/// `caremesh token rotate`: replaces the admin token file named by `config` with a new
/// token (mode 0600, atomically) and returns its path. Nothing else is needed: a running
/// node reads the file before each token check and drops the old token's hash at once
/// (`members/admin_file.rs`); a stopped node does so when it starts.
pub fn rotate_admin_token(
    config: &crate::config::Config,
) -> Result<std::path::PathBuf, StartError> {
    let path = config.resolve(&config.api.admin_token_file);
    let token = crate::members::new_token();
    crate::private_file::replace(&path, &format!("{token}\n")).map_err(|e| StartError::Token {
        path: path.clone(),
        problem: e.to_string(),
    })?;
    Ok(path)
}
