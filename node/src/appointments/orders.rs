//! Medicine orders, the patient's side: a patient (or a guardian) sends a pharmacy of any
//! node a list of medicines, with a prescription if needed; the pharmacy answers what it
//! has, the price and when to come; the patient confirms or cancels; the pharmacy marks the
//! order ready, then collected. The pharmacy's side is [`counter`].
//!
//! Each step of the patient is a version of the order object, sealed to the pharmacy's
//! node; the order's state is the pharmacy node's newest answer. This node keeps
//! `ordered:<order id>`, sealed: the list as sent (without the prescription).

mod audience;
pub mod counter;

use base64::Engine;
use caremesh_federation::object::{
    FacilityKind, Kind, MAX_ORDER_ITEMS, MAX_PRESCRIPTION_BYTES, Order, OrderAnswer,
    OrderAnswerContent, OrderContent, OrderItem, OrderStatus, OrderStep, Prescription, QuotedItem,
};
use serde::{Deserialize, Serialize};

use super::Appointments;
use super::fields::{required, short_text};
use crate::error::ServiceError;
use crate::members::{Member, Role};
use crate::objects;

/// Content types a prescription may have.
pub const PRESCRIPTION_TYPES: [&str; 4] =
    ["application/pdf", "image/jpeg", "image/png", "text/plain"];

/// A prescription as the API takes it.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrescriptionInput {
    pub content_type: String,
    /// Base64 of the bytes.
    pub data: String,
}

/// What a patient gives to order (`POST /api/v1/orders`).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewOrder {
    pub facility_id: Option<String>,
    #[serde(default)]
    pub items: Vec<OrderItem>,
    pub health_id: Option<String>,
    pub note: Option<String>,
    pub prescription: Option<PrescriptionInput>,
}

/// What this node keeps about an order it sent.
#[derive(Clone, Serialize, Deserialize)]
pub struct OrderedRecord {
    pub order_id: String,
    pub member_id: String,
    /// The newest version sent (without the prescription).
    pub content: OrderContent,
    pub facility_name: String,
    pub pharmacy_node: String,
    pub with_prescription: bool,
    pub created_at: i64,
}

/// An order as its patient sees it, and as the pharmacy's staff see it. Serialized, it is
/// the API's answer but for its lists, money and times, which the API adds in its units
/// (major units of money, RFC 3339).
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct OrderView {
    pub id: String,
    /// requested, quoted, confirmed, ready, collected, cancelled.
    pub status: &'static str,
    pub facility_id: String,
    pub facility_name: String,
    #[serde(skip)]
    pub items: Vec<OrderItem>,
    #[serde(skip)]
    pub quote: Vec<QuotedItem>,
    #[serde(skip)]
    pub total_minor: i64,
    pub currency: String,
    /// Unix ms.
    #[serde(skip)]
    pub pickup_at: Option<i64>,
    /// The pharmacy's word, or why it cancelled.
    pub message: String,
    pub name: String,
    pub health_id: Option<String>,
    pub note: String,
    pub ordered_by: String,
    /// Whether a prescription came with the order.
    pub prescription: bool,
    /// A step sent and not answered yet (`confirm`, `cancel`).
    pub pending: Option<&'static str>,
    #[serde(skip)]
    pub created_at: i64,
}

/// Checks an order's list.
pub fn check_items(items: &[OrderItem]) -> Result<(), ServiceError> {
    if items.is_empty() || items.len() > MAX_ORDER_ITEMS {
        return Err(ServiceError::invalid(
            "items",
            format!("must list 1 to {MAX_ORDER_ITEMS} medicines"),
        ));
    }
    for item in items {
        if item.name.trim().is_empty() || item.name.chars().count() > 200 {
            return Err(ServiceError::invalid(
                "items",
                "each medicine's name must be 1 to 200 characters",
            ));
        }
        if !(1..=10_000).contains(&item.quantity) {
            return Err(ServiceError::invalid(
                "items",
                format!("quantity of `{}` must be 1 to 10000", item.name),
            ));
        }
    }
    Ok(())
}

