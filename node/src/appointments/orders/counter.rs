//! Medicine orders, the pharmacy's side: orders addressed to this node's pharmacies are
//! opened and kept as `counter:<order id>` (sealed, with the prescription); staff quote
//! what they have, the price and a pickup time, then mark the order ready and collected,
//! or cancel it with a reason. Each change is a new version of the order's answer, sealed
//! to the patient's node, published once the record is on disk.

mod quote;

use caremesh_federation::object::{
    Kind, Meta, Order, OrderAnswer, OrderAnswerContent, OrderContent, OrderStatus, OrderStep,
    QuotedItem,
};
use serde::{Deserialize, Serialize};

use super::OrderView;
use crate::appointments::Appointments;
use crate::appointments::desk::Unpublished;
use crate::appointments::schedules::may_manage;
use crate::error::ServiceError;
use crate::members::Member;
use crate::objects;
pub use quote::{QuoteInput, QuoteLine};

/// The pharmacy's view of one order.
#[derive(Clone, Serialize, Deserialize)]
pub struct CounterRecord {
    pub order_id: String,
    pub patient_node: String,
    pub order_version: u64,
    /// As the first version brought it (with the prescription), steps updated.
    pub content: OrderContent,
    pub status: OrderStatus,
    pub quote: Vec<QuotedItem>,
    pub total_minor: i64,
    pub currency: String,
    pub pickup_at: Option<i64>,
    pub message: String,
    pub answer: Option<Meta>,
    pub created_at: i64,
}

/// A prescription's content type and bytes.
pub type PrescriptionFile = (String, Vec<u8>);

fn key(order_id: &str) -> String {
    format!("counter:{order_id}")
}

impl Appointments {
    fn counter_record(&self, id: &str) -> Result<Option<CounterRecord>, ServiceError> {
        self.records.get("counter record", &key(id))
    }

    /// Takes the newest version of an order addressed to this node onto the counter.
    pub fn process_order(&self, order_id: &str) -> Result<(), ServiceError> {
        let Some(order) = objects::get::<Order>(&*self.store, order_id)? else {
            return Ok(());
        };
        if order.addressee != self.here() {
            return Ok(());
        }
        let content: OrderContent = self.open(&order.place(), &order.sealed)?;
        let _guard = self.counter.lock().unwrap_or_else(|p| p.into_inner());
        let old = self.counter_record(order_id)?;
        if old
            .as_ref()
            .is_some_and(|o| o.order_version >= order.meta.version)
        {
            return Ok(());
        }
        let mut record = old.clone().unwrap_or_else(|| CounterRecord {
            order_id: order_id.to_owned(),
            patient_node: order.meta.origin.clone(),
            order_version: 0,
            content: content.clone(),
            status: OrderStatus::Requested,
            quote: Vec::new(),
            total_minor: 0,
            currency: String::new(),
            pickup_at: None,
            message: String::new(),
            answer: None,
            created_at: self.now(),
        });
        record.order_version = order.meta.version;
        record.content.step = content.step;
        let answers = match (content.step, record.status) {
            (OrderStep::Place, _) => false,
            (OrderStep::Confirm, OrderStatus::Quoted) => {
                record.status = OrderStatus::Confirmed;
                true
            }
            (OrderStep::Cancel, OrderStatus::Collected) | (OrderStep::Confirm, _) => true,
            (OrderStep::Cancel, _) => {
                record.status = OrderStatus::Cancelled;
                record.message = "cancelled by the patient".into();
                true
            }
        };
        self.keep_counter(record, answers)
    }

    /// Writes the record; when it `answers`, with the next answer version, published once
    /// the record is on disk.
    fn keep_counter(&self, mut record: CounterRecord, answers: bool) -> Result<(), ServiceError> {
        if answers {
            record.answer = Some(self.next_meta(record.answer.as_ref(), self.now())?);
        }
        self.records.put(&key(&record.order_id), &record)?;
        self.records.flush()?;
        if answers && let Err(e) = self.publish_order_answer(&record) {
            // The record is on disk: the runner publishes the answer again.
            tracing::error!(order_id = %record.order_id, error = %e, "order answer not published; retried shortly");
            self.desk.retry_later(Unpublished::Order, &record.order_id);
        }
        Ok(())
    }

    /// Publishes again the answer the counter's record of `order_id` calls for.
    pub(in crate::appointments) fn republish_order_answer(
        &self,
        order_id: &str,
    ) -> Result<(), ServiceError> {
        let Some(record) = self.counter_record(order_id)? else {
            return Ok(());
        };
        if let Some(meta) = &record.answer
            && self
                .store
                .get_object(&meta.id)?
                .is_some_and(|o| o.object.version >= meta.version)
        {
            return Ok(());
        }
        self.publish_order_answer(&record)
    }

    fn publish_order_answer(&self, record: &CounterRecord) -> Result<(), ServiceError> {
        let Some(meta) = &record.answer else {
            return Ok(());
        };
        let content = OrderAnswerContent {
            order_version: record.order_version,
            status: record.status,
            items: record.quote.clone(),
            total_minor: record.total_minor,
            currency: record.currency.clone(),
            pickup_at: record.pickup_at,
            message: record.message.clone(),
        };
        let sealed = self.seal(Kind::OrderAnswer, &meta.id, &record.patient_node, &content)?;
        let answer = OrderAnswer {
            meta: meta.clone(),
            addressee: record.patient_node.clone(),
            order_id: record.order_id.clone(),
            sealed,
        };
        self.publisher.publish(&answer, None)?;
        tracing::info!(order_id = %record.order_id, status = record.status.as_str(), "order answered");
        Ok(())
    }

