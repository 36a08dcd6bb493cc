//! The at-rest format of record bytes (docs/health.md §6): a header, then segments of
//! 64 KiB plaintext each sealed with XChaCha20-Poly1305 under the record's own key. A
//! segment's nonce holds its index and whether it is the last one, and its associated data
//! holds the record id and the header, so segments cannot be reordered, dropped, appended,
//! moved to another record, or kept under an edited header.

use caremesh_federation::xaead::XAead;
use rand::RngCore;

/// Plaintext bytes per segment (the last one may hold fewer).
pub const SEGMENT: usize = 64 * 1024;
/// Authentication tag bytes added to each segment.
pub const TAG: usize = 16;
/// Bytes of the header.
pub const HEADER_LEN: usize = 6 + 24 + 4;
const MAGIC: &[u8; 6] = b"CMREC\x01";

/// Why record bytes could not be sealed or opened.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StreamError {
    #[error("record header is not a caremesh record header ({problem})")]
    Header { problem: &'static str },
    #[error("segment {index} fails authentication: the file was altered, truncated or reordered")]
    Segment { index: u64 },
    #[error("record file is truncated: {len} bytes cannot end in a whole segment")]
    Truncated { len: u64 },
    #[error("a part that is not the last must hold whole segments; this one holds {len} bytes")]
    PartSize { len: usize },
    #[error("the bytes do not match the SHA-256 the uploader sent")]
    Digest,
}

/// The header of one record: its random salt (which selects the record key) and segment size.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Header {
    pub salt: [u8; 24],
}

impl Header {
    /// A header with a fresh random salt.
    pub fn random() -> Self {
        let mut salt = [0u8; 24];
        rand::rngs::OsRng.fill_bytes(&mut salt);
        Header { salt }
    }

    /// The header's bytes, as written at the start of the record object.
    pub fn to_bytes(&self) -> [u8; HEADER_LEN] {
        let mut out = [0u8; HEADER_LEN];
        out[..6].copy_from_slice(MAGIC);
        out[6..30].copy_from_slice(&self.salt);
        out[30..].copy_from_slice(&(SEGMENT as u32).to_be_bytes());
        out
    }

    /// Reads a header.
    pub fn parse(bytes: &[u8]) -> Result<Self, StreamError> {
        if bytes.len() < HEADER_LEN {
            return Err(StreamError::Header {
                problem: "too short",
            });
        }
        if &bytes[..6] != MAGIC {
            return Err(StreamError::Header {
                problem: "wrong magic or format",
            });
        }
        if bytes[30..HEADER_LEN] != (SEGMENT as u32).to_be_bytes() {
            return Err(StreamError::Header {
                problem: "unknown segment size",
            });
        }
        let mut salt = [0u8; 24];
        salt.copy_from_slice(&bytes[6..30]);
        Ok(Header { salt })
    }
}

/// Seals and opens the segments of one record.
pub struct SegmentCipher {
    /// Through the federation crate, so the cipher runs optimised in dev builds too.
    cipher: XAead,
    ad: Vec<u8>,
}

fn nonce(index: u64, last: bool) -> [u8; 24] {
    let mut n = [0u8; 24];
    n[..8].copy_from_slice(&index.to_be_bytes());
    n[8] = u8::from(last);
    n
}

impl SegmentCipher {
    /// The cipher of record `record_id` with this header, under the record key `key`.
    pub fn new(key: &[u8; 32], record_id: &str, header: &Header) -> Self {
        let mut ad = b"caremesh-record\0".to_vec();
        ad.extend_from_slice(record_id.as_bytes());
        ad.push(0);
        ad.extend_from_slice(&header.to_bytes());
        SegmentCipher {
            cipher: XAead::new(key),
            ad,
        }
    }

    fn seal_one(&self, index: u64, last: bool, plaintext: &[u8], out: &mut Vec<u8>) {
        self.cipher
            .seal_into(&nonce(index, last), &self.ad, plaintext, out);
    }

    /// Seals `plaintext` as segments `first`, `first + 1`, ... A part that is not `last` must
    /// hold whole segments; an empty last part is one empty segment.
    pub fn seal(&self, first: u64, plaintext: &[u8], last: bool) -> Result<Vec<u8>, StreamError> {
        if !last && (plaintext.is_empty() || !plaintext.len().is_multiple_of(SEGMENT)) {
            return Err(StreamError::PartSize {
                len: plaintext.len(),
            });
        }
        let count = plaintext.len().div_ceil(SEGMENT).max(1);
        let mut out = Vec::with_capacity(plaintext.len() + count * TAG);
        for (i, index) in (first..first + count as u64).enumerate() {
            let start = (i * SEGMENT).min(plaintext.len());
            let end = ((i + 1) * SEGMENT).min(plaintext.len());
            let is_last = last && i + 1 == count;
            self.seal_one(index, is_last, &plaintext[start..end], &mut out);
        }
        Ok(out)
    }

