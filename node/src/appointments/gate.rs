//! The [`AppointmentGate`] of this node: bookings and orders addressed here are opened and
//! checked before they are stored, and so are the answers to those this node sent
//! (docs/protocol.md §11.4). A refusal names its check; nothing of the object is kept.

use caremesh_federation::Check;
use caremesh_federation::object::{
    AppointmentStatus, Booking, BookingAnswer, BookingAnswerContent, BookingContent, Facility,
    FacilityKind, Order, OrderAnswer, OrderAnswerContent, OrderContent, OrderStatus, is_slug,
};
use serde::de::DeserializeOwned;

use super::Appointments;
use super::bookings::BookedRecord;
use super::orders::OrderedRecord;
use super::rules::AppointmentGate;
use crate::federation::inbox::Refusal;
use crate::health::hid::HealthId;
use crate::kinds::Admission;

fn refuse<T>(check: Check, message: impl Into<String>) -> Result<T, Refusal> {
    Err(Refusal {
        check,
        message: message.into(),
    })
}

fn text(field: &str, value: &str, max: usize, required: bool) -> Result<(), Refusal> {
    let n = value.chars().count();
    if (required && value.trim().is_empty()) || n > max {
        return refuse(
            Check::Schema,
            format!("{field} must be {} to {max} characters", u8::from(required)),
        );
    }
    Ok(())
}

fn health_id(value: &str) -> Result<(), Refusal> {
    match HealthId::parse(value) {
        Ok(id) if id.digits() == value => Ok(()),
        Ok(_) => refuse(
            Check::Schema,
            "health_id must be 14 digits without separators",
        ),
        Err(e) => refuse(Check::Schema, format!("health_id: {e}")),
    }
}

fn ulid(field: &str, value: &str) -> Result<(), Refusal> {
    if ulid::Ulid::from_string(value).is_ok() {
        Ok(())
    } else {
        refuse(Check::Schema, format!("{field} is not a ULID"))
    }
}

impl Appointments {
    fn opened<T: DeserializeOwned>(
        &self,
        place: &caremesh_federation::health_seal::Place,
        sealed: &[u8],
        what: &str,
    ) -> Result<T, Refusal> {
        self.open(place, sealed).or_else(|_| {
            refuse(
                Check::Open,
                format!("the {what} does not open here: sealed for another node, moved or altered"),
            )
        })
    }

    /// A facility of this node (of `kinds`, when given), for the facility check.
    fn listed_here(
        &self,
        facility_id: &str,
        kinds: &[FacilityKind],
        at: &Admission<'_>,
    ) -> Result<(), Refusal> {
        match at.stored::<Facility>(facility_id)? {
            Some(f) if f.meta.origin == self.here() && !f.retracted => {
                if kinds.is_empty() || kinds.contains(&f.kind) {
                    Ok(())
                } else {
                    refuse(
                        Check::Facility,
                        format!("facility {facility_id} is not a pharmacy"),
                    )
                }
            }
            _ => refuse(
                Check::Facility,
                format!("facility {facility_id} is not listed by this node"),
            ),
        }
    }
}

impl AppointmentGate for Appointments {
    fn booking(&self, booking: &Booking, at: &Admission<'_>) -> Result<(), Refusal> {
        let c: BookingContent = self.opened(&booking.place(), &booking.sealed, "booking")?;
        ulid("facility_id", &c.facility_id)?;
        ulid("schedule_id", &c.schedule_id)?;
        health_id(&c.health_id)?;
        text("name", &c.name, 100, true)?;
        text("booked_by", &c.booked_by, 64, true)?;
        text("note", &c.note, 500, false)?;
        if let Some(r) = &c.replaces {
            ulid("replaces", r)?;
        }
        self.listed_here(&c.facility_id, &[], at)?;
        if let Some(old) = at.stored::<Booking>(&booking.meta.id)? {
            let before: BookingContent =
                self.opened(&old.place(), &old.sealed, "stored booking")?;
            if before.facility_id != c.facility_id || before.health_id != c.health_id {
                return refuse(
                    Check::Ownership,
                    format!(
                        "booking {} cannot move to another facility or person",
                        booking.meta.id
                    ),
                );
            }
        }
        Ok(())
    }

    fn booking_answer(&self, answer: &BookingAnswer, booking: &Booking) -> Result<(), Refusal> {
        let c: BookingAnswerContent =
            self.opened(&answer.place(), &answer.sealed, "booking answer")?;
        let record: Option<BookedRecord> = self
            .records
            .get("booked record", &format!("booked:{}", booking.meta.id))
            .map_err(|e| Refusal {
                check: Check::Storage,
                message: e.to_string(),
            })?;
        let Some(record) = record else {
            return refuse(
                Check::Schema,
                format!("booking {} was not made here", booking.meta.id),
            );
        };
        if record.content.health_id != c.health_id {
            return refuse(
                Check::Schema,
                "the answer names another person than the booking",
            );
        }
        if c.status == AppointmentStatus::Requested || c.end < c.start {
            return refuse(
                Check::Schema,
                "an answer's status is never `requested`, and its slot ends after it starts",
            );
        }
        Ok(())
    }

    fn order(&self, order: &Order, at: &Admission<'_>) -> Result<(), Refusal> {
        let c: OrderContent = self.opened(&order.place(), &order.sealed, "order")?;
        ulid("facility_id", &c.facility_id)?;
        if let Some(id) = &c.health_id {
            health_id(id)?;
        }
        text("name", &c.name, 100, true)?;
        text("ordered_by", &c.ordered_by, 64, true)?;
        text("note", &c.note, 500, false)?;
        super::orders::check_items(&c.items).or_else(|e| refuse(Check::Schema, e.to_string()))?;
        if let Some(p) = &c.prescription {
            super::orders::check_prescription(&p.content_type, &p.bytes)
                .or_else(|e| refuse(Check::Schema, e.to_string()))?;
        }
        self.listed_here(&c.facility_id, &[FacilityKind::Pharmacy], at)?;
        if let Some(old) = at.stored::<Order>(&order.meta.id)? {
            let before: OrderContent = self.opened(&old.place(), &old.sealed, "stored order")?;
            if before.facility_id != c.facility_id || before.items != c.items {
                return refuse(
                    Check::Ownership,
                    format!(
                        "order {} cannot move to another pharmacy or change its list",
                        order.meta.id
                    ),
                );
            }
        }
        Ok(())
    }

    fn order_answer(&self, answer: &OrderAnswer, order: &Order) -> Result<(), Refusal> {
        let c: OrderAnswerContent = self.opened(&answer.place(), &answer.sealed, "order answer")?;
        let record: Option<OrderedRecord> = self
            .records
            .get("ordered record", &format!("ordered:{}", order.meta.id))
            .map_err(|e| Refusal {
                check: Check::Storage,
                message: e.to_string(),
            })?;
        if record.is_none() {
            return refuse(
                Check::Schema,
                format!("order {} was not made here", order.meta.id),
            );
        }
        if c.status == OrderStatus::Requested
            || c.items.len() > caremesh_federation::object::MAX_ORDER_ITEMS
            || c.items
                .iter()
                .any(|i| i.available > i.quantity || i.unit_price_minor < 0)
            || !(c.currency.is_empty()
                || (c.currency.len() == 3 && is_slug(&c.currency.to_lowercase())))
        {
            return refuse(
                Check::Schema,
                "the answer's status, items or currency are out of range",
            );
        }
        Ok(())
    }
}
