//! `caremesh key rotate`: a new node key, announced to peers signed by the old one (see
//! `caremesh_federation::keychain`). The node must be stopped: a running node would go on
//! signing with the key that was just retired, and peers would refuse what it signs.

use std::path::PathBuf;

use caremesh_federation::{Keychain, NodeKey};

use super::{StartError, load_key};
use crate::config::Config;
use crate::store::sled_store::SledStore;

/// What a rotation did.
#[derive(Clone, Debug)]
pub struct Rotated {
    /// The key id retired.
    pub retired: String,
    /// The key id that signs from now on.
    pub current: String,
    /// When the old key was retired (unix ms).
    pub at: i64,
    /// The key file written.
    pub path: PathBuf,
}

/// Retires the node's current key at `now_ms` and makes the next version current, in the
/// key file named by `config`. Refuses while the node runs (its database is locked).
pub fn rotate_key(config: &Config, now_ms: i64) -> Result<Rotated, StartError> {
    let data_dir = config.data_dir();
    // Opening the database takes its lock, which a running node holds.
    let store =
        SledStore::open(&data_dir.join("db"), 1 << 20).map_err(|source| StartError::Store {
            path: data_dir.clone(),
            source,
        })?;
    drop(store);
    let path = config.resolve(&config.node.key_file);
    let key_err = |problem: String| StartError::Key {
        path: path.clone(),
        problem,
    };
    let mut keys: Keychain = load_key(&path, false)?;
    let retired = keys.current().id().to_owned();
    let version =
        caremesh_federation::key::parse_key_id(&retired).map_err(|e| key_err(e.to_string()))?;
    let next_id = format!("ed25519:{}", version.saturating_add(1));
    let next = NodeKey::from_secret(&next_id, NodeKey::generate_secret())
        .map_err(|e| key_err(e.to_string()))?;
    keys.rotate(&config.public_url(), next, now_ms)
        .map_err(|e| key_err(e.to_string()))?;
    crate::private_file::replace(&path, &keys.to_file_text())
        .map_err(|e| key_err(e.to_string()))?;
    Ok(Rotated {
        retired,
        current: next_id,
        at: now_ms,
        path,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rotates_a_stopped_node_and_refuses_a_running_one() {
        let dir = tempfile::tempdir().unwrap();
        let mut config = crate::fixtures::node_config(dir.path(), "n", &[]);
        config.node.public_url = Some("http://127.0.0.1:9".into());
        let first = load_key(&config.resolve(&config.node.key_file), true).unwrap();
        let rotated = rotate_key(&config, 1_000).unwrap();
        assert_eq!(
            (rotated.retired.as_str(), rotated.current.as_str()),
            ("ed25519:1", "ed25519:2")
        );
        let keys = load_key(&rotated.path, false).unwrap();
        assert_eq!(keys.keys().len(), 2);
        assert_eq!(keys.keys()[0].key.public(), first.current().public());
        assert_eq!(keys.keys()[0].retired, Some(1_000));
        // A second rotation makes version 3.
        assert_eq!(rotate_key(&config, 2_000).unwrap().current, "ed25519:3");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&rotated.path)
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        // While the database is open (a running node), nothing changes.
        let _running = SledStore::open(&config.data_dir().join("db"), 1 << 20).unwrap();
        assert!(rotate_key(&config, 3_000).is_err());
        assert_eq!(
            load_key(&rotated.path, false).unwrap().current().id(),
            "ed25519:3"
        );
    }
}
