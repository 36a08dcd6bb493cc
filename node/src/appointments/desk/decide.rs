//! The desk's decisions on a patient's step: book, wait, take an offered place, cancel.
//! Each runs under the desk's lock (see [`super`]).

use caremesh_federation::object::{
    AppointmentStatus, Booking, BookingContent, BookingStep, Facility, Schedule,
};
use chrono_tz::Tz;

use super::{Changes, DeskRecord};
use crate::appointments::Appointments;
use crate::appointments::calendar::{self, Slot};
use crate::error::ServiceError;
use crate::objects;

/// How many free slots a refusal proposes.
const NEXT_FREE: usize = 3;
/// How far ahead free slots are looked for.
const LOOKAHEAD_DAYS: u32 = 28;

/// Why a booking cannot have its slot: the check it names and words for the person.
pub(super) struct Refusal {
    pub check: &'static str,
    pub reason: String,
}

fn refusal(check: &'static str, reason: impl Into<String>) -> Refusal {
    Refusal {
        check,
        reason: reason.into(),
    }
}

/// A schedule checked to be this node's, with its zone.
pub(super) struct Bookable {
    pub schedule: Schedule,
    pub tz: Tz,
}

impl DeskRecord {
    /// The record of a booking version: the old record's state with the new content.
    fn of(booking: &Booking, content: BookingContent, old: Option<&DeskRecord>) -> DeskRecord {
        let mut record = old.cloned().unwrap_or_else(|| DeskRecord {
            booking_id: booking.meta.id.clone(),
            patient_node: booking.meta.origin.clone(),
            booking_version: 0,
            schedule_id: content.schedule_id.clone(),
            start: content.start,
            end: content.start,
            date: String::new(),
            status: AppointmentStatus::Requested,
            check: None,
            reason: String::new(),
            next_free: Vec::new(),
            waiting_since: None,
            position: None,
            offer_expires: None,
            answer: None,
            updated_at: 0,
            content: content.clone(),
        });
        record.booking_version = booking.meta.version;
        record.content = content;
        record.check = None;
        record.next_free = Vec::new();
        record
    }

    fn refused(mut self, why: Refusal, next_free: Vec<i64>) -> DeskRecord {
        self.status = AppointmentStatus::Refused;
        self.check = Some(why.check.to_owned());
        self.reason = why.reason;
        self.next_free = next_free;
        self.waiting_since = None;
        self.offer_expires = None;
        self
    }

    fn at(mut self, slot: Slot, tz: Tz) -> DeskRecord {
        self.start = slot.start;
        self.end = slot.end;
        self.date = calendar::local_date(tz, slot.start)
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default();
        self
    }
}

impl Appointments {
    /// Decides on one booking version.
    pub(super) fn decide(
        &self,
        changes: &mut Changes<'_>,
        old: Option<DeskRecord>,
        booking: &Booking,
        content: BookingContent,
    ) -> Result<(), ServiceError> {
        let step = content.step;
        let record = DeskRecord::of(booking, content, old.as_ref());
        match step {
            BookingStep::Book => self.decide_book(changes, old, record),
            BookingStep::Wait => self.decide_wait(changes, old, record),
            BookingStep::Take => self.decide_take(changes, old, record),
            BookingStep::Cancel => self.cancel_by_patient(changes, old, record),
        }
    }

    /// The schedule a booking names, if it is one of this node's, open for booking.
    pub(super) fn bookable(&self, content: &BookingContent) -> Result<Bookable, Refusal> {
        let store = &*self.store;
        let facility = objects::get::<Facility>(store, &content.facility_id)
            .ok()
            .flatten();
        if !facility.is_some_and(|f| f.meta.origin == self.here() && !f.retracted) {
            return Err(refusal(
                "facility",
                "the facility is not listed by this node",
            ));
        }
        let schedule = objects::get::<Schedule>(store, &content.schedule_id)
            .ok()
            .flatten()
            .filter(|s| s.meta.origin == self.here() && s.facility_id == content.facility_id)
            .ok_or_else(|| refusal("unknown_service", "the facility has no such schedule"))?;
        if schedule.retracted {
            return Err(refusal(
                "unknown_service",
                "the facility no longer offers this schedule",
            ));
        }
        let tz = calendar::zone(&schedule)
            .ok_or_else(|| refusal("unknown_service", "the schedule's time zone is unknown"))?;
        Ok(Bookable { schedule, tz })
    }

    /// The slot a booking asks for, checked against the schedule and the clock.
    fn asked_slot(&self, b: &Bookable, start: i64) -> Result<Slot, Refusal> {
        let slot = calendar::slot_at(&b.schedule, b.tz, start)
            .map_err(|e| refusal(e.check(), e.to_string()))?;
        if slot.start <= self.now() {
            return Err(refusal("past", "the slot has already started"));
        }
        Ok(slot)
    }

