//! Health ID numbers and health addresses (docs/health.md §1).
//!
//! A health ID is 14 digits shown `XX-XXXX-XXXX-XXXX`: a 5-digit **node prefix** (10000 to
//! 99999, announced by the home node so that any node can route by it), an 8-digit random
//! **serial**, and a **check digit** computed with the Damm algorithm, which catches every
//! single mistyped digit and every swap of two neighbouring digits. A **health address** is
//! `handle@host`, the host being the home node's public host.

use std::fmt;
use std::str::FromStr;

use rand::Rng;

/// Digits in a health ID, check digit included.
pub const DIGITS: usize = 14;
/// Digits of the node prefix.
pub const PREFIX_DIGITS: usize = 5;
/// Digits of the serial (between the prefix and the check digit).
pub const SERIAL_DIGITS: usize = 8;
/// The smallest and largest node prefix (no leading zero, so spreadsheets keep the number).
pub const PREFIX_RANGE: std::ops::RangeInclusive<u32> = 10_000..=99_999;

/// Damm's totally anti-symmetric quasigroup of order 10 (H. M. Damm, 2004): every row and
/// column is a permutation, the diagonal is zero, and `T[T[c][x]][y] == T[T[c][y]][x]`
/// only when `x == y`. The unit tests check these three properties.
const DAMM: [[u8; 10]; 10] = [
    [0, 3, 1, 7, 5, 9, 8, 6, 4, 2],
    [7, 0, 9, 2, 1, 5, 4, 8, 6, 3],
    [4, 2, 0, 6, 8, 7, 1, 3, 5, 9],
    [1, 7, 5, 0, 9, 8, 3, 4, 2, 6],
    [6, 1, 2, 3, 0, 4, 5, 9, 7, 8],
    [3, 6, 7, 4, 2, 0, 9, 5, 8, 1],
    [5, 8, 6, 9, 7, 2, 0, 1, 3, 4],
    [8, 9, 4, 5, 3, 6, 2, 0, 1, 7],
    [9, 4, 3, 8, 6, 1, 7, 2, 0, 5],
    [2, 5, 8, 1, 4, 3, 6, 7, 9, 0],
];

/// The Damm interim digit after reading `digits` (each 0 to 9). Appending it as a check
/// digit makes the interim of the whole sequence 0.
pub fn damm(digits: &[u8]) -> u8 {
    digits
        .iter()
        .fold(0u8, |interim, &d| DAMM[interim as usize][d as usize])
}

/// Why typed text is not a health ID. Messages speak to a person at a counter.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum HidError {
    #[error(
        "`{found}` is not allowed in a health ID: use digits, with dashes or spaces if you like"
    )]
    NotADigit { found: char },
    #[error("{count} digits: one is missing (a health ID has 14)")]
    OneMissing { count: usize },
    #[error("{count} digits: one too many (a health ID has 14)")]
    OneExtra { count: usize },
    #[error("{count} digits: a health ID has 14")]
    Length { count: usize },
    #[error("the check digit does not match: a digit is mistyped")]
    CheckDigit,
    #[error("a health ID never starts with 0")]
    LeadingZero,
}

/// A valid health ID. Its `Display` is `XX-XXXX-XXXX-XXXX`; `digits()` gives the 14 digits.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct HealthId([u8; DIGITS]);

impl HealthId {
    /// Parses a number as typed: digits with any dashes and spaces, or none.
    pub fn parse(text: &str) -> Result<Self, HidError> {
        let mut digits = Vec::with_capacity(DIGITS);
        for c in text.trim().chars() {
            match c {
                '0'..='9' => digits.push(c as u8 - b'0'),
                '-' | ' ' | '\u{2010}'..='\u{2014}' => {}
                found => return Err(HidError::NotADigit { found }),
            }
        }
        let count = digits.len();
        let array: [u8; DIGITS] = match count {
            DIGITS => digits.try_into().map_err(|_| HidError::Length { count })?,
            13 => return Err(HidError::OneMissing { count }),
            15 => return Err(HidError::OneExtra { count }),
            _ => return Err(HidError::Length { count }),
        };
        if array[0] == 0 {
            return Err(HidError::LeadingZero);
        }
        if damm(&array) != 0 {
            return Err(HidError::CheckDigit);
        }
        Ok(HealthId(array))
    }

