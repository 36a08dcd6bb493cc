//! Encryption at rest of health data (docs/health.md §6).
//!
//! One secret, the **records key** (`records.key`, 32 random bytes as hex, mode 0600, never in
//! sled), yields by HKDF-SHA256: the key that seals health values in sled (with the space and
//! key as associated data, so a value cannot be moved to another key), the key that blinds
//! sled keys that would otherwise name a person, and one key per record for the record bytes
//! (the segment format of [`stream`]), which go through the `object_store` crate.

pub mod blobs;
pub mod stream;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use caremesh_federation::xaead::XAead;
use hkdf::Hkdf;
use hmac::{Hmac, Mac};
use object_store::ObjectStore;
use rand::RngCore;
use sha2::Sha256;
use zeroize::Zeroizing;

use crate::store::{Space, Store, StoreError};

/// The format tag of a sealed sled value.
pub const SEALED_V1: u8 = 0x81;
const HKDF_SALT: &[u8] = b"caremesh-vault-v1";
const CHECK_KEY: &str = "vault:check";
const CHECK_TEXT: &[u8] = b"caremesh records key check v1";

/// What is wrong with the records key file; each message says what to do.
#[derive(Debug, thiserror::Error)]
pub enum KeyFileError {
    #[error(
        "records key {path} is readable or writable by others (mode {mode:o}): run `chmod 600 {path}`"
    )]
    Permissions { path: PathBuf, mode: u32 },
    #[error(
        "records key {path} must hold 64 hex characters (32 bytes), it holds {found}: restore it from your backup (without it the records cannot be read)"
    )]
    Length { path: PathBuf, found: usize },
    #[error(
        "records key {path} holds a character that is not hex: restore it from your backup (without it the records cannot be read)"
    )]
    NotHex { path: PathBuf },
    #[error(
        "records key {path} is missing but this node holds encrypted health data: restore records.key from your backup"
    )]
    Missing { path: PathBuf },
    #[error("cannot read or write records key {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// Why the vault could not seal, open, store or read something.
#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    #[error(
        "records.key is not the key this node's health data was written with: restore records.key from your backup"
    )]
    WrongKey,
    #[error("sealed health value at `{key}` cannot be opened: it was altered or moved")]
    Value { key: String },
    #[error("record `{record_id}`: {problem}")]
    Record {
        record_id: String,
        #[source]
        problem: stream::StreamError,
    },
    #[error("`{record_id}` is not a record id (a ULID)")]
    RecordId { record_id: String },
    #[error("record `{record_id}` not found")]
    NotFound { record_id: String },
    #[error("record storage failed during {op}: {source}")]
    Blobs {
        op: &'static str,
        #[source]
        source: object_store::Error,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Why the vault could not be opened at start.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error(transparent)]
    KeyFile(#[from] KeyFileError),
    #[error(transparent)]
    Vault(#[from] VaultError),
}

/// Opens the vault at start: reads `key_file` (made only while the store holds no sealed
/// health data), keeps record bytes under `records_dir`, and checks that the key is the one
/// the store's health data was sealed with.
pub fn open(key_file: &Path, records_dir: &Path, store: &dyn Store) -> Result<Vault, OpenError> {
    let may_create = !Vault::store_has_health_data(store).map_err(VaultError::from)?;
    let key = RecordsKey::load(key_file, may_create)?;
    let vault = Vault::local(key, records_dir)?;
    vault.check_key(store)?;
    Ok(vault)
}

/// The records key. Zeroed when dropped; its `Debug` shows nothing.
pub struct RecordsKey(Zeroizing<[u8; 32]>);

impl std::fmt::Debug for RecordsKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RecordsKey(…)")
    }
}

impl RecordsKey {
    /// A fresh random key.
    pub fn generate() -> Self {
        let mut key = Zeroizing::new([0u8; 32]);
        rand::rngs::OsRng.fill_bytes(key.as_mut());
        RecordsKey(key)
    }

