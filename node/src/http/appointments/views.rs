//! JSON shapes of the appointment, schedule, slot and order answers (docs/api.md
//! "Appointments", "Medicine orders"). Times are RFC 3339: slots and appointments with the
//! facility's offset, everything else in UTC. Each shape is also its OpenAPI schema.

use caremesh_federation::object::{OrderItem, QuotedItem, Schedule};
use serde::Serialize;
use utoipa::ToSchema;

use super::super::time;
use crate::appointments::calendar::hhmm;
use crate::appointments::{AgendaItem, AppointmentView, OrderView, Slots};

/// `ms` as RFC 3339 with the offset of `zone` (UTC if the zone is unknown).
pub fn local(ms: i64, zone: &str) -> String {
    crate::appointments::calendar::rfc3339(ms, zone)
}

/// An appointment as the patient (or guardian) who booked it sees it: the service's view
/// with its times, those of the slot in the facility's zone.
#[derive(Serialize, ToSchema)]
pub struct AppointmentOut {
    #[serde(flatten)]
    pub appointment: AppointmentView,
    #[schema(format = DateTime)]
    pub start: String,
    #[schema(format = DateTime)]
    pub end: String,
    /// With a refusal: the next slots with room, from the asked one on.
    pub next_free: Vec<String>,
    /// With `offered`: until when the place is held.
    #[schema(format = DateTime)]
    pub offer_expires: Option<String>,
    #[schema(format = DateTime)]
    pub created_at: String,
}

impl AppointmentOut {
    pub fn of(v: &AppointmentView) -> Self {
        let zone = v.time_zone.as_str();
        Self {
            start: local(v.start, zone),
            end: local(v.end, zone),
            next_free: v.next_free.iter().map(|t| local(*t, zone)).collect(),
            offer_expires: v.offer_expires.map(time::format),
            created_at: time::format(v.created_at),
            appointment: v.clone(),
        }
    }
}

/// A line of a facility's agenda, as its staff see it: the service's line with its times in
/// the schedule's zone.
#[derive(Serialize, ToSchema)]
pub struct AgendaLine {
    #[serde(flatten)]
    pub item: AgendaItem,
    #[schema(format = DateTime)]
    pub start: String,
    #[schema(format = DateTime)]
    pub end: String,
}

impl AgendaLine {
    /// `item` with its times in `zone`.
    pub fn of(item: &AgendaItem, zone: &str) -> Self {
        Self {
            start: local(item.start, zone),
            end: local(item.end, zone),
            item: item.clone(),
        }
    }
}

/// A schedule of bookable slots.
#[derive(Serialize, ToSchema)]
pub struct ScheduleOut {
    pub id: String,
    pub facility_id: String,
    /// The facility's node.
    pub origin: String,
    pub version: u64,
    pub service: String,
    /// consultation, vaccination, lab_test or other.
    pub kind: &'static str,
    pub specialty: Option<String>,
    /// Major units.
    pub price: f64,
    pub currency: String,
    /// `mon` to `sun`.
    pub days: Vec<&'static str>,
    /// `HH:MM`, local.
    pub start: String,
    pub end: String,
    pub slot_minutes: u16,
    pub capacity: u16,
    pub time_zone: String,
    /// Local dates `YYYY-MM-DD` without slots.
    pub closures: Vec<String>,
    pub cancel_cutoff_minutes: u32,
    pub retracted: bool,
    #[schema(format = DateTime)]
    pub updated_at: String,
}

