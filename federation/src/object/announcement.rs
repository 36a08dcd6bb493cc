//! Announcements: a node tells the federation which health ID prefixes it issues, so that
//! any node can route a number to its home without asking around (docs/protocol.md §9.1).
//! Public; it holds no personal data.

use serde::{Deserialize, Serialize};

use super::{Audience, Meta, ObjectKind, field};
use crate::error::SchemaError;

/// The smallest and largest health ID prefix.
pub const PREFIXES: std::ops::RangeInclusive<u32> = 10_000..=99_999;
/// Most prefixes one node announces.
pub const MAX_PREFIXES: usize = 4;

/// The health ID prefixes a node issues. Each new version replaces the last.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Announcement {
    pub meta: Meta,
    /// The node's name, as in its identity document.
    pub name: String,
    /// Five-digit prefixes (10000 to 99999) of the health IDs this node issues.
    pub hid_prefixes: Vec<u32>,
}

public_kind!(Announcement, parent(_) => None, validate(a) => {
    if a.name.trim().is_empty() || a.name.chars().count() > 200 {
        return Err(field("name", "must be 1 to 200 characters"));
    }
    let count = a.hid_prefixes.len();
    if count == 0 || count > MAX_PREFIXES {
        return Err(field(
            "hid_prefixes",
            format!("must hold 1 to {MAX_PREFIXES} prefixes"),
        ));
    }
    if let Some(bad) = a.hid_prefixes.iter().find(|p| !PREFIXES.contains(p)) {
        return Err(field(
            "hid_prefixes",
            format!("{bad} is not a prefix from 10000 to 99999"),
        ));
    }
    let mut sorted = a.hid_prefixes.clone();
    sorted.sort_unstable();
    sorted.dedup();
    if sorted.len() != count {
        return Err(field("hid_prefixes", "names a prefix twice"));
    }
    Ok(())
});
