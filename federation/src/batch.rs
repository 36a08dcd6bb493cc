//! `POST /federation/v1/inbox` bodies and answers, and the pull page of
//! `GET /federation/v1/objects`.

use serde::{Deserialize, Serialize};

use crate::envelope::Envelope;

/// Inbox path on every node.
pub const INBOX_PATH: &str = "/federation/v1/inbox";
/// Pull path on every node.
pub const OBJECTS_PATH: &str = "/federation/v1/objects";

/// Most envelopes one inbox push may carry.
pub const MAX_BATCH_ENVELOPES: usize = 50;
/// Largest inbox body, in bytes.
pub const MAX_BATCH_BYTES: usize = 1 << 20;
/// Most envelopes one pull page may carry.
pub const MAX_PULL_LIMIT: usize = 500;

/// A push of envelopes from one peer. Retrying with the same `txn` is harmless.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Batch {
    /// Chosen by the sender, unique per sender (a ULID).
    pub txn: String,
    pub envelopes: Vec<Envelope>,
}

/// Which inbox check refused something. Checks run in this order, cheapest first.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Check {
    BodySize,
    Header,
    PeerPolicy,
    Clock,
    Replay,
    RateLimit,
    Signature,
    Decode,
    Schema,
    Ownership,
    VersionOrder,
    /// The origin's key could not be found (identity not reachable, unknown key id).
    UnknownKey,
    /// The node could not store the object (its own fault, not the sender's).
    Storage,
    /// A health object's sealed content does not open at this node.
    Open,
    /// A health object names a health ID this node did not issue, or erased.
    UnknownHealthId,
    /// A deposit or consent ask names no facility of the sending node.
    Facility,
    /// A chunk or receipt names no deposit this node knows, or does not fit it.
    Deposit,
    /// A consent or erasure answers no consent ask this node sent to that node.
    Ask,
}

impl Check {
    /// The snake_case name used in answers and logs.
    pub fn as_str(self) -> &'static str {
        match self {
            Check::BodySize => "body_size",
            Check::Header => "header",
            Check::PeerPolicy => "peer_policy",
            Check::Clock => "clock",
            Check::Replay => "replay",
            Check::RateLimit => "rate_limit",
            Check::Signature => "signature",
            Check::Decode => "decode",
            Check::Schema => "schema",
            Check::Ownership => "ownership",
            Check::VersionOrder => "version_order",
            Check::UnknownKey => "unknown_key",
            Check::Storage => "storage",
            Check::Open => "open",
            Check::UnknownHealthId => "unknown_health_id",
            Check::Facility => "facility",
            Check::Deposit => "deposit",
            Check::Ask => "ask",
        }
    }
}

impl std::fmt::Display for Check {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What happened to one envelope of a batch.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    /// Newly stored (and flushed to disk before this answer was sent).
    Stored,
    /// This version (or a newer one) was already here.
    Duplicate,
    /// Refused; nothing was stored.
    Rejected { check: Check, message: String },
    /// Kept but not stored yet, because the origin's key cannot be had now (the origin
    /// does not answer, or only a relay vouches for the key). The receiver retries it until
    /// it verifies or a day has passed; the sender need not send it again.
    Parked { message: String },
}

/// The inbox's answer: one outcome per envelope, in order.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchReply {
    pub txn: String,
    pub results: Vec<Outcome>,
}

/// One page of `GET /federation/v1/objects`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PullPage {
    pub envelopes: Vec<Envelope>,
    /// Pass as `after` to get the next page.
    pub next: u64,
    /// False when this page reached the end of the log.
    pub more: bool,
}