    /// Reads the key file, refusing loose permissions and malformed content. A missing file
    /// is created (mode 0600) when `may_create`, which the caller allows only while the node
    /// holds no sealed health data.
    pub fn load(path: &Path, may_create: bool) -> Result<Self, KeyFileError> {
        let io = |source| KeyFileError::Io {
            path: path.to_owned(),
            source,
        };
        match std::fs::metadata(path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && may_create => {
                let key = Self::generate();
                crate::private_file::write(path, &format!("{}\n", hex::encode(*key.0)))
                    .map_err(io)?;
                return Ok(key);
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(KeyFileError::Missing {
                    path: path.to_owned(),
                });
            }
            Err(e) => return Err(io(e)),
            Ok(meta) => check_mode(path, &meta)?,
        }
        let text = Zeroizing::new(std::fs::read_to_string(path).map_err(io)?);
        let hex_text = text.trim();
        if hex_text.len() != 64 {
            return Err(KeyFileError::Length {
                path: path.to_owned(),
                found: hex_text.len(),
            });
        }
        let mut key = Zeroizing::new([0u8; 32]);
        hex::decode_to_slice(hex_text, key.as_mut()).map_err(|_| KeyFileError::NotHex {
            path: path.to_owned(),
        })?;
        Ok(RecordsKey(key))
    }

    fn derive<const N: usize>(&self, info: &[&[u8]]) -> Zeroizing<[u8; N]> {
        let hk = Hkdf::<Sha256>::new(Some(HKDF_SALT), self.0.as_ref());
        let mut out = Zeroizing::new([0u8; N]);
        // We ask for 32 or 64 bytes, far below HKDF-SHA256's limit, so expand cannot fail.
        let _ = hk.expand_multi_info(info, out.as_mut());
        out
    }
}

#[cfg(unix)]
fn check_mode(path: &Path, meta: &std::fs::Metadata) -> Result<(), KeyFileError> {
    use std::os::unix::fs::PermissionsExt;
    let mode = meta.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        return Err(KeyFileError::Permissions {
            path: path.to_owned(),
            mode,
        });
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_mode(_: &Path, _: &std::fs::Metadata) -> Result<(), KeyFileError> {
    Ok(())
}

/// Sealing of sled values, blinding of sled keys, and encrypted record bytes.
#[derive(Clone)]
pub struct Vault {
    inner: Arc<Inner>,
}

struct Inner {
    key: RecordsKey,
    values: XAead,
    /// A full HMAC-SHA256 block, so that `Mac::new` takes it as is.
    blind: Zeroizing<[u8; 64]>,
    blobs: Arc<dyn ObjectStore>,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Vault({})", self.inner.blobs)
    }
}

fn value_ad(space: Space, key: &str) -> Vec<u8> {
    let mut ad = b"caremesh-value\0".to_vec();
    ad.extend_from_slice(space.name().as_bytes());
    ad.push(0);
    ad.extend_from_slice(key.as_bytes());
    ad
}

impl Vault {
    /// A vault over `key`, keeping record bytes in `blobs`.
    pub fn new(key: RecordsKey, blobs: Arc<dyn ObjectStore>) -> Self {
        let values_key: Zeroizing<[u8; 32]> = key.derive(&[b"sled-values"]);
        let values = XAead::new(&values_key);
        let blind = key.derive(&[b"blind-index"]);
        Vault {
            inner: Arc::new(Inner {
                key,
                values,
                blind,
                blobs,
            }),
        }
    }

    /// A vault keeping record bytes in the folder `dir` (made if missing).
    pub fn local(key: RecordsKey, dir: &Path) -> Result<Self, VaultError> {
        let blobs_err = |source| VaultError::Blobs {
            op: "open the records folder",
            source,
        };
        std::fs::create_dir_all(dir).map_err(|e| {
            blobs_err(object_store::Error::Generic {
                store: "LocalFileSystem",
                source: Box::new(e),
            })
        })?;
        let local =
            object_store::local::LocalFileSystem::new_with_prefix(dir).map_err(blobs_err)?;
        Ok(Self::new(key, Arc::new(local)))
    }

