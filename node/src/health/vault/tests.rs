use std::path::Path;

use sha2::Digest;

use super::blobs::CHUNK;
use super::stream::{HEADER_LEN, Header, SEGMENT, TAG};
use super::*;
use crate::store::memory::MemoryStore;

const MARKER: &[u8] = b"HbA1c 9.1 % -- Kamala Devi -- diabetic";

/// A plaintext made of the marker repeated, so any leak of it to disk is easy to find.
fn report(len: usize) -> Vec<u8> {
    MARKER.iter().copied().cycle().take(len).collect()
}

fn files_under(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(files_under(&path));
        } else {
            out.push(path);
        }
    }
    out
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn key_of(seed: u8) -> RecordsKey {
    RecordsKey(Zeroizing::new([seed; 32]))
}

fn vault_in(dir: &Path, seed: u8) -> Vault {
    Vault::local(key_of(seed), dir).unwrap()
}

fn record_file(dir: &Path, id: &str) -> std::path::PathBuf {
    dir.join("health").join("records").join(id)
}

#[test]
fn key_file_is_made_0600_and_read_back() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("records.key");
    let made = RecordsKey::load(&path, true).unwrap();
    let again = RecordsKey::load(&path, false).unwrap();
    assert_eq!(*made.0, *again.0);
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(text.trim().len(), 64);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    assert!(!format!("{made:?}").contains(&text.trim()[..8]));
}

#[cfg(unix)]
#[test]
fn key_file_problems_say_what_to_do() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("records.key");
    let missing = RecordsKey::load(&path, false).unwrap_err().to_string();
    assert!(
        missing.contains("restore records.key from your backup"),
        "{missing}"
    );

    std::fs::write(&path, format!("{}\n", "ab".repeat(32))).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let loose = RecordsKey::load(&path, false).unwrap_err().to_string();
    assert!(
        loose.contains("chmod 600") && loose.contains("644"),
        "{loose}"
    );

    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    std::fs::write(&path, "abcd\n").unwrap();
    let short = RecordsKey::load(&path, true).unwrap_err().to_string();
    assert!(
        short.contains("64 hex characters") && short.contains("holds 4"),
        "{short}"
    );

    std::fs::write(&path, "zz".repeat(32)).unwrap();
    let not_hex = RecordsKey::load(&path, true).unwrap_err().to_string();
    assert!(not_hex.contains("not hex"), "{not_hex}");
}

#[test]
fn values_open_only_where_they_were_sealed() {
    let dir = tempfile::tempdir().unwrap();
    let vault = vault_in(dir.path(), 1);
    let sealed = vault.seal_value(Space::Health, "profile:a", MARKER);
    assert!(!contains(&sealed, MARKER));
    assert_eq!(
        vault
            .open_value(Space::Health, "profile:a", &sealed)
            .unwrap(),
        MARKER
    );
    // Moved to another person's key, or another space: refused.
    assert!(
        vault
            .open_value(Space::Health, "profile:b", &sealed)
            .is_err()
    );
    assert!(vault.open_value(Space::Chat, "profile:a", &sealed).is_err());
    let mut flipped = sealed.clone();
    flipped[30] ^= 1;
    assert!(
        vault
            .open_value(Space::Health, "profile:a", &flipped)
            .is_err()
    );
    let other = vault_in(dir.path(), 2);
    assert!(
        other
            .open_value(Space::Health, "profile:a", &sealed)
            .is_err()
    );
}

#[test]
fn typed_values_round_trip_through_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let vault = vault_in(dir.path(), 1);
    let store = MemoryStore::new();
    let value = vec!["penicillin".to_owned(), "latex".to_owned()];
    vault.put(&store, Space::Health, "k", &value).unwrap();
    let raw = store.get(Space::Health, "k").unwrap().unwrap();
    assert!(!contains(&raw, b"penicillin"));
    let back: Option<Vec<String>> = vault.get(&store, Space::Health, "allergies", "k").unwrap();
    assert_eq!(back, Some(value));
    let none: Option<Vec<String>> = vault.get(&store, Space::Health, "x", "nope").unwrap();
    assert_eq!(none, None);
}

#[test]
fn the_check_value_detects_another_key() {
    let dir = tempfile::tempdir().unwrap();
    let store = MemoryStore::new();
    assert!(!Vault::store_has_health_data(&store).unwrap());
    vault_in(dir.path(), 1).check_key(&store).unwrap();
    assert!(Vault::store_has_health_data(&store).unwrap());
    vault_in(dir.path(), 1).check_key(&store).unwrap();
    let err = vault_in(dir.path(), 2).check_key(&store).unwrap_err();
    assert!(matches!(err, VaultError::WrongKey), "{err}");
}