/// Checks a prescription's type, size and first bytes.
pub fn check_prescription(content_type: &str, bytes: &[u8]) -> Result<(), ServiceError> {
    if !PRESCRIPTION_TYPES.contains(&content_type) {
        return Err(ServiceError::invalid(
            "prescription.content_type",
            format!("must be one of {}", PRESCRIPTION_TYPES.join(", ")),
        ));
    }
    if bytes.is_empty() || bytes.len() > MAX_PRESCRIPTION_BYTES {
        return Err(ServiceError::invalid(
            "prescription.data",
            format!("must hold 1 to {MAX_PRESCRIPTION_BYTES} bytes"),
        ));
    }
    let magic_ok = match content_type {
        "application/pdf" => bytes.starts_with(b"%PDF"),
        "image/jpeg" => bytes.starts_with(&[0xFF, 0xD8, 0xFF]),
        "image/png" => bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
        _ => std::str::from_utf8(bytes).is_ok(),
    };
    if !magic_ok {
        return Err(ServiceError::invalid(
            "prescription.data",
            format!("does not look like {content_type}"),
        ));
    }
    Ok(())
}

fn prescription(input: &Option<PrescriptionInput>) -> Result<Option<Prescription>, ServiceError> {
    let Some(p) = input else { return Ok(None) };
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(p.data.trim())
        .map_err(|_| ServiceError::invalid("prescription.data", "is not base64"))?;
    check_prescription(p.content_type.trim(), &bytes)?;
    Ok(Some(Prescription {
        content_type: p.content_type.trim().to_owned(),
        bytes,
    }))
}

fn key(order_id: &str) -> String {
    format!("ordered:{order_id}")
}

impl Appointments {
    /// Sends a pharmacy (of any node) an order.
    #[tracing::instrument(skip_all, fields(member = %member.id))]
    pub fn create_order(&self, member: &Member, new: &NewOrder) -> Result<OrderView, ServiceError> {
        if member.role != Role::Patient {
            return Err(ServiceError::forbidden("only patients order medicines"));
        }
        let facility_id = required(&new.facility_id, "facility_id")?;
        let pharmacy = self.known_facility(facility_id)?;
        if pharmacy.kind != FacilityKind::Pharmacy {
            return Err(ServiceError::invalid(
                "facility_id",
                format!("`{}` is not a pharmacy", pharmacy.name),
            ));
        }
        check_items(&new.items)?;
        let note = short_text(&new.note, "note")?;
        let prescription = prescription(&new.prescription)?;
        let (health_id, name) = match &new.health_id {
            Some(h) => {
                let person = self.people.person(member, Some(h))?;
                (Some(person.health_id), person.name)
            }
            None => (None, member.handle.clone()),
        };
        let content = OrderContent {
            facility_id: facility_id.to_owned(),
            items: new
                .items
                .iter()
                .map(|i| OrderItem {
                    name: i.name.trim().to_owned(),
                    quantity: i.quantity,
                })
                .collect(),
            health_id,
            name,
            ordered_by: member.handle.clone(),
            note,
            prescription,
            step: OrderStep::Place,
        };
        let mut record = OrderedRecord {
            order_id: String::new(),
            member_id: member.id.clone(),
            with_prescription: content.prescription.is_some(),
            content,
            facility_name: pharmacy.name,
            pharmacy_node: pharmacy.meta.origin,
            created_at: self.now(),
        };
        self.send_order(member, None, &mut record)?;
        tracing::info!(order_id = %record.order_id, "order sent");
        self.order_view(&record)
    }

    fn send_order(
        &self,
        member: &Member,
        previous: Option<&Order>,
        record: &mut OrderedRecord,
    ) -> Result<(), ServiceError> {
        let meta = self.next_meta(previous.map(|o| &o.meta), self.now())?;
        record.order_id = meta.id.clone();
        let sealed = self.seal(
            Kind::Order,
            &meta.id,
            &record.pharmacy_node,
            &record.content,
        )?;
        // The prescription travels once, in the first version.
        record.content.prescription = None;
        let order = Order {
            meta,
            addressee: record.pharmacy_node.clone(),
            sealed,
        };
        self.records.put(&key(&record.order_id), record)?;
        let owner = previous.is_none().then_some(member.handle.as_str());
        self.publisher.publish(&order, owner)?;
        Ok(())
    }

    fn ordered(&self, member: &Member, id: &str) -> Result<OrderedRecord, ServiceError> {
        let record: OrderedRecord = self
            .records
            .get("ordered record", &key(id))?
            .ok_or_else(|| ServiceError::not_found("order", id))?;
        let acts = match &record.content.health_id {
            Some(h) => self.people.acts_for(member, h)?,
            None => false,
        };
        if record.member_id != member.id && !acts {
            return Err(ServiceError::not_found("order", id));
        }
        Ok(record)
    }