impl ScheduleOut {
    pub fn of(s: &Schedule) -> Self {
        Self {
            id: s.meta.id.clone(),
            facility_id: s.facility_id.clone(),
            origin: s.meta.origin.clone(),
            version: s.meta.version,
            service: s.service.name.clone(),
            kind: s.service.kind.as_str(),
            specialty: s.service.specialty.clone(),
            price: s.service.price_minor as f64 / 100.0,
            currency: s.service.currency.clone(),
            days: s.days.iter().map(|d| d.as_str()).collect(),
            start: hhmm(s.start_min),
            end: hhmm(s.end_min),
            slot_minutes: s.slot_minutes,
            capacity: s.capacity,
            time_zone: s.time_zone.clone(),
            closures: s.closures.clone(),
            cancel_cutoff_minutes: s.cancel_cutoff_minutes,
            retracted: s.retracted,
            updated_at: time::format(s.meta.updated_at),
        }
    }
}

/// A facility's schedules.
#[derive(Serialize, ToSchema)]
pub struct ScheduleList {
    pub schedules: Vec<ScheduleOut>,
}

/// One slot of a day and its free places.
#[derive(Serialize, ToSchema)]
pub struct SlotOut {
    #[schema(format = DateTime)]
    pub start: String,
    #[schema(format = DateTime)]
    pub end: String,
    pub free: u16,
    pub capacity: u16,
    pub service: String,
    pub schedule_id: String,
}

/// The slots of a day, with how fresh the counts are.
#[derive(Serialize, ToSchema)]
pub struct SlotList {
    pub slots: Vec<SlotOut>,
    /// When the counts were true.
    #[schema(format = DateTime)]
    pub as_of: String,
    /// `live` on the facility's node, `published` elsewhere.
    pub source: &'static str,
}

impl SlotList {
    pub fn of(slots: &Slots) -> Self {
        Self {
            slots: slots
                .slots
                .iter()
                .map(|s| SlotOut {
                    start: local(s.start, &s.time_zone),
                    end: local(s.end, &s.time_zone),
                    free: s.free,
                    capacity: s.capacity,
                    service: s.service.clone(),
                    schedule_id: s.schedule_id.clone(),
                })
                .collect(),
            as_of: time::format(slots.as_of),
            source: slots.source,
        }
    }
}

/// A medicine as ordered.
#[derive(Serialize, ToSchema)]
pub struct OrderLineOut {
    pub name: String,
    pub quantity: u32,
}

/// A line of the pharmacy's quote.
#[derive(Serialize, ToSchema)]
pub struct QuoteLineOut {
    pub name: String,
    pub quantity: u32,
    /// How many the pharmacy has for this order.
    pub available: u32,
    /// Price of one, major units.
    pub unit_price: f64,
}

/// A medicine order, as its patient and the pharmacy's staff see it: the service's view with
/// its lists, money in major units and times in UTC.
#[derive(Serialize, ToSchema)]
pub struct OrderOut {
    #[serde(flatten)]
    pub order: OrderView,
    pub items: Vec<OrderLineOut>,
    /// The pharmacy's answer, line by line (empty until quoted).
    pub quote: Vec<QuoteLineOut>,
    /// Major units: what is available times its price.
    pub total: f64,
    #[schema(format = DateTime)]
    pub pickup_at: Option<String>,
    #[schema(format = DateTime)]
    pub created_at: String,
}

impl OrderOut {
    pub fn of(v: &OrderView) -> Self {
        let line = |i: &OrderItem| OrderLineOut {
            name: i.name.clone(),
            quantity: i.quantity,
        };
        let quoted = |q: &QuotedItem| QuoteLineOut {
            name: q.name.clone(),
            quantity: q.quantity,
            available: q.available,
            unit_price: q.unit_price_minor as f64 / 100.0,
        };
        Self {
            items: v.items.iter().map(line).collect(),
            quote: v.quote.iter().map(quoted).collect(),
            total: v.total_minor as f64 / 100.0,
            pickup_at: v.pickup_at.map(time::format),
            created_at: time::format(v.created_at),
            order: v.clone(),
        }
    }
}

/// Orders made here, or a pharmacy's orders.
#[derive(Serialize, ToSchema)]
pub struct OrderList {
    pub orders: Vec<OrderOut>,
}