#[test]
fn blinded_keys_hide_the_value() {
    let dir = tempfile::tempdir().unwrap();
    let vault = vault_in(dir.path(), 1);
    let b = vault.blind("hid", "91000123456788");
    assert_eq!(b, vault.blind("hid", "91000123456788"));
    assert_eq!(b.len(), 32);
    assert!(!b.contains("91000"));
    assert_ne!(b, vault.blind("addr", "91000123456788"));
    assert_ne!(b, vault_in(dir.path(), 2).blind("hid", "91000123456788"));
}

#[tokio::test]
async fn record_bytes_on_disk_hold_no_plaintext() {
    let dir = tempfile::tempdir().unwrap();
    let vault = vault_in(dir.path(), 1);
    let id = ulid::Ulid::new().to_string();
    let plain = report(3 * SEGMENT + 123);
    let stored = vault.put_record(&id, &plain).await.unwrap();
    assert_eq!(stored.size, plain.len() as u64);
    assert_eq!(stored.sha256, hex::encode(Sha256::digest(&plain)));
    for file in files_under(dir.path()) {
        let bytes = std::fs::read(&file).unwrap();
        assert!(!contains(&bytes, &MARKER[..16]), "{}", file.display());
    }
    let on_disk = std::fs::metadata(record_file(dir.path(), &id))
        .unwrap()
        .len();
    assert_eq!(on_disk, (HEADER_LEN + plain.len() + 4 * TAG) as u64);
    assert_eq!(vault.read_record(&id).await.unwrap(), plain);
    assert_eq!(vault.record_size(&id).await.unwrap(), plain.len() as u64);
    // The same bytes under another records key are unreadable.
    assert!(vault_in(dir.path(), 2).read_record(&id).await.is_err());
}

#[tokio::test]
async fn altered_files_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let vault = vault_in(dir.path(), 1);
    let id = ulid::Ulid::new().to_string();
    let plain = report(3 * SEGMENT + 10);
    vault.put_record(&id, &plain).await.unwrap();
    let path = record_file(dir.path(), &id);
    let good = std::fs::read(&path).unwrap();
    let seg = SEGMENT + TAG;

    let mut flipped = good.clone();
    flipped[HEADER_LEN + seg + 100] ^= 0x20;
    std::fs::write(&path, &flipped).unwrap();
    let err = vault.read_record(&id).await.unwrap_err().to_string();
    assert!(err.contains("segment 1 fails authentication"), "{err}");

    std::fs::write(&path, &good[..HEADER_LEN + 2 * seg]).unwrap();
    assert!(
        vault.read_record(&id).await.is_err(),
        "cut at a segment boundary"
    );
    std::fs::write(&path, &good[..good.len() - 3]).unwrap();
    assert!(
        vault.read_record(&id).await.is_err(),
        "cut inside the last segment"
    );

    let mut swapped = good[..HEADER_LEN].to_vec();
    swapped.extend_from_slice(&good[HEADER_LEN + seg..HEADER_LEN + 2 * seg]);
    swapped.extend_from_slice(&good[HEADER_LEN..HEADER_LEN + seg]);
    swapped.extend_from_slice(&good[HEADER_LEN + 2 * seg..]);
    std::fs::write(&path, &swapped).unwrap();
    assert!(vault.read_record(&id).await.is_err(), "segments swapped");
    assert!(vault.read_range(&id, 0, 10).await.is_err());

    // Another record's file under this record's name.
    let other = ulid::Ulid::new().to_string();
    vault.put_record(&other, &plain).await.unwrap();
    std::fs::copy(record_file(dir.path(), &other), &path).unwrap();
    assert!(
        vault.read_record(&id).await.is_err(),
        "file moved between records"
    );

    std::fs::write(&path, &good).unwrap();
    assert_eq!(vault.read_record(&id).await.unwrap(), plain);
}