    /// The schedule and slot a booking or wait step asks for, checked against the clock; or
    /// why not, with the next free slots when `propose_next` (a booking; a wait gets none).
    fn placed(
        &self,
        seats: &super::Seats,
        content: &BookingContent,
        propose_next: bool,
    ) -> Result<(Bookable, Slot), (Refusal, Vec<i64>)> {
        let b = self.bookable(content).map_err(|why| (why, Vec::new()))?;
        match self.asked_slot(&b, content.start) {
            Ok(slot) => Ok((b, slot)),
            Err(why) if propose_next => Err((why, self.next_free(seats, &b, content.start))),
            Err(why) => Err((why, Vec::new())),
        }
    }

    /// The next slots with a free seat from the asked one on (from now, when it is past):
    /// a refusal offers what comes after what the person wanted, not earlier slots.
    pub(super) fn next_free(&self, seats: &super::Seats, b: &Bookable, asked: i64) -> Vec<i64> {
        let capacity = usize::from(b.schedule.capacity);
        let from = asked.max(self.now() + 1);
        calendar::slots_from(&b.schedule, b.tz, from, LOOKAHEAD_DAYS)
            .filter(|slot| seats.taken(&b.schedule.meta.id, slot.start) < capacity)
            .take(NEXT_FREE)
            .map(|slot| slot.start)
            .collect()
    }

    fn decide_book(
        &self,
        changes: &mut Changes<'_>,
        old: Option<DeskRecord>,
        record: DeskRecord,
    ) -> Result<(), ServiceError> {
        if let Some(o) = &old
            && o.status != AppointmentStatus::Refused
        {
            // A booking already decided keeps its state; the answer says it again.
            return changes.save(old.as_ref(), record);
        }
        let (b, slot) = match self.placed(changes.seats, &record.content, true) {
            Ok(placed) => placed,
            Err((why, next)) => return changes.save(old.as_ref(), record.refused(why, next)),
        };
        let record = record.at(slot, b.tz);
        let replaced = match self.replaced(changes, &record)? {
            Ok(replaced) => replaced,
            Err(why) => return changes.save(old.as_ref(), record.refused(why, Vec::new())),
        };
        if changes.seats.taken(&b.schedule.meta.id, slot.start) >= usize::from(b.schedule.capacity)
        {
            let next = self.next_free(changes.seats, &b, slot.start);
            let why = refusal("full", "every place in this slot is taken");
            return changes.save(old.as_ref(), record.refused(why, next));
        }
        let mut confirmed = record;
        confirmed.status = AppointmentStatus::Confirmed;
        confirmed.reason = String::new();
        changes.save(old.as_ref(), confirmed.clone())?;
        if let Some(replaced) = replaced {
            let reason = format!("moved to the slot of booking {}", confirmed.booking_id);
            self.cancel_record(changes, replaced, Some("rescheduled"), reason)?;
        }
        Ok(())
    }

    /// The booking a reschedule replaces: of the same node and person, confirmed.
    fn replaced(
        &self,
        changes: &Changes<'_>,
        record: &DeskRecord,
    ) -> Result<Result<Option<DeskRecord>, Refusal>, ServiceError> {
        let Some(id) = &record.content.replaces else {
            return Ok(Ok(None));
        };
        let old = changes.record(id)?;
        Ok(match old {
            Some(o)
                if o.patient_node == record.patient_node
                    && o.content.health_id == record.content.health_id
                    && o.status == AppointmentStatus::Confirmed =>
            {
                Ok(Some(o))
            }
            _ => Err(refusal(
                "replaces",
                "the appointment to move is not a confirmed appointment of this person",
            )),
        })
    }

    fn decide_wait(
        &self,
        changes: &mut Changes<'_>,
        old: Option<DeskRecord>,
        record: DeskRecord,
    ) -> Result<(), ServiceError> {
        if old
            .as_ref()
            .is_some_and(|o| super::holds_seat(o.status) || o.status == AppointmentStatus::Waiting)
        {
            return changes.save(old.as_ref(), record);
        }
        let (b, slot) = match self.placed(changes.seats, &record.content, false) {
            Ok(placed) => placed,
            Err((why, next)) => return changes.save(old.as_ref(), record.refused(why, next)),
        };
        let record = record.at(slot, b.tz);
        let day = calendar::local_date(b.tz, slot.start).unwrap_or_default();
        let capacity = usize::from(b.schedule.capacity);
        let free: Vec<i64> = calendar::slots_on(&b.schedule, b.tz, day)
            .into_iter()
            .filter(|s| s.start > self.now())
            .filter(|s| changes.seats.taken(&b.schedule.meta.id, s.start) < capacity)
            .map(|s| s.start)
            .collect();
        if !free.is_empty() {
            let why = refusal(
                "not_full",
                "this day still has free places: book one of them",
            );
            return changes.save(old.as_ref(), record.refused(why, free));
        }
        let mut waiting = record;
        waiting.status = AppointmentStatus::Waiting;
        waiting.waiting_since = Some(self.now());
        waiting.reason = String::new();
        changes.save(old.as_ref(), waiting)
    }

