//! Medicine orders for chat, over the appointment service's order side: the same rules as
//! the API (a patient or guardian orders; only the pharmacy's staff quote and move it on).
//! A prescription chosen in chat is one of the person's records, read with their rights
//! and sent with the order like the API's `prescription` (sealed to the pharmacy's node).
//! Times go out as RFC 3339 in the pharmacy's zone.

use base64::Engine as _;
use caremesh_bots::port::{
    Account, CounterStep, Health, OrderAction, OrderDraft, OrderInfo, OrderLine, Orders, PortError,
    PortResult, QuoteDraft, QuotedLine,
};
use caremesh_federation::object::{OrderItem, OrderStatus, OrderStep};
use chrono::{NaiveDateTime, TimeZone};
use chrono_tz::Tz;

use super::ChatNode;
use super::appointments::price;
use crate::appointments::calendar;
use crate::appointments::orders::PrescriptionInput;
use crate::appointments::orders::counter::{QuoteInput, QuoteLine};
use crate::appointments::{NewOrder, OrderView};
use crate::members::Member;

/// What the pharmacy's node says when the patient cancelled (not the pharmacy's reason).
const PATIENT_CANCELLED: &str = "cancelled by the patient";

impl ChatNode {
    /// An order as chat shows it, times in the pharmacy's zone.
    fn order_info(&self, v: OrderView) -> OrderInfo {
        let zone = self.zone_of(&v.facility_id).unwrap_or(Tz::UTC);
        let today = calendar::local_date(zone, self.app.clock.now_ms())
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default();
        let by_patient =
            v.status == OrderStatus::Cancelled.as_str() && v.message == PATIENT_CANCELLED;
        OrderInfo {
            status: v.status.to_owned(),
            items: v
                .items
                .into_iter()
                .map(|i| OrderLine {
                    name: i.name,
                    quantity: i.quantity,
                })
                .collect(),
            quote: v
                .quote
                .into_iter()
                .map(|q| QuotedLine {
                    name: q.name,
                    quantity: q.quantity,
                    available: q.available,
                    unit_price: price(q.unit_price_minor),
                })
                .collect(),
            total: price(v.total_minor),
            pickup_at: v.pickup_at.map(|t| calendar::rfc3339(t, zone.name())),
            message: if by_patient { String::new() } else { v.message },
            pending: v.pending.map(str::to_owned),
            id: v.id,
            facility_id: v.facility_id,
            facility_name: v.facility_name,
            currency: v.currency,
            name: v.name,
            prescription: v.prescription,
            today,
        }
    }

    /// The prescription record chosen in chat, as the API's `prescription`.
    async fn prescription(
        &self,
        by: &Account,
        draft: &OrderDraft,
    ) -> PortResult<Option<PrescriptionInput>> {
        let Some(r) = &draft.prescription else {
            return Ok(None);
        };
        let file = self.record_file(by, &r.health_id, &r.record_id).await?;
        Ok(Some(PrescriptionInput {
            content_type: file.content_type,
            data: base64::engine::general_purpose::STANDARD.encode(&file.bytes),
        }))
    }

    /// The staff member's pharmacy.
    fn pharmacy_of(member: &Member) -> PortResult<&str> {
        member
            .facility_id
            .as_deref()
            .ok_or_else(|| PortError::Forbidden {
                reason: "only staff of a pharmacy of this node see its orders".into(),
            })
    }
}

#[async_trait::async_trait]
impl Orders for ChatNode {
    async fn place_order(&self, by: &Account, draft: OrderDraft) -> PortResult<OrderInfo> {
        let member = self.member(by)?;
        let new = NewOrder {
            facility_id: Some(draft.facility_id.clone()),
            items: draft
                .items
                .iter()
                .map(|i| OrderItem {
                    name: i.name.clone(),
                    quantity: i.quantity,
                })
                .collect(),
            health_id: draft.health_id.clone(),
            note: None,
            prescription: self.prescription(by, &draft).await?,
        };
        let view = self.app.appointments.create_order(&member, &new)?;
        Ok(self.order_info(view))
    }