    /// The pharmacy's newest answer to an order made here.
    fn order_answer(
        &self,
        record: &OrderedRecord,
    ) -> Result<Option<OrderAnswerContent>, ServiceError> {
        let newest = objects::children::<OrderAnswer>(&*self.store, &record.order_id)?
            .into_iter()
            .filter(|a| a.meta.origin == record.pharmacy_node && a.addressee == self.here())
            .max_by_key(|a| a.meta.version);
        newest.map(|a| self.open(&a.place(), &a.sealed)).transpose()
    }

    fn order_view(&self, record: &OrderedRecord) -> Result<OrderView, ServiceError> {
        let version =
            objects::get::<Order>(&*self.store, &record.order_id)?.map_or(0, |o| o.meta.version);
        let answer = self.order_answer(record)?;
        let answered = answer.as_ref().map_or(0, |a| a.order_version);
        let c = &record.content;
        let mut view = OrderView {
            id: record.order_id.clone(),
            status: OrderStatus::Requested.as_str(),
            facility_id: c.facility_id.clone(),
            facility_name: record.facility_name.clone(),
            items: c.items.clone(),
            quote: Vec::new(),
            total_minor: 0,
            currency: String::new(),
            pickup_at: None,
            message: String::new(),
            name: c.name.clone(),
            health_id: c.health_id.clone(),
            note: c.note.clone(),
            ordered_by: c.ordered_by.clone(),
            prescription: record.with_prescription,
            pending: (version > answered && version > 1).then_some(match c.step {
                OrderStep::Place => "place",
                OrderStep::Confirm => "confirm",
                OrderStep::Cancel => "cancel",
            }),
            created_at: record.created_at,
        };
        if let Some(a) = answer {
            view.status = a.status.as_str();
            view.quote = a.items;
            view.total_minor = a.total_minor;
            view.currency = a.currency;
            view.pickup_at = a.pickup_at;
            view.message = a.message;
        }
        Ok(view)
    }

    /// The orders made here by or for the member.
    pub fn my_orders(&self, member: &Member) -> Result<Vec<OrderView>, ServiceError> {
        let mut out = Vec::new();
        for record in self
            .records
            .scan::<OrderedRecord>("ordered record", "ordered:")?
        {
            let acts = match &record.content.health_id {
                Some(h) => self.people.acts_for(member, h)?,
                None => false,
            };
            if record.member_id == member.id || acts {
                out.push(self.order_view(&record)?);
            }
        }
        Ok(out)
    }

    /// One order made here.
    pub fn my_order(&self, member: &Member, id: &str) -> Result<OrderView, ServiceError> {
        self.order_view(&self.ordered(member, id)?)
    }

    /// Whether an order was made on this node.
    pub fn ordered_here(&self, id: &str) -> Result<bool, ServiceError> {
        Ok(self
            .records
            .get::<OrderedRecord>("ordered record", &key(id))?
            .is_some())
    }

    /// The patient confirms the pharmacy's quote, or cancels the order.
    #[tracing::instrument(skip(self, member), fields(member = %member.id))]
    pub fn order_step(
        &self,
        member: &Member,
        id: &str,
        step: OrderStep,
    ) -> Result<OrderView, ServiceError> {
        let mut record = self.ordered(member, id)?;
        let status = self
            .order_answer(&record)?
            .map_or(OrderStatus::Requested, |a| a.status);
        match (step, status) {
            (OrderStep::Confirm, OrderStatus::Quoted) => {}
            (OrderStep::Confirm, s) => {
                return Err(ServiceError::conflict(format!(
                    "only a quoted order is confirmed; this one is {}",
                    s.as_str()
                )));
            }
            (OrderStep::Cancel, OrderStatus::Collected | OrderStatus::Cancelled) => {
                return Err(ServiceError::conflict(format!(
                    "the order is {} already",
                    status.as_str()
                )));
            }
            (OrderStep::Cancel, _) => {}
            (OrderStep::Place, _) => return Err(ServiceError::conflict("an order is placed once")),
        }
        let order = objects::get::<Order>(&*self.store, id)?
            .ok_or_else(|| ServiceError::not_found("order", id))?;
        record.content.step = step;
        self.send_order(member, Some(&order), &mut record)?;
        self.order_view(&record)
    }
}
