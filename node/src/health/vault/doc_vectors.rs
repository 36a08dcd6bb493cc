//! The test vectors printed in docs/health.md, read from the file itself and checked against
//! the code: the health ID check digit table (§1.2) and the numbers it refuses, the blinded
//! store key of a health ID, and the at-rest record format (§6). A change of either the doc
//! or the code fails here; docs/protocol.md's vectors (the health seal among them) are
//! checked the same way by `federation/tests/wire.rs`.

use super::stream::{Header, SegmentCipher};
use super::*;
use crate::health::hid::{HealthId, damm};

const HEALTH_MD: &str = include_str!("../../../../docs/health.md");

/// The hex value after `label =` on a doc line that starts with `label` (first word only;
/// a `hid:` before the hex is kept).
fn doc_value(label: &str) -> &'static str {
    let is_hex = |word: &&str| {
        let hex = word.trim_start_matches("hid:");
        !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit())
    };
    HEALTH_MD
        .lines()
        .filter_map(|line| line.strip_prefix(label))
        .filter_map(|rest| rest.trim_start().strip_prefix('='))
        .find_map(|value| value.split_whitespace().next().filter(is_hex))
        .unwrap_or_else(|| panic!("docs/health.md has no `{label} = ...` line"))
}

/// The digits of a text, in order.
fn digits_in(text: &str) -> Vec<u8> {
    text.bytes()
        .filter(u8::is_ascii_digit)
        .map(|b| b - b'0')
        .collect()
}

/// The interim digit after each payload digit.
fn interims(payload: &[u8]) -> Vec<u8> {
    (1..=payload.len()).map(|n| damm(&payload[..n])).collect()
}

/// Rows of the check digit table: payload cell, interims, check, shown.
fn table_rows() -> Vec<[&'static str; 4]> {
    let start = HEALTH_MD
        .find("| payload | interims | check | shown |")
        .expect("docs/health.md lists the check digit vectors");
    HEALTH_MD[start..]
        .lines()
        .skip(2)
        .take_while(|line| line.starts_with('|'))
        .map(|line| {
            let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
            cells.try_into().expect("four cells a row")
        })
        .collect()
}

#[test]
fn check_digit_table_of_docs_health_md() {
    let rows = table_rows();
    assert!(rows.len() >= 4, "the table lost rows: {rows:?}");
    for [payload, listed, check, shown] in rows {
        let listed = digits_in(listed);
        let check = digits_in(check);
        if let Some(parts) = payload.strip_prefix("prefix ") {
            let (prefix, serial) = parts.split_once(", serial ").expect("prefix P, serial S");
            let id = HealthId::from_parts(prefix.parse().unwrap(), serial.parse().unwrap())
                .expect("a valid prefix and serial");
            let payload = digits_in(&format!("{prefix}{serial}"));
            assert_eq!(interims(&payload), listed, "interims of {payload:?}");
            assert_eq!(
                [damm(&payload)].as_slice(),
                check,
                "check digit of {prefix} {serial}"
            );
            assert_eq!(format!("`{id}`"), shown, "shown form of {prefix} {serial}");
            assert_eq!(HealthId::parse(shown.trim_matches('`')), Ok(id));
        } else {
            let payload = digits_in(payload);
            assert_eq!(interims(&payload), listed, "interims of {payload:?}");
            assert_eq!([damm(&payload)].as_slice(), check);
        }
    }
}

#[test]
fn numbers_docs_health_md_says_are_refused() {
    let sentence = HEALTH_MD
        .lines()
        .find(|line| line.ends_with("are refused."))
        .expect("docs/health.md names numbers that are refused");
    let refused: Vec<&str> = sentence.split('`').skip(1).step_by(2).collect();
    assert_eq!(refused.len(), 2, "{sentence}");
    for number in refused {
        assert!(HealthId::parse(number).is_err(), "{number} is accepted");
    }
}

#[test]
fn blinded_key_of_docs_health_md() {
    let dir = tempfile::tempdir().unwrap();
    let vault = Vault::local(RecordsKey(Zeroizing::new([7; 32])), dir.path()).unwrap();
    let blinded = format!("hid:{}", vault.blind("hid", "42173000000011"));
    assert_eq!(blinded, doc_value("blinded key"));
}

#[test]
fn record_format_of_docs_health_md() {
    // A change of the at-rest format fails here: old records would no longer open.
    let dir = tempfile::tempdir().unwrap();
    let vault = Vault::local(RecordsKey(Zeroizing::new([7; 32])), dir.path()).unwrap();
    let header = Header { salt: [1u8; 24] };
    let id = "01JD3V5Q0000000000000000D1";
    let key = vault.record_key(id, &header);
    let sealed = SegmentCipher::new(&key, id, &header)
        .seal(0, b"hello", true)
        .unwrap();
    assert_eq!(hex::encode(*key), doc_value("record key"));
    assert_eq!(hex::encode(header.to_bytes()), doc_value("header"));
    assert_eq!(hex::encode(&sealed), doc_value("segment 0"));
}