    /// 32 hex digits that stand for `value` in sled keys without revealing it: the first 16
    /// bytes of HMAC-SHA256(blind key, domain ‖ 0 ‖ value).
    pub fn blind(&self, domain: &str, value: &str) -> String {
        let key = hmac::digest::Key::<Hmac<Sha256>>::from_slice(&self.inner.blind[..]);
        let mut mac = <Hmac<Sha256> as Mac>::new(key);
        mac.update(domain.as_bytes());
        mac.update(&[0]);
        mac.update(value.as_bytes());
        let tag = mac.finalize().into_bytes();
        hex::encode(&tag[..16])
    }

    /// Seals a value to be written at `key` in `space`.
    pub fn seal_value(&self, space: Space, key: &str, plaintext: &[u8]) -> Vec<u8> {
        let mut nonce = [0u8; 24];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        let ad = value_ad(space, key);
        let mut out = Vec::with_capacity(1 + 24 + plaintext.len() + stream::TAG);
        out.push(SEALED_V1);
        out.extend_from_slice(&nonce);
        self.inner
            .values
            .seal_into(&nonce, &ad, plaintext, &mut out);
        out
    }

    /// Opens a value read from `key` in `space`.
    pub fn open_value(
        &self,
        space: Space,
        key: &str,
        sealed: &[u8],
    ) -> Result<Vec<u8>, VaultError> {
        let refused = || VaultError::Value {
            key: key.to_owned(),
        };
        if sealed.len() < 1 + 24 + stream::TAG || sealed[0] != SEALED_V1 {
            return Err(refused());
        }
        let ad = value_ad(space, key);
        let mut nonce = [0u8; 24];
        nonce.copy_from_slice(&sealed[1..25]);
        self.inner
            .values
            .open(&nonce, &ad, &sealed[25..])
            .map_err(|_| refused())
    }

    /// Seals a serialisable value (version-tagged inside) for `key` in `space` and writes it.
    pub fn put<T: serde::Serialize>(
        &self,
        store: &dyn Store,
        space: Space,
        key: &str,
        value: &T,
    ) -> Result<(), VaultError> {
        let sealed = self.seal_value(space, key, &crate::store::record::encode(value));
        Ok(store.put(space, key, &sealed)?)
    }

    /// Reads, opens and decodes the value at `key` in `space`.
    pub fn get<T: serde::de::DeserializeOwned>(
        &self,
        store: &dyn Store,
        space: Space,
        what: &'static str,
        key: &str,
    ) -> Result<Option<T>, VaultError> {
        let Some(sealed) = store.get(space, key)? else {
            return Ok(None);
        };
        let plain = Zeroizing::new(self.open_value(space, key, &sealed)?);
        Ok(Some(crate::store::record::decode(what, key, &plain)?))
    }

    /// Checks that this vault's key is the one the store's health data was sealed with,
    /// writing the check value on first use. Call at start.
    pub fn check_key(&self, store: &dyn Store) -> Result<(), VaultError> {
        match store.get(Space::Health, CHECK_KEY)? {
            None => {
                let sealed = self.seal_value(Space::Health, CHECK_KEY, CHECK_TEXT);
                store.put(Space::Health, CHECK_KEY, &sealed)?;
                Ok(())
            }
            Some(sealed) => match self.open_value(Space::Health, CHECK_KEY, &sealed) {
                Ok(text) if text == CHECK_TEXT => Ok(()),
                _ => Err(VaultError::WrongKey),
            },
        }
    }

    /// Whether the store holds sealed health data (so a missing key file must not be made
    /// anew).
    pub fn store_has_health_data(store: &dyn Store) -> Result<bool, StoreError> {
        Ok(store.get(Space::Health, CHECK_KEY)?.is_some())
    }

    fn record_key(&self, record_id: &str, header: &stream::Header) -> Zeroizing<[u8; 32]> {
        self.inner
            .key
            .derive(&[b"record\0", record_id.as_bytes(), b"\0", &header.salt])
    }

    fn blobs(&self) -> &dyn ObjectStore {
        self.inner.blobs.as_ref()
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod doc_vectors;