    async fn my_orders(&self, by: &Account) -> PortResult<Vec<OrderInfo>> {
        let member = self.member(by)?;
        let mut views = self.app.appointments.my_orders(&member)?;
        views.sort_by_key(|v| std::cmp::Reverse(v.created_at));
        Ok(views.into_iter().map(|v| self.order_info(v)).collect())
    }

    async fn order(&self, by: &Account, id: &str) -> PortResult<OrderInfo> {
        let member = self.member(by)?;
        let orders = &self.app.appointments;
        let view = match orders.my_order(&member, id) {
            Ok(v) => v,
            Err(_) => match orders.counter_order(&member, id)? {
                Some((v, _)) => v,
                None => {
                    return Err(PortError::NotFound {
                        what: "order".into(),
                        id: id.into(),
                    });
                }
            },
        };
        Ok(self.order_info(view))
    }

    async fn order_action(
        &self,
        by: &Account,
        id: &str,
        action: OrderAction,
    ) -> PortResult<OrderInfo> {
        let member = self.member(by)?;
        let step = match action {
            OrderAction::Confirm => OrderStep::Confirm,
            OrderAction::Cancel => OrderStep::Cancel,
        };
        let view = self.app.appointments.order_step(&member, id, step)?;
        Ok(self.order_info(view))
    }

    async fn counter_orders(&self, by: &Account) -> PortResult<Vec<OrderInfo>> {
        let member = self.member(by)?;
        let pharmacy = Self::pharmacy_of(&member)?;
        let views = self.app.appointments.pharmacy_orders(&member, pharmacy)?;
        Ok(views.into_iter().map(|v| self.order_info(v)).collect())
    }

    async fn quote(&self, by: &Account, id: &str, quote: QuoteDraft) -> PortResult<OrderInfo> {
        let member = self.member(by)?;
        let pharmacy = Self::pharmacy_of(&member)?;
        let zone = self.zone_of(pharmacy)?;
        let pickup_at = quote
            .pickup
            .as_deref()
            .map(|local| pickup(local, zone))
            .transpose()?;
        let input = QuoteInput {
            items: quote
                .lines
                .iter()
                .map(|(available, unit_price)| QuoteLine {
                    available: *available,
                    unit_price: *unit_price,
                })
                .collect(),
            currency: None,
            pickup_at,
            message: None,
        };
        let view = self.app.appointments.quote_order(&member, id, &input)?;
        Ok(self.order_info(view))
    }

    async fn counter_step(
        &self,
        by: &Account,
        id: &str,
        step: CounterStep,
    ) -> PortResult<OrderInfo> {
        let member = self.member(by)?;
        let (to, reason) = match &step {
            CounterStep::Ready => (OrderStatus::Ready, None),
            CounterStep::Collected => (OrderStatus::Collected, None),
            CounterStep::Cancel { reason } => (OrderStatus::Cancelled, Some(reason.as_str())),
        };
        let view = self
            .app
            .appointments
            .advance_order(&member, id, to, reason)?;
        Ok(self.order_info(view))
    }
}

/// A local wall clock at the pharmacy (`YYYY-MM-DDTHH:MM`) as RFC 3339 with its offset.
fn pickup(local: &str, zone: Tz) -> PortResult<String> {
    let invalid = |problem: &str| PortError::Invalid {
        field: "pickup_at".into(),
        problem: problem.into(),
    };
    let naive = NaiveDateTime::parse_from_str(local, "%Y-%m-%dT%H:%M")
        .map_err(|_| invalid("must be a day and a time"))?;
    let at = zone
        .from_local_datetime(&naive)
        .earliest()
        .ok_or_else(|| invalid("falls in a clock change"))?;
    Ok(at.to_rfc3339())
}
