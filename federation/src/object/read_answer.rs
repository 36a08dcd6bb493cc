//! Read answers: the home node's answer to a [`super::Read`], signed by the home node and
//! sealed to the reading node with the request's id in its associated data, so an answer
//! cannot be passed off as the answer to another read (docs/protocol.md §9.4).

use serde::{Deserialize, Serialize};

use super::{Audience, Meta, ObjectKind, check_sealed, check_origin};
use crate::error::SchemaError;
use crate::health_seal::{MAX_ANSWER_SEALED, Place};

/// An answer to a read, never stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadAnswer {
    pub meta: Meta,
    /// The reading node.
    pub addressee: String,
    /// [`AnswerContent`], sealed at [`ReadAnswer::place`].
    #[serde(with = "serde_bytes")]
    pub sealed: Vec<u8>,
}

/// A record's description as a read lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordItem {
    pub id: String,
    #[serde(rename = "type")]
    pub record_type: String,
    pub title: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    pub facility: RecordFacility,
    pub content_type: String,
    pub size: u64,
    pub sha256: String,
    /// Unix ms.
    pub uploaded_at: i64,
}

/// The facility that uploaded a record, and its node.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordFacility {
    pub id: String,
    pub name: String,
    pub node: String,
}

/// What the home node answers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnswerContent {
    /// The records the grant covers.
    Records { records: Vec<RecordItem> },
    /// Bytes `offset..offset + bytes.len()` of a record of `size` bytes.
    Content {
        content_type: String,
        size: u64,
        offset: u64,
        #[serde(with = "serde_bytes")]
        bytes: Vec<u8>,
    },
    /// The read was refused; `check` names the consent check that failed.
    Refused { check: String, message: String },
}

impl ReadAnswer {
    /// Where its sealed content belongs: `extra` is the read's id.
    pub fn place(&self, read_id: &str) -> Place {
        Place::with_extra(
            super::Kind::ReadAnswer,
            &self.meta.id,
            &self.addressee,
            read_id.to_owned(),
        )
    }
}

directed_kind!(ReadAnswer, parent(_o) => None, validate(o) => {
    check_sealed(&o.sealed, MAX_ANSWER_SEALED)
});