    /// A staff action on an order of their pharmacy.
    fn at_counter(
        &self,
        member: &Member,
        id: &str,
        change: impl FnOnce(&mut CounterRecord) -> Result<(), ServiceError>,
    ) -> Result<OrderView, ServiceError> {
        let _guard = self.counter.lock().unwrap_or_else(|p| p.into_inner());
        let mut record = self
            .counter_record(id)?
            .ok_or_else(|| ServiceError::not_found("order", id))?;
        if !may_manage(member, &record.content.facility_id) {
            return Err(ServiceError::forbidden(
                "only staff of the pharmacy (or an admin) do this",
            ));
        }
        change(&mut record)?;
        self.keep_counter(record.clone(), true)?;
        Ok(counter_view(&record))
    }

    /// Moves an order on: `ready` (after the patient confirmed), `collected` (once ready),
    /// or `cancelled` with a reason the patient is told.
    pub fn advance_order(
        &self,
        member: &Member,
        id: &str,
        to: OrderStatus,
        reason: Option<&str>,
    ) -> Result<OrderView, ServiceError> {
        self.at_counter(member, id, |r| {
            let allowed = match to {
                OrderStatus::Ready => r.status == OrderStatus::Confirmed,
                OrderStatus::Collected => r.status == OrderStatus::Ready,
                OrderStatus::Cancelled => {
                    !matches!(r.status, OrderStatus::Collected | OrderStatus::Cancelled)
                }
                OrderStatus::Requested | OrderStatus::Quoted | OrderStatus::Confirmed => false,
            };
            if !allowed {
                return Err(ServiceError::conflict(format!(
                    "a {} order cannot become {}",
                    r.status.as_str(),
                    to.as_str()
                )));
            }
            if to == OrderStatus::Cancelled {
                let reason = reason.unwrap_or_default().trim();
                if reason.is_empty() || reason.chars().count() > 500 {
                    return Err(ServiceError::invalid(
                        "reason",
                        "is required when the pharmacy cancels (1 to 500 characters)",
                    ));
                }
                r.message = reason.to_owned();
            }
            r.status = to;
            Ok(())
        })
    }

    /// The orders of a pharmacy of this node, newest first.
    pub fn pharmacy_orders(
        &self,
        member: &Member,
        facility_id: &str,
    ) -> Result<Vec<OrderView>, ServiceError> {
        if !may_manage(member, facility_id) {
            return Err(ServiceError::forbidden(
                "only staff of the pharmacy (or an admin) read its orders",
            ));
        }
        let mut out: Vec<OrderView> = self
            .records
            .scan::<CounterRecord>("counter record", "counter:")?
            .iter()
            .filter(|r| r.content.facility_id == facility_id)
            .map(counter_view)
            .collect();
        out.sort_by_key(|v| std::cmp::Reverse(v.created_at));
        Ok(out)
    }

    /// One order at this node's counter, for the pharmacy's staff.
    pub fn counter_order(
        &self,
        member: &Member,
        id: &str,
    ) -> Result<Option<(OrderView, Option<PrescriptionFile>)>, ServiceError> {
        let Some(r) = self.counter_record(id)? else {
            return Ok(None);
        };
        if !may_manage(member, &r.content.facility_id) {
            return Ok(None);
        }
        let prescription = r
            .content
            .prescription
            .clone()
            .map(|p| (p.content_type, p.bytes));
        Ok(Some((counter_view(&r), prescription)))
    }

    /// At start: orders addressed here not yet on the counter, and answers a crash kept back.
    pub fn recover_counter(&self) -> Result<Vec<String>, ServiceError> {
        let mut known = std::collections::HashMap::new();
        for record in self
            .records
            .scan::<CounterRecord>("counter record", "counter:")?
        {
            if let Some(meta) = &record.answer
                && self
                    .store
                    .get_object(&meta.id)?
                    .is_none_or(|o| o.object.version < meta.version)
            {
                self.publish_order_answer(&record)?;
            }
            known.insert(record.order_id.clone(), record.order_version);
        }
        let mut pending = Vec::new();
        objects::visit::<Order>(&*self.store, &mut |order| {
            if order.addressee == self.here()
                && order.meta.version > known.get(&order.meta.id).copied().unwrap_or(0)
            {
                pending.push(order.meta.id);
            }
            std::ops::ControlFlow::Continue(())
        })?;
        Ok(pending)
    }
}

fn counter_view(r: &CounterRecord) -> OrderView {
    let c = &r.content;
    OrderView {
        id: r.order_id.clone(),
        status: r.status.as_str(),
        facility_id: c.facility_id.clone(),
        facility_name: String::new(),
        items: c.items.clone(),
        quote: r.quote.clone(),
        total_minor: r.total_minor,
        currency: r.currency.clone(),
        pickup_at: r.pickup_at,
        message: r.message.clone(),
        name: c.name.clone(),
        health_id: c.health_id.clone(),
        note: c.note.clone(),
        ordered_by: c.ordered_by.clone(),
        prescription: c.prescription.is_some(),
        pending: None,
        created_at: r.created_at,
    }
}