#[tokio::test]
async fn ranges_decrypt_only_what_they_cover() {
    let dir = tempfile::tempdir().unwrap();
    let vault = vault_in(dir.path(), 1);
    let id = ulid::Ulid::new().to_string();
    let plain: Vec<u8> = (0..(2 * SEGMENT + 777))
        .map(|i| (i * 7 % 256) as u8)
        .collect();
    vault.put_record(&id, &plain).await.unwrap();
    let n = plain.len() as u64;
    for (start, end) in [
        (0, 10),
        (SEGMENT as u64 - 5, SEGMENT as u64 + 5),
        (n - 3, n + 100),
        (5, n),
    ] {
        let got = vault.read_range(&id, start, end).await.unwrap();
        assert_eq!(
            got,
            plain[start as usize..end.min(n) as usize],
            "{start}..{end}"
        );
    }
    assert!(vault.read_range(&id, n, n + 5).await.unwrap().is_empty());
    // Cutting the file at a segment boundary is caught by ranges too.
    let path = record_file(dir.path(), &id);
    let good = std::fs::read(&path).unwrap();
    std::fs::write(&path, &good[..HEADER_LEN + SEGMENT + TAG]).unwrap();
    assert!(vault.read_range(&id, 0, 10).await.is_err());
}

#[tokio::test]
async fn chunked_uploads_survive_a_restart_and_join() {
    let dir = tempfile::tempdir().unwrap();
    let id = ulid::Ulid::new().to_string();
    let plain = report(2 * CHUNK + 1000);
    let sha = hex::encode(Sha256::digest(&plain));
    let header = Header::random();
    let chunks: Vec<&[u8]> = plain.chunks(CHUNK).collect();
    {
        let vault = vault_in(dir.path(), 1);
        vault
            .put_part(&id, &header, 2, chunks[2], true)
            .await
            .unwrap();
        vault
            .put_part(&id, &header, 0, chunks[0], false)
            .await
            .unwrap();
        let short = vault
            .put_part(&id, &header, 1, &chunks[1][..10], false)
            .await;
        assert!(short.is_err(), "a middle chunk must be whole");
    }
    // A new vault over the same folder and key: as after a restart.
    let vault = vault_in(dir.path(), 1);
    assert_eq!(vault.parts(&id).await.unwrap(), vec![0, 2]);
    vault
        .put_part(&id, &header, 1, chunks[1], false)
        .await
        .unwrap();
    vault
        .put_part(&id, &header, 1, chunks[1], false)
        .await
        .unwrap();
    for file in files_under(dir.path()) {
        assert!(!contains(&std::fs::read(&file).unwrap(), &MARKER[..16]));
    }
    let stored = vault.join_parts(&id, &header, 3, &sha).await.unwrap();
    assert_eq!(stored.size, plain.len() as u64);
    assert!(vault.parts(&id).await.unwrap().is_empty());
    assert_eq!(vault.read_record(&id).await.unwrap(), plain);
    vault.delete_record(&id).await.unwrap();
    assert!(matches!(
        vault.read_record(&id).await,
        Err(VaultError::NotFound { .. })
    ));
}

#[tokio::test]
async fn a_join_with_the_wrong_digest_keeps_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let vault = vault_in(dir.path(), 1);
    let id = ulid::Ulid::new().to_string();
    let header = Header::random();
    vault
        .put_part(&id, &header, 0, b"short report", true)
        .await
        .unwrap();
    let err = vault.join_parts(&id, &header, 1, &"0".repeat(64)).await;
    assert!(matches!(err, Err(VaultError::Record { .. })));
    assert!(vault.parts(&id).await.unwrap().is_empty());
    assert!(vault.read_record(&id).await.is_err());
    let bad_id = vault.put_record("../../etc/passwd", b"x").await;
    assert!(matches!(bad_id, Err(VaultError::RecordId { .. })));
}

#[test]
fn opening_at_start_makes_the_key_once_and_then_insists_on_it() {
    let dir = tempfile::tempdir().unwrap();
    let key_file = dir.path().join("records.key");
    let records = dir.path().join("data").join("records");
    let store = MemoryStore::new();
    open(&key_file, &records, &store).unwrap();
    assert!(key_file.exists() && records.is_dir());
    open(&key_file, &records, &store).unwrap();
    // The key file lost while health data exists: refused, not made anew.
    std::fs::remove_file(&key_file).unwrap();
    let err = open(&key_file, &records, &store).unwrap_err().to_string();
    assert!(
        err.contains("restore records.key from your backup"),
        "{err}"
    );
    assert!(!key_file.exists());
    // Another key: refused.
    RecordsKey::load(&key_file, true).unwrap();
    let err = open(&key_file, &records, &store).unwrap_err().to_string();
    assert!(err.contains("not the key"), "{err}");
}
