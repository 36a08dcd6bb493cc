//! The directory index in one file, so a start reads 45 bytes per listing from one file
//! instead of decoding every listing in the store.
//!
//! Layout (all integers little-endian):
//!
//! ```text
//! magic      8 bytes  "CMDIRSN3"
//! store_id   u64      the store it was taken from (a random id kept in its settings)
//! seq        u64      the store's log position when it was taken
//! count      u64
//! count ×    id u128 (the listing's ULID), lat f64, lon f64, kind u8,
//!            specialties u64, flags u32                                   (45 bytes)
//! named      u64      rows with service names, then for each:
//!            row u32 (index among the rows above), names u16,
//!            names × (length u16, UTF-8 bytes)          (lower-case service names)
//! crc32      u32      of everything before it
//! ```
//!
//! A snapshot of an older layout (magic `CMDIRSN2`, without service names) is not used:
//! the index is rebuilt from the listings once.
//!
//! The file is written to a temporary name, synced and renamed into place, so it is always
//! a whole snapshot or none. How it is used: [`super::search::Directory::load`].

use std::io::{BufWriter, Write};
use std::path::Path;

use super::geo_index::GeoEntry;

const MAGIC: &[u8; 8] = b"CMDIRSN3";
const ENTRY_BYTES: usize = 16 + 8 + 8 + 1 + 8 + 4;
const HEADER_BYTES: usize = 8 + 8 + 8 + 8;

/// One indexed listing: its id and its entry (the slot is assigned again on load).
pub type Row = (u128, GeoEntry);

/// The service names of one row: its index among the rows, and the names.
pub type Named = (u32, Vec<String>);

/// A snapshot as read back.
#[derive(Debug, PartialEq)]
pub struct Snapshot {
    pub store_id: u64,
    pub seq: u64,
    /// Slots are 0.. in file order.
    pub rows: Vec<Row>,
    /// Service names of the rows that have any.
    pub named: Vec<Named>,
}

/// Writes `rows` and their service names `named`, taken from store `store_id` at log
/// position `seq`, to `path` atomically.
pub fn write(
    path: &Path,
    store_id: u64,
    seq: u64,
    rows: &[Row],
    named: &[Named],
) -> std::io::Result<()> {
    let tmp = path.with_extension("tmp");
    let file = std::fs::File::create(&tmp)?;
    let mut out = BufWriter::with_capacity(1 << 20, file);
    let mut crc = crc32fast::Hasher::new();
    let mut put = |out: &mut BufWriter<std::fs::File>, bytes: &[u8]| {
        crc.update(bytes);
        out.write_all(bytes)
    };
    put(&mut out, MAGIC)?;
    put(&mut out, &store_id.to_le_bytes())?;
    put(&mut out, &seq.to_le_bytes())?;
    put(&mut out, &(rows.len() as u64).to_le_bytes())?;
    let mut entry = [0u8; ENTRY_BYTES];
    for (id, e) in rows {
        entry[0..16].copy_from_slice(&id.to_le_bytes());
        entry[16..24].copy_from_slice(&e.lat.to_le_bytes());
        entry[24..32].copy_from_slice(&e.lon.to_le_bytes());
        entry[32] = e.kind;
        entry[33..41].copy_from_slice(&e.specialties.to_le_bytes());
        entry[41..45].copy_from_slice(&e.flags.to_le_bytes());
        put(&mut out, &entry)?;
    }
    put(&mut out, &(named.len() as u64).to_le_bytes())?;
    for (row, names) in named {
        put(&mut out, &row.to_le_bytes())?;
        let names = &names[..names.len().min(usize::from(u16::MAX))];
        put(&mut out, &(names.len() as u16).to_le_bytes())?;
        for name in names {
            let bytes = &name.as_bytes()[..name.len().min(usize::from(u16::MAX))];
            put(&mut out, &(bytes.len() as u16).to_le_bytes())?;
            put(&mut out, bytes)?;
        }
    }
    let sum = crc.finalize();
    out.write_all(&sum.to_le_bytes())?;
    let file = out.into_inner().map_err(|e| e.into_error())?;
    file.sync_all()?;
    std::fs::rename(&tmp, path)?;
    if let Some(dir) = path.parent()
        && let Ok(dir) = std::fs::File::open(dir)
    {
        dir.sync_all()?;
    }
    Ok(())
}

/// Why a snapshot was not used.
#[derive(Debug, PartialEq, thiserror::Error)]
pub enum Unusable {
    #[error("no snapshot file")]
    Missing,
    #[error("cannot read the snapshot: {0}")]
    Io(String),
    #[error("not a directory snapshot (bad magic)")]
    Magic,
    #[error("the snapshot was taken from another store")]
    OtherStore,
    #[error("the snapshot is ahead of the store (log position {seq}, the store's is {last})")]
    Ahead { seq: u64, last: u64 },
    #[error("snapshot is {len} bytes, its header promises {count} entries")]
    Length { len: usize, count: u64 },
    #[error("snapshot checksum does not match")]
    Checksum,
    #[error("the snapshot's service names are malformed")]
    Names,
}

