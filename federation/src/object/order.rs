//! Medicine orders: a patient's node sends a pharmacy's node a list of medicines, with a
//! prescription if one is needed (docs/protocol.md §11.3). Directed to the pharmacy's node
//! and sealed to it. Each step of the patient (confirm the pharmacy's quote, cancel) is a
//! new version; later versions leave the prescription out (the pharmacy keeps the first).

use serde::{Deserialize, Serialize};

use super::{Audience, Kind, Meta, ObjectKind, check_origin, check_sealed};
use crate::error::SchemaError;

/// Largest sealed field of an order: a prescription of up to [`MAX_PRESCRIPTION_BYTES`]
/// and the list.
pub const MAX_ORDER_SEALED: usize = 640 * 1024;
/// Largest prescription attached to an order.
pub const MAX_PRESCRIPTION_BYTES: usize = 512 * 1024;
/// Most lines in one order.
pub const MAX_ORDER_ITEMS: usize = 50;

/// An order, sealed to the pharmacy's node.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Order {
    pub meta: Meta,
    /// The pharmacy's node.
    pub addressee: String,
    /// [`OrderContent`], sealed at [`Order::place`].
    #[serde(with = "serde_bytes")]
    pub sealed: Vec<u8>,
}

/// What the patient does with this version.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderStep {
    /// Asks the pharmacy what it has, at what price, when.
    Place,
    /// Accepts the pharmacy's quote.
    Confirm,
    Cancel,
}

/// One line of an order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderItem {
    /// The medicine as the patient names it (brand or generic, strength).
    pub name: String,
    pub quantity: u32,
}

/// A prescription sent with an order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Prescription {
    /// `application/pdf`, `image/jpeg`, `image/png` or `text/plain`.
    pub content_type: String,
    #[serde(with = "serde_bytes")]
    pub bytes: Vec<u8>,
}

/// The order, as the pharmacy's node opens it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderContent {
    /// The pharmacy.
    pub facility_id: String,
    pub items: Vec<OrderItem>,
    /// The person the medicines are for, 14 digits, if they have a health ID.
    pub health_id: Option<String>,
    /// The person's name, for the counter.
    pub name: String,
    /// Handle of the member who ordered, on the patient's node.
    pub ordered_by: String,
    pub note: String,
    /// Only in the first version.
    pub prescription: Option<Prescription>,
    pub step: OrderStep,
}

sealed_place!(Order);

directed_kind!(Order, parent(_o) => None, validate(o) => {
    check_sealed(&o.sealed, MAX_ORDER_SEALED)
});