    fn decide_take(
        &self,
        changes: &mut Changes<'_>,
        old: Option<DeskRecord>,
        mut record: DeskRecord,
    ) -> Result<(), ServiceError> {
        let offered = old.as_ref().is_some_and(|o| {
            o.status == AppointmentStatus::Offered
                && o.offer_expires.is_some_and(|t| t >= self.now())
        });
        if offered {
            record.status = AppointmentStatus::Confirmed;
            record.offer_expires = None;
            record.reason = String::new();
        } else {
            record.check = Some("not_offered".into());
            record.reason = "no place is offered to this booking now".into();
        }
        changes.save(old.as_ref(), record)
    }

    fn cancel_by_patient(
        &self,
        changes: &mut Changes<'_>,
        old: Option<DeskRecord>,
        record: DeskRecord,
    ) -> Result<(), ServiceError> {
        let Some(o) = old else {
            let mut cancelled = record;
            cancelled.status = AppointmentStatus::Cancelled;
            return changes.save(None, cancelled);
        };
        match o.status {
            AppointmentStatus::Confirmed if self.past_cutoff(&o) => {
                let mut kept = record;
                kept.check = Some("cutoff".into());
                kept.reason = "too late to cancel: the facility's cancel cutoff has passed".into();
                changes.save(Some(&o), kept)
            }
            AppointmentStatus::Arrived | AppointmentStatus::NoShow => {
                changes.save(Some(&o), record)
            }
            // The answer carries the cancel's version, so the patient's node sees it done.
            _ => self.cancel_as(changes, o, record, None, "cancelled by the patient".into()),
        }
    }

    /// Whether the schedule's cancel cutoff for a record's slot has passed.
    pub(super) fn past_cutoff(&self, record: &DeskRecord) -> bool {
        let cutoff = objects::get::<Schedule>(&*self.store, &record.schedule_id)
            .ok()
            .flatten()
            .map_or(0, |s| i64::from(s.cancel_cutoff_minutes) * 60_000);
        self.now() > record.start - cutoff
    }

    /// Cancels a record (freeing its seat for the first in line).
    pub(super) fn cancel_record(
        &self,
        changes: &mut Changes<'_>,
        old: DeskRecord,
        check: Option<&str>,
        reason: String,
    ) -> Result<(), ServiceError> {
        self.cancel_as(changes, old.clone(), old, check, reason)
    }

    /// Cancels `old`, saving `cancelled` (old's state, maybe with a newer booking version)
    /// as cancelled.
    fn cancel_as(
        &self,
        changes: &mut Changes<'_>,
        old: DeskRecord,
        mut cancelled: DeskRecord,
        check: Option<&str>,
        reason: String,
    ) -> Result<(), ServiceError> {
        cancelled.status = AppointmentStatus::Cancelled;
        cancelled.check = check.map(str::to_owned);
        cancelled.reason = reason;
        cancelled.waiting_since = None;
        cancelled.offer_expires = None;
        changes.save(Some(&old), cancelled)?;
        if super::holds_seat(old.status) {
            self.offer_freed(changes, &old)?;
        }
        Ok(())
    }

    /// A seat of `freed`'s slot came free: the first in line for that day gets it offered.
    pub(super) fn offer_freed(
        &self,
        changes: &mut Changes<'_>,
        freed: &DeskRecord,
    ) -> Result<(), ServiceError> {
        if freed.start <= self.now() {
            return Ok(());
        }
        let Some(first) = changes.seats.first_waiting(&freed.schedule_id, &freed.date) else {
            return Ok(());
        };
        let Some(waiting) = changes.record(&first)? else {
            return Ok(());
        };
        let mut offered = waiting.clone();
        offered.status = AppointmentStatus::Offered;
        offered.start = freed.start;
        offered.end = freed.end;
        offered.waiting_since = None;
        offered.offer_expires = Some(self.now() + self.settings.offer_hold.as_millis() as i64);
        offered.reason = String::new();
        changes.save(Some(&waiting), offered)
    }
}
