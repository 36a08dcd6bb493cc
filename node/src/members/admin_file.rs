//! The admin token file as the one source of truth for the admin's token, also while the
//! node runs. `caremesh token rotate` replaces the file (atomically, mode 0600); before
//! each bearer-token check the node reads the file (some 70 bytes), and when it changed,
//! stores the new token's hash and drops every other admin token. The old token thus gets
//! 401 from the first request after the rotation, without a restart.

use std::path::PathBuf;
use std::sync::Mutex;

/// The admin token file and the token last read from it.
#[derive(Debug)]
pub struct AdminFile {
    path: PathBuf,
    seen: Mutex<String>,
}

impl AdminFile {
    /// Watches `path`, whose token `current` the store already knows.
    pub fn new(path: PathBuf, current: &str) -> Self {
        Self {
            path,
            seen: Mutex::new(current.to_owned()),
        }
    }

    /// Reads the file; when its token differs from the one last seen, calls `apply` with
    /// it (under a lock, so no token check runs half-way through a change) and remembers it
    /// once `apply` succeeded. A file that cannot be read or is empty changes nothing.
    pub fn sync<E>(&self, apply: impl FnOnce(&str) -> Result<(), E>) -> Result<bool, E> {
        let text = match std::fs::read_to_string(&self.path) {
            Ok(text) => text,
            Err(e) => {
                tracing::warn!(path = %self.path.display(), error = %e,
                    "cannot read the admin token file; the admin token stays as it was");
                return Ok(false);
            }
        };
        let token = text.trim();
        let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        if token.is_empty() || *seen == token {
            return Ok(false);
        }
        apply(token)?;
        *seen = token.to_owned();
        Ok(true)
    }
}