/// Reads the snapshot at `path`, checking its form and checksum (not where it came from).
pub fn read(path: &Path) -> Result<Snapshot, Unusable> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(Unusable::Missing),
        Err(e) => return Err(Unusable::Io(e.to_string())),
    };
    let header = bytes.get(..HEADER_BYTES).ok_or(Unusable::Magic)?;
    if &header[..8] != MAGIC {
        return Err(Unusable::Magic);
    }
    let u64_at = |at: usize| u64::from_le_bytes(header[at..at + 8].try_into().unwrap_or_default());
    let (store_id, seq, count) = (u64_at(8), u64_at(16), u64_at(24));
    let rows_end = usize::try_from(count)
        .ok()
        .and_then(|n| n.checked_mul(ENTRY_BYTES))
        .and_then(|b| b.checked_add(HEADER_BYTES))
        .filter(|end| end.checked_add(8 + 4).is_some_and(|min| min <= bytes.len()))
        .ok_or(Unusable::Length {
            len: bytes.len(),
            count,
        })?;
    let (data, sum) = bytes.split_at(bytes.len() - 4);
    if crc32fast::hash(data).to_le_bytes() != sum {
        return Err(Unusable::Checksum);
    }
    let named = read_named(&data[rows_end..]).ok_or(Unusable::Names)?;
    let rows = (0u32..)
        .zip(data[HEADER_BYTES..rows_end].chunks_exact(ENTRY_BYTES))
        .map(|(slot, c)| {
            let f64_at =
                |at: usize| f64::from_le_bytes(c[at..at + 8].try_into().unwrap_or_default());
            (
                u128::from_le_bytes(c[0..16].try_into().unwrap_or_default()),
                GeoEntry {
                    slot,
                    lat: f64_at(16),
                    lon: f64_at(24),
                    kind: c[32],
                    specialties: u64::from_le_bytes(c[33..41].try_into().unwrap_or_default()),
                    flags: u32::from_le_bytes(c[41..45].try_into().unwrap_or_default()),
                },
            )
        })
        .collect();
    Ok(Snapshot {
        store_id,
        seq,
        rows,
        named,
    })
}

/// The service-name section, which must fill `bytes` exactly.
fn read_named(mut bytes: &[u8]) -> Option<Vec<Named>> {
    fn take<'a>(bytes: &mut &'a [u8], n: usize) -> Option<&'a [u8]> {
        let (head, tail) = bytes.split_at_checked(n)?;
        *bytes = tail;
        Some(head)
    }
    let u16_of = |b: &[u8]| usize::from(u16::from_le_bytes([b[0], b[1]]));
    let count = u64::from_le_bytes(take(&mut bytes, 8)?.try_into().ok()?);
    let mut named = Vec::new();
    for _ in 0..count {
        let row = u32::from_le_bytes(take(&mut bytes, 4)?.try_into().ok()?);
        let n = u16_of(take(&mut bytes, 2)?);
        let mut names = Vec::with_capacity(n);
        for _ in 0..n {
            let len = u16_of(take(&mut bytes, 2)?);
            names.push(String::from_utf8(take(&mut bytes, len)?.to_vec()).ok()?);
        }
        named.push((row, names));
    }
    bytes.is_empty().then_some(named)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows() -> Vec<Row> {
        (0u32..100)
            .map(|i| {
                let e = GeoEntry {
                    slot: i,
                    lat: -45.0 + f64::from(i),
                    lon: 179.5 - f64::from(i) * 0.25,
                    kind: (i % 7) as u8,
                    specialties: u64::from(i) << 3,
                    flags: i * 5,
                };
                (u128::from(i) * 0x1_0000_0001, e)
            })
            .collect()
    }

    #[test]
    fn snapshot_round_trips_and_refuses_anything_else() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("directory.snapshot");
        assert_eq!(read(&path), Err(Unusable::Missing));
        let named = vec![
            (3, vec!["x-ray".to_owned(), "ecg".to_owned()]),
            (9, Vec::new()),
        ];
        write(&path, 7, 1234, &rows(), &named).expect("write");
        let back = read(&path).expect("read");
        assert_eq!((back.store_id, back.seq), (7, 1234));
        assert_eq!(back.rows, rows());
        assert_eq!(back.named, named);

        let mut bytes = std::fs::read(&path).expect("bytes");
        // A names section with a byte too many, under a right checksum.
        let mut extra = bytes[..bytes.len() - 4].to_vec();
        extra.push(0);
        let sum = crc32fast::hash(&extra);
        extra.extend_from_slice(&sum.to_le_bytes());
        std::fs::write(&path, &extra).expect("extra");
        assert_eq!(read(&path), Err(Unusable::Names));
        bytes[HEADER_BYTES + 20] ^= 1;
        std::fs::write(&path, &bytes).expect("flip");
        assert_eq!(read(&path), Err(Unusable::Checksum));
        bytes.truncate(HEADER_BYTES + 50);
        std::fs::write(&path, &bytes).expect("cut");
        assert!(matches!(read(&path), Err(Unusable::Length { .. })));
        std::fs::write(&path, b"hello").expect("junk");
        assert_eq!(read(&path), Err(Unusable::Magic));
    }
}
