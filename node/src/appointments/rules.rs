//! The node's rules for the appointment and order kinds (see [`crate::kinds`];
//! docs/protocol.md §11).
//!
//! Schedules and availability are public: only the facility's node publishes them (when the
//! facility or schedule is known here), and a later version stays with its facility, day
//! and schedule. Bookings and orders addressed here meet the [`AppointmentGate`], which
//! opens them and refuses what does not belong here; whether a slot has room is the desk's
//! answer, not a refusal. An answer must come from the node its booking or order was sent
//! to: a confirmation signed by any other node is refused (`ownership`), wherever the
//! booking is known.

use caremesh_federation::Check;
use caremesh_federation::object::{
    Availability, Booking, BookingAnswer, Facility, ObjectKind, Order, OrderAnswer, Schedule,
};

use crate::federation::inbox::Refusal;
use crate::kinds::{Admission, Announcement, Indexes, Intake, KindRules};

/// The checks of bookings, orders and their answers addressed to this node: each opens
/// the sealed content and refuses, naming its check, what does not belong here.
/// Synchronous: admission runs on a blocking thread of the inbox.
pub trait AppointmentGate: Send + Sync {
    fn booking(&self, booking: &Booking, at: &Admission<'_>) -> Result<(), Refusal>;
    fn booking_answer(&self, answer: &BookingAnswer, booking: &Booking) -> Result<(), Refusal>;
    fn order(&self, order: &Order, at: &Admission<'_>) -> Result<(), Refusal>;
    fn order_answer(&self, answer: &OrderAnswer, order: &Order) -> Result<(), Refusal>;
}

fn refuse(check: Check, message: String) -> Result<(), Refusal> {
    Err(Refusal { check, message })
}

fn gate<'a>(at: &Admission<'a>) -> Result<&'a dyn AppointmentGate, Refusal> {
    at.gates.appointments.as_deref().ok_or_else(|| Refusal {
        check: Check::Open,
        message: "this node takes no bookings or orders".into(),
    })
}

/// A public object of a facility's node: its origin must be the facility's.
fn of_facility_node(
    origin: &str,
    facility_id: &str,
    at: &Admission<'_>,
    what: &str,
) -> Result<(), Refusal> {
    match at.stored::<Facility>(facility_id)? {
        Some(f) if f.meta.origin != origin => refuse(
            Check::Ownership,
            format!(
                "only {}, the node of facility {facility_id}, publishes its {what}",
                f.meta.origin
            ),
        ),
        _ => Ok(()),
    }
}

impl KindRules for Schedule {
    const TRANSIENT: bool = false;

    /// Only the facility's node publishes its schedules; a schedule keeps its facility; its
    /// time zone is a real one.
    fn admit(&self, at: &Admission<'_>) -> Result<(), Refusal> {
        if self.time_zone.parse::<chrono_tz::Tz>().is_err() {
            return refuse(
                Check::Schema,
                format!("time_zone `{}` is not an IANA time zone", self.time_zone),
            );
        }
        if let Some(old) = at.stored::<Schedule>(&self.meta.id)?
            && old.facility_id != self.facility_id
        {
            return refuse(
                Check::Ownership,
                format!("schedule {} cannot move to another facility", self.meta.id),
            );
        }
        of_facility_node(&self.meta.origin, &self.facility_id, at, "schedules")
    }

    fn announce(&self, _here: &str) -> Announcement<'_> {
        Announcement::Silent
    }

    fn index(&self, _indexes: &Indexes) {}

    /// Read from the store where it is needed.
    fn intake(&self) -> Intake<'_> {
        Intake::Stored
    }
}

impl KindRules for Availability {
    const TRANSIENT: bool = false;

    /// Only the schedule's node publishes its availability; one object is one day of one
    /// schedule for good.
    fn admit(&self, at: &Admission<'_>) -> Result<(), Refusal> {
        if let Some(old) = at.stored::<Availability>(&self.meta.id)?
            && (old.schedule_id != self.schedule_id || old.date != self.date)
        {
            return refuse(
                Check::Ownership,
                format!(
                    "availability {} cannot move to another day or schedule",
                    self.meta.id
                ),
            );
        }
        match at.stored::<Schedule>(&self.schedule_id)? {
            Some(s) if s.meta.origin != self.meta.origin => refuse(
                Check::Ownership,
                format!(
                    "only {}, the node of schedule {}, publishes its availability",
                    s.meta.origin, self.schedule_id
                ),
            ),
            _ => Ok(()),
        }
    }