    /// The ID with this prefix and serial, check digit added.
    pub fn from_parts(prefix: u32, serial: u32) -> Option<Self> {
        if !PREFIX_RANGE.contains(&prefix) || serial >= 100_000_000 {
            return None;
        }
        let text = format!("{prefix:05}{serial:08}");
        let mut array = [0u8; DIGITS];
        for (slot, b) in array.iter_mut().zip(text.bytes()) {
            *slot = b - b'0';
        }
        array[DIGITS - 1] = damm(&array[..DIGITS - 1]);
        Some(HealthId(array))
    }

    /// A fresh ID under `prefix` with a random serial. The caller checks it is unused.
    pub fn issue(prefix: u32, rng: &mut impl Rng) -> Option<Self> {
        Self::from_parts(prefix, rng.gen_range(0..100_000_000))
    }

    /// The node prefix: which node issued this ID.
    pub fn prefix(&self) -> u32 {
        self.0[..PREFIX_DIGITS]
            .iter()
            .fold(0, |n, &d| n * 10 + u32::from(d))
    }

    /// The 14 digits without separators (the form used in storage keys and URLs).
    pub fn digits(&self) -> String {
        self.0.iter().map(|d| char::from(b'0' + d)).collect()
    }
}

impl fmt::Display for HealthId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.digits();
        write!(f, "{}-{}-{}-{}", &d[..2], &d[2..6], &d[6..10], &d[10..])
    }
}

/// Health IDs are personal data: debug output shows only the node prefix.
impl fmt::Debug for HealthId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HealthId({:05}-…)", self.prefix())
    }
}

impl FromStr for HealthId {
    type Err = HidError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl serde::Serialize for HealthId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl<'de> serde::Deserialize<'de> for HealthId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        HealthId::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// Why text is not a health address.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AddressError {
    #[error("a health address looks like `name@node.example`: `@` is missing")]
    NoAt,
    #[error(
        "the name before `@` must be 3 to 32 letters a-z, digits, `.`, `_` or `-`, starting with a letter or digit"
    )]
    Handle,
    #[error("the node after `@` must be a host name, optionally with `:port`")]
    Host,
}

/// A health address `handle@host`, lowercase.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct HealthAddress {
    handle: String,
    host: String,
}

impl HealthAddress {
    /// Parses `handle@host` (case-insensitive; stored lowercase).
    pub fn parse(text: &str) -> Result<Self, AddressError> {
        let text = text.trim().to_lowercase();
        let (handle, host) = text.split_once('@').ok_or(AddressError::NoAt)?;
        Self::new(handle, host)
    }

    /// An address from its two halves, checked.
    pub fn new(handle: &str, host: &str) -> Result<Self, AddressError> {
        let handle = handle.to_lowercase();
        let host = host.to_lowercase();
        if !is_handle(&handle) {
            return Err(AddressError::Handle);
        }
        if !is_host(&host) {
            return Err(AddressError::Host);
        }
        Ok(Self { handle, host })
    }

    /// The part before `@`.
    pub fn handle(&self) -> &str {
        &self.handle
    }

    /// The home node's host (with `:port` when its public URL names one).
    pub fn host(&self) -> &str {
        &self.host
    }
}

/// The host part of a public URL, as health addresses use it: `https://Node.Example:8443/`
/// gives `node.example:8443`.
pub fn host_of_url(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let host = rest.split(['/', '?', '#']).next()?.to_lowercase();
    is_host(&host).then_some(host)
}

fn is_handle(handle: &str) -> bool {
    (3..=32).contains(&handle.len())
        && handle
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphanumeric())
        && handle
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
}

fn is_host(host: &str) -> bool {
    let (name, port) = match host.rsplit_once(':') {
        Some((name, port)) => (name, Some(port)),
        None => (host, None),
    };
    let name_ok = !name.is_empty()
        && name.len() <= 253
        && name.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        });
    name_ok && port.is_none_or(|p| p.parse::<u16>().is_ok_and(|p| p > 0))
}

impl fmt::Display for HealthAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}@{}", self.handle, self.host)
    }
}

/// Addresses name a person: debug output shows only the host.
impl fmt::Debug for HealthAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HealthAddress(…@{})", self.host)
    }
}

impl TryFrom<String> for HealthAddress {
    type Error = AddressError;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        Self::parse(&text)
    }
}

impl From<HealthAddress> for String {
    fn from(address: HealthAddress) -> String {
        address.to_string()
    }
}

#[cfg(test)]
mod tests;
