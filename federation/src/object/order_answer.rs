//! Order answers: the pharmacy's node says what it has, the price and when to come, then
//! that the order is ready and collected, or cancelled (docs/protocol.md §11.3). Directed
//! to the order's node and sealed to it; one object per order, each change a new version.
//! Only the node the order was sent to answers it.

use serde::{Deserialize, Serialize};

use super::{Audience, Kind, Meta, ObjectKind, check_origin, check_sealed, check_ulid};
use crate::error::SchemaError;
use crate::health_seal::MAX_SMALL_SEALED;

/// An answer to an order, sealed to the order's node.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderAnswer {
    pub meta: Meta,
    /// The order's node.
    pub addressee: String,
    /// The order answered.
    pub order_id: String,
    /// [`OrderAnswerContent`], sealed at [`OrderAnswer::place`].
    #[serde(with = "serde_bytes")]
    pub sealed: Vec<u8>,
}

/// Where an order stands. Answers never carry `requested`: that is the order's state until
/// the pharmacy answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    /// Sent, not answered yet.
    Requested,
    /// The pharmacy said what it has, the price and the pickup time.
    Quoted,
    /// The patient accepted the quote; the pharmacy prepares it.
    Confirmed,
    /// Waiting at the counter.
    Ready,
    Collected,
    Cancelled,
}

impl OrderStatus {
    /// Every status.
    pub const ALL: [OrderStatus; 6] = [
        OrderStatus::Requested,
        OrderStatus::Quoted,
        OrderStatus::Confirmed,
        OrderStatus::Ready,
        OrderStatus::Collected,
        OrderStatus::Cancelled,
    ];

    /// The wire spelling, e.g. `quoted`.
    pub fn as_str(self) -> &'static str {
        match self {
            OrderStatus::Requested => "requested",
            OrderStatus::Quoted => "quoted",
            OrderStatus::Confirmed => "confirmed",
            OrderStatus::Ready => "ready",
            OrderStatus::Collected => "collected",
            OrderStatus::Cancelled => "cancelled",
        }
    }
}

/// One line of a quote.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuotedItem {
    pub name: String,
    /// As asked.
    pub quantity: u32,
    /// How many the pharmacy has for this order (0 to `quantity`).
    pub available: u32,
    /// Price of one, in minor units.
    pub unit_price_minor: i64,
}

/// The answer, as the order's node opens it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderAnswerContent {
    /// The order version this answers.
    pub order_version: u64,
    pub status: OrderStatus,
    pub items: Vec<QuotedItem>,
    /// Sum of available × unit price, minor units.
    pub total_minor: i64,
    /// ISO 4217 code.
    pub currency: String,
    /// When the order can be collected, unix ms.
    pub pickup_at: Option<i64>,
    /// Words from the pharmacy (a substitute offered, why it cancelled).
    pub message: String,
}

sealed_place!(OrderAnswer);

directed_kind!(OrderAnswer, parent(o) => Some(&o.order_id), validate(o) => {
    check_ulid("order_id", &o.order_id)?;
    check_sealed(&o.sealed, MAX_SMALL_SEALED)
});
