//! What medicine orders tell people in chat. On the patient's node, each answer of the
//! pharmacy's node (quoted, confirmed, ready, collected, cancelled) goes to who ordered and
//! to the holder and guardians of the health ID it is for. On the pharmacy's node, each new
//! version of an order (placed, confirmed, cancelled by the patient) goes to the staff of
//! that pharmacy. Notices carry the order's id only; it is read with the recipient's rights
//! when rendered, in their language. A marker per version and recipient sends each once.

use caremesh_bots::notice::{Notice, OrderNews};
use caremesh_federation::object::{Order, OrderAnswer, OrderStep};

use super::health_notices::Addressed;
use crate::members::Role;
use crate::services::Services;

/// The notices an answer stored here becomes. Answers from nodes other than the order's
/// pharmacy are not told: the service does not read them either.
pub(super) fn answered(app: &Services, answer: &OrderAnswer) -> Vec<Addressed> {
    if answer.addressee != app.node.origin {
        return Vec::new();
    }
    let to = match app.appointments.order_audience(&answer.order_id) {
        Ok(Some(to)) => to,
        Ok(None) => return Vec::new(),
        Err(e) => {
            tracing::warn!(object_id = %answer.meta.id, error = %e, "no audience for an order answer");
            return Vec::new();
        }
    };
    let (id, version) = (&answer.meta.id, answer.meta.version);
    to.into_iter()
        .map(|handle| {
            let marker = Some(format!("ordans:{id}:{version}:{handle}"));
            let notice = Notice::Order {
                order_id: answer.order_id.clone(),
                news: OrderNews::Answered,
            };
            (handle, marker, notice)
        })
        .collect()
}

/// The notices a version of an order addressed here becomes, for its pharmacy's staff.
/// The order is taken onto the counter first (the service does the same on its own; it is
/// idempotent), so that the staff read it as it now stands.
pub(super) fn arrived(app: &Services, order: &Order) -> Vec<Addressed> {
    if order.addressee != app.node.origin {
        return Vec::new();
    }
    let id = &order.meta.id;
    let facts = app
        .appointments
        .process_order(id)
        .and_then(|()| app.appointments.order_at_counter(id));
    let (pharmacy, step) = match facts {
        Ok(Some(facts)) => facts,
        Ok(None) => return Vec::new(),
        Err(e) => {
            tracing::warn!(order_id = %id, error = %e, "an order not told to its pharmacy");
            return Vec::new();
        }
    };
    let news = match step {
        OrderStep::Place => OrderNews::Placed,
        OrderStep::Confirm => OrderNews::Confirmed,
        OrderStep::Cancel => OrderNews::Cancelled,
    };
    let staff = app.members.list().unwrap_or_else(|e| {
        tracing::warn!(error = %e, "cannot read members for an order notice");
        Vec::new()
    });
    let version = order.meta.version;
    staff
        .into_iter()
        .filter(|m| m.role == Role::Staff && m.facility_id.as_deref() == Some(pharmacy.as_str()))
        .map(|m| {
            let marker = Some(format!("ordin:{id}:{version}:{}", m.handle));
            let notice = Notice::Order {
                order_id: id.clone(),
                news,
            };
            (m.handle, marker, notice)
        })
        .collect()
}