    /// Opens consecutive segments starting at `first`; `ends` says whether the bytes run to
    /// the end of the record (so that the final segment must carry the `last` flag).
    pub fn open(&self, first: u64, sealed: &[u8], ends: bool) -> Result<Vec<u8>, StreamError> {
        let mut out = Vec::with_capacity(sealed.len());
        let pieces: Vec<&[u8]> = sealed.chunks(SEGMENT + TAG).collect();
        for (i, piece) in pieces.iter().enumerate() {
            let index = first + i as u64;
            let last = ends && i + 1 == pieces.len();
            let plain = self
                .cipher
                .open(&nonce(index, last), &self.ad, piece)
                .map_err(|_| StreamError::Segment { index })?;
            out.extend_from_slice(&plain);
        }
        Ok(out)
    }
}

/// How many segments a record body (the bytes after the header) of `len` bytes holds.
pub fn segment_count(len: u64) -> Result<u64, StreamError> {
    let full = (SEGMENT + TAG) as u64;
    let rest = len % full;
    if len == 0 || (rest != 0 && rest < TAG as u64) {
        return Err(StreamError::Truncated { len });
    }
    Ok(len.div_ceil(full))
}

/// The plaintext length of a record body of `len` bytes.
pub fn plaintext_len(len: u64) -> Result<u64, StreamError> {
    Ok(len - segment_count(len)? * TAG as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cipher(id: &str, header: &Header) -> SegmentCipher {
        SegmentCipher::new(&[7u8; 32], id, header)
    }

    fn body(c: &SegmentCipher, plain: &[u8]) -> Vec<u8> {
        c.seal(0, plain, true).unwrap()
    }

    #[test]
    fn round_trips_at_every_boundary() {
        let h = Header::random();
        let c = cipher("01JD3V5Q0000000000000000R1", &h);
        for len in [
            0,
            1,
            SEGMENT - 1,
            SEGMENT,
            SEGMENT + 1,
            3 * SEGMENT,
            3 * SEGMENT + 5,
        ] {
            let plain: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
            let sealed = body(&c, &plain);
            assert_eq!(plaintext_len(sealed.len() as u64).unwrap(), len as u64);
            assert_eq!(c.open(0, &sealed, true).unwrap(), plain, "len {len}");
        }
        assert_eq!(Header::parse(&h.to_bytes()).unwrap(), h);
    }

    #[test]
    fn parts_sealed_apart_concatenate_into_the_record() {
        let h = Header::random();
        let c = cipher("R", &h);
        let plain: Vec<u8> = (0..(4 * SEGMENT + 100)).map(|i| i as u8).collect();
        let mut joined = c.seal(0, &plain[..2 * SEGMENT], false).unwrap();
        joined.extend(c.seal(2, &plain[2 * SEGMENT..], true).unwrap());
        assert_eq!(joined, body(&c, &plain));
        assert_eq!(
            c.seal(0, &plain[..100], false),
            Err(StreamError::PartSize { len: 100 })
        );
    }

    #[test]
    fn tampering_is_refused() {
        let h = Header::random();
        let c = cipher("R", &h);
        let plain = vec![42u8; 3 * SEGMENT + 10];
        let sealed = body(&c, &plain);
        let seg = SEGMENT + TAG;

        let mut flipped = sealed.clone();
        flipped[seg + 5] ^= 1;
        assert_eq!(
            c.open(0, &flipped, true),
            Err(StreamError::Segment { index: 1 })
        );

        let mut swapped = sealed[seg..2 * seg].to_vec();
        swapped.extend_from_slice(&sealed[..seg]);
        swapped.extend_from_slice(&sealed[2 * seg..]);
        assert!(c.open(0, &swapped, true).is_err());

        // Cut at a segment boundary: the new final segment lacks the `last` flag.
        let cut = &sealed[..2 * seg];
        assert_eq!(c.open(0, cut, true), Err(StreamError::Segment { index: 1 }));
        // Cut inside a tag.
        assert!(segment_count(3 * seg as u64 + 7).is_err());

        let mut extended = sealed.clone();
        extended.extend_from_slice(&sealed[..seg]);
        assert!(c.open(0, &extended, true).is_err());

        // Another record, or the same record under another header, opens nothing.
        assert!(cipher("R2", &h).open(0, &sealed, true).is_err());
        assert!(
            cipher("R", &Header::random())
                .open(0, &sealed, true)
                .is_err()
        );
    }

    #[test]
    fn bad_headers_are_named() {
        let mut bytes = Header::random().to_bytes();
        assert!(Header::parse(&bytes[..10]).is_err());
        bytes[0] = b'X';
        assert_eq!(
            Header::parse(&bytes),
            Err(StreamError::Header {
                problem: "wrong magic or format"
            })
        );
    }
}