    fn announce(&self, _here: &str) -> Announcement<'_> {
        Announcement::Silent
    }

    fn index(&self, _indexes: &Indexes) {}

    /// Read from the store where it is needed.
    fn intake(&self) -> Intake<'_> {
        Intake::Stored
    }
}

impl KindRules for Booking {
    const TRANSIENT: bool = false;

    fn admit(&self, at: &Admission<'_>) -> Result<(), Refusal> {
        at.if_for_us(self, || gate(at)?.booking(self, at))
    }

    fn announce(&self, _here: &str) -> Announcement<'_> {
        Announcement::Silent
    }

    fn index(&self, _indexes: &Indexes) {}

    /// Read from the store where it is needed.
    fn intake(&self) -> Intake<'_> {
        Intake::Stored
    }
}

/// An answer's rule, for bookings and orders alike: it stays with what it answers; where
/// that is known, only the node it was sent to answers; addressed here, it answers
/// something this node sent, and the gate opens it.
fn admit_answer<Asked: ObjectKind>(
    answer_id: &str,
    origin: &str,
    asked_id: &str,
    old_asked_id: Option<String>,
    addressed_here: bool,
    at: &Admission<'_>,
    open: impl FnOnce(&Asked) -> Result<(), Refusal>,
) -> Result<(), Refusal> {
    let kind = Asked::KIND.as_str();
    if old_asked_id.is_some_and(|old| old != asked_id) {
        return refuse(
            Check::Ownership,
            format!("answer {answer_id} cannot move to another {kind}"),
        );
    }
    let asked = at.stored::<Asked>(asked_id)?;
    if let Some(asked) = &asked {
        let sent_to = match asked.audience() {
            caremesh_federation::object::Audience::Directed { to } => to,
            caremesh_federation::object::Audience::Public => "",
        };
        if sent_to != origin {
            return refuse(
                Check::Ownership,
                format!(
                    "only {sent_to}, the node {kind} {asked_id} was sent to, answers it; not {origin}"
                ),
            );
        }
    }
    if !addressed_here {
        return Ok(());
    }
    match asked {
        Some(asked) if asked.meta().origin == at.here => open(&asked),
        _ => refuse(
            Check::Schema,
            format!("{kind}_id {asked_id} is not a {kind} of this node"),
        ),
    }
}

impl KindRules for BookingAnswer {
    const TRANSIENT: bool = false;

    fn admit(&self, at: &Admission<'_>) -> Result<(), Refusal> {
        let old = at
            .stored::<BookingAnswer>(&self.meta.id)?
            .map(|o| o.booking_id);
        admit_answer::<Booking>(
            &self.meta.id,
            &self.meta.origin,
            &self.booking_id,
            old,
            at.is_for_us(self),
            at,
            |booking| gate(at)?.booking_answer(self, booking),
        )
    }

    fn announce(&self, _here: &str) -> Announcement<'_> {
        Announcement::Silent
    }

    fn index(&self, _indexes: &Indexes) {}

    /// Read from the store where it is needed.
    fn intake(&self) -> Intake<'_> {
        Intake::Stored
    }
}

impl KindRules for Order {
    const TRANSIENT: bool = false;

    fn admit(&self, at: &Admission<'_>) -> Result<(), Refusal> {
        at.if_for_us(self, || gate(at)?.order(self, at))
    }

    fn announce(&self, _here: &str) -> Announcement<'_> {
        Announcement::Silent
    }

    fn index(&self, _indexes: &Indexes) {}

    /// Read from the store where it is needed.
    fn intake(&self) -> Intake<'_> {
        Intake::Stored
    }
}

impl KindRules for OrderAnswer {
    const TRANSIENT: bool = false;

    fn admit(&self, at: &Admission<'_>) -> Result<(), Refusal> {
        let old = at.stored::<OrderAnswer>(&self.meta.id)?.map(|o| o.order_id);
        admit_answer::<Order>(
            &self.meta.id,
            &self.meta.origin,
            &self.order_id,
            old,
            at.is_for_us(self),
            at,
            |order| gate(at)?.order_answer(self, order),
        )
    }

    fn announce(&self, _here: &str) -> Announcement<'_> {
        Announcement::Silent
    }

    fn index(&self, _indexes: &Indexes) {}

    /// Read from the store where it is needed.
    fn intake(&self) -> Intake<'_> {
        Intake::Stored
    }
}
