//! Medicine orders as chat sees them (docs/api.md, "Medicine orders"): a patient (or a
//! guardian) sends a pharmacy of any node a list of medicines, with a prescription record
//! if they choose one; the pharmacy's staff quote what they have, the price and a pickup
//! time; the patient confirms or cancels; the staff mark the order ready, then collected,
//! or cancel it with a reason. Every call names the member who asks; the node decides
//! exactly as for its API.

use serde::{Deserialize, Serialize};

use super::{Account, PortResult};

/// One medicine asked for, as typed ("paracetamol 500mg", 10).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderLine {
    pub name: String,
    pub quantity: u32,
}

/// One line of the pharmacy's quote.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuotedLine {
    pub name: String,
    pub quantity: u32,
    /// How many the pharmacy has for this order.
    pub available: u32,
    /// Price of one, in major units (`2.50`).
    pub unit_price: String,
}

/// An order, as its patient sees it on their node or the pharmacy's staff on theirs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrderInfo {
    pub id: String,
    /// The wire status: `requested`, `quoted`, `confirmed`, `ready`, `collected`,
    /// `cancelled`.
    pub status: String,
    pub facility_id: String,
    /// Empty on the pharmacy's side (it is their own).
    pub facility_name: String,
    pub items: Vec<OrderLine>,
    pub quote: Vec<QuotedLine>,
    /// In major units (`120.00`).
    pub total: String,
    pub currency: String,
    /// RFC 3339 with the pharmacy's offset.
    pub pickup_at: Option<String>,
    /// The pharmacy's words: a note with the quote, or why it cancelled.
    pub message: String,
    /// Whom the order is for.
    pub name: String,
    pub prescription: bool,
    /// A step the patient sent that the pharmacy has not answered yet (`confirm`, `cancel`).
    pub pending: Option<String>,
    /// Today at the pharmacy, `YYYY-MM-DD` (a pickup typed "tomorrow 5pm" counts from it).
    pub today: String,
}

/// What a patient orders.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderDraft {
    /// A pharmacy of any node.
    pub facility_id: String,
    pub items: Vec<OrderLine>,
    /// The dependant's health ID; `None` for the member's own order.
    pub health_id: Option<String>,
    /// A record of type prescription of the person's; its bytes go to the pharmacy's node
    /// only, sealed, with the order.
    pub prescription: Option<RecordRef>,
}

/// One record of a health ID.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordRef {
    /// The health ID it belongs to, as [`super::HealthIdInfo::number`].
    pub health_id: String,
    pub record_id: String,
}

/// A step the patient (or a guardian) takes on their order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderAction {
    /// Accept the pharmacy's quote.
    Confirm,
    Cancel,
}

/// The pharmacy's quote, as staff gave it in chat.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuoteDraft {
    /// One `(available, price of one in major units)` per medicine ordered, in order.
    pub lines: Vec<(u32, f64)>,
    /// The pharmacy's local wall clock, `YYYY-MM-DDTHH:MM`.
    pub pickup: Option<String>,
}

/// What staff do to an order after the patient confirmed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CounterStep {
    Ready,
    Collected,
    /// Cancelled by the pharmacy; the reason is told to the patient.
    Cancel {
        reason: String,
    },
}

/// Medicine orders.
#[async_trait::async_trait]
pub trait Orders: Send + Sync {
    /// Sends the order; the pharmacy's node answers with a quote (a notice).
    async fn place_order(&self, by: &Account, draft: OrderDraft) -> PortResult<OrderInfo>;
    /// The orders made by or for the member, newest first.
    async fn my_orders(&self, by: &Account) -> PortResult<Vec<OrderInfo>>;
    /// One order: the member's own (or a dependant's), or one at their pharmacy's counter.
    async fn order(&self, by: &Account, id: &str) -> PortResult<OrderInfo>;
    /// Confirms the quote or cancels (the patient, a guardian).
    async fn order_action(
        &self,
        by: &Account,
        id: &str,
        action: OrderAction,
    ) -> PortResult<OrderInfo>;
    /// The orders at the staff member's pharmacy, newest first.
    async fn counter_orders(&self, by: &Account) -> PortResult<Vec<OrderInfo>>;
    /// Quotes an order at the staff member's pharmacy.
    async fn quote(&self, by: &Account, id: &str, quote: QuoteDraft) -> PortResult<OrderInfo>;
    /// Marks an order ready or collected, or cancels it with a reason.
    async fn counter_step(
        &self,
        by: &Account,
        id: &str,
        step: CounterStep,
    ) -> PortResult<OrderInfo>;
}
