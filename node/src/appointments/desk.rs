//! The facility's desk: decides on the bookings addressed to this node's facilities. Every
//! decision runs under one lock, reads the seats in memory, writes the booking's sealed
//! record and updates the seats before the lock is released, so confirmed ≤ capacity holds
//! whatever order bookings from several nodes arrive in. The answers go out after one flush
//! shared by concurrent decisions: a record is on disk before its answer is.
//!
//! Records are `desk:<booking id>`; the seats are rebuilt from them at start, and bookings
//! that arrived without a decision (a crash between storing and deciding) are decided then.

mod decide;
mod seats;
mod staff;

use std::collections::BTreeSet;
use std::sync::{Mutex, MutexGuard};

use caremesh_federation::object::{
    AppointmentStatus, Booking, BookingAnswer, BookingAnswerContent, BookingContent, Kind, Meta,
};
use serde::{Deserialize, Serialize};
use tokio::sync::Notify;

use super::Appointments;
use crate::error::ServiceError;
use crate::objects;
pub use seats::{Seats, holds_seat};
pub use staff::AgendaItem;

/// The facility's view of one booking, as last decided.
#[derive(Clone, Serialize, Deserialize)]
pub struct DeskRecord {
    pub booking_id: String,
    /// The booking's node, where answers go.
    pub patient_node: String,
    /// The booking version last decided.
    pub booking_version: u64,
    /// The booking as that version said it.
    pub content: BookingContent,
    pub schedule_id: String,
    /// The slot held, offered or asked for, unix ms.
    pub start: i64,
    pub end: i64,
    /// The slot's local date (`YYYY-MM-DD`): its day's waiting list and agenda.
    pub date: String,
    pub status: AppointmentStatus,
    pub check: Option<String>,
    pub reason: String,
    pub next_free: Vec<i64>,
    pub waiting_since: Option<i64>,
    pub position: Option<u32>,
    pub offer_expires: Option<i64>,
    /// The answer this record calls for (published once the record is on disk).
    pub answer: Option<Meta>,
    pub updated_at: i64,
}

fn key(booking_id: &str) -> String {
    format!("desk:{booking_id}")
}

/// The desk's shared state: the seats behind the lock, and the days whose availability
/// must be published again.
#[derive(Default)]
pub struct Desk {
    seats: Mutex<Option<Seats>>,
    dirty: Mutex<BTreeSet<(String, String)>>,
    /// Answers whose record is on disk but whose publication failed, for the runner.
    unpublished: Mutex<BTreeSet<(Unpublished, String)>>,
    wake: Notify,
}

/// What an answer that failed to go out answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Unpublished {
    Booking,
    Order,
}

impl Desk {
    /// Marks a day of a schedule for its availability to be published again.
    fn mark_dirty(&self, schedule_id: &str, date: &str) {
        self.dirty
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert((schedule_id.to_owned(), date.to_owned()));
    }

    /// Takes the days marked so far.
    pub(super) fn take_dirty(&self) -> BTreeSet<(String, String)> {
        std::mem::take(&mut *self.dirty.lock().unwrap_or_else(|p| p.into_inner()))
    }

    /// Keeps the answer to `id` for the runner to publish again.
    pub(super) fn retry_later(&self, what: Unpublished, id: &str) {
        self.unpublished
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert((what, id.to_owned()));
    }

    /// Takes the answers to publish again.
    fn take_unpublished(&self) -> BTreeSet<(Unpublished, String)> {
        std::mem::take(&mut *self.unpublished.lock().unwrap_or_else(|p| p.into_inner()))
    }

    /// Wakes the availability publisher.
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// Waits until something was marked.
    pub async fn woken(&self) {
        self.wake.notified().await;
    }
}

/// Records changed under the lock, to be committed after it.
pub(super) struct Changes<'a> {
    app: &'a Appointments,
    pub(super) seats: &'a mut Seats,
    changed: Vec<DeskRecord>,
}

impl<'a> Changes<'a> {
    /// The newest state of a booking's record: changed in this batch, or as stored.
    pub(super) fn record(&self, booking_id: &str) -> Result<Option<DeskRecord>, ServiceError> {
        if let Some(r) = self
            .changed
            .iter()
            .rev()
            .find(|r| r.booking_id == booking_id)
        {
            return Ok(Some(r.clone()));
        }
        self.app.records.get("desk record", &key(booking_id))
    }

    /// Writes `new` (replacing `old`), with the next answer version, and updates the seats.
    pub(super) fn save(
        &mut self,
        old: Option<&DeskRecord>,
        mut new: DeskRecord,
    ) -> Result<(), ServiceError> {
        let now = self.app.now();
        new.answer = Some(
            self.app
                .next_meta(old.and_then(|o| o.answer.as_ref()), now)?,
        );
        new.updated_at = now;
        if let Some(old) = old {
            self.seats.forget(old);
        }
        self.seats.learn(&new);
        new.position = (new.status == AppointmentStatus::Waiting)
            .then(|| self.seats.position(&new))
            .flatten();
        self.app.records.put(&key(&new.booking_id), &new)?;
        self.changed.push(new);
        Ok(())
    }
}

impl Appointments {
    /// The seats, loaded from the records on first use.
    pub(super) fn seats(&self) -> Result<MutexGuard<'_, Option<Seats>>, ServiceError> {
        let mut guard = self.desk.seats.lock().unwrap_or_else(|p| p.into_inner());
        if guard.is_none() {
            let mut seats = Seats::default();
            for record in self.records.scan::<DeskRecord>("desk record", "desk:")? {
                seats.learn(&record);
            }
            *guard = Some(seats);
        }
        Ok(guard)
    }

    /// Runs `step` under the desk's lock, then commits what it changed.
    pub(super) fn at_desk<T>(
        &self,
        step: impl FnOnce(&mut Changes<'_>) -> Result<T, ServiceError>,
    ) -> Result<T, ServiceError> {
        let (out, changed) = {
            let mut guard = self.seats()?;
            let Some(seats) = guard.as_mut() else {
                return Err(ServiceError::conflict("the desk is not loaded"));
            };
            let mut changes = Changes {
                app: self,
                seats,
                changed: Vec::new(),
            };
            let out = step(&mut changes)?;
            (out, changes.changed)
        };
        self.commit(changed)?;
        Ok(out)
    }

    /// Decides on the newest version of a booking addressed to this node, unless that
    /// version was decided already.
    #[tracing::instrument(skip(self))]
    pub fn process_booking(&self, booking_id: &str) -> Result<(), ServiceError> {
        let Some(booking) = objects::get::<Booking>(&*self.store, booking_id)? else {
            return Ok(());
        };
        if booking.addressee != self.here() {
            return Ok(());
        }
        let content: BookingContent = match self.open(&booking.place(), &booking.sealed) {
            Ok(content) => content,
            Err(e) => {
                tracing::warn!(error = %e, "a stored booking does not open");
                return Ok(());
            }
        };
        self.at_desk(|changes| {
            let old = changes.record(booking_id)?;
            if old
                .as_ref()
                .is_some_and(|o| o.booking_version >= booking.meta.version)
            {
                return Ok(());
            }
            self.decide(changes, old, &booking, content)
        })
    }

    /// Makes the records durable, then publishes their answers and marks their days for
    /// the availability publisher.
    fn commit(&self, changed: Vec<DeskRecord>) -> Result<(), ServiceError> {
        if changed.is_empty() {
            return Ok(());
        }
        self.records.flush()?;
        for record in &changed {
            self.desk.mark_dirty(&record.schedule_id, &record.date);
            if let Err(e) = self.publish_answer(record) {
                tracing::error!(booking_id = %record.booking_id, error = %e, "answer not published; retried shortly");
                self.desk
                    .retry_later(Unpublished::Booking, &record.booking_id);
            }
        }
        self.desk.wake();
        Ok(())
    }

    /// Publishes the answer a record calls for, unless it (or a newer one) is out already.
    fn publish_answer(&self, record: &DeskRecord) -> Result<(), ServiceError> {
        let Some(meta) = &record.answer else {
            return Ok(());
        };
        if let Some(stored) = self.store.get_object(&meta.id)?
            && stored.object.version >= meta.version
        {
            return Ok(());
        }
        let content = BookingAnswerContent {
            health_id: record.content.health_id.clone(),
            booking_version: record.booking_version,
            status: record.status,
            start: record.start,
            end: record.end,
            check: record.check.clone(),
            reason: record.reason.clone(),
            next_free: record.next_free.clone(),
            offer_expires: record.offer_expires,
            position: record.position,
        };
        let sealed = self.seal(
            Kind::BookingAnswer,
            &meta.id,
            &record.patient_node,
            &content,
        )?;
        let answer = BookingAnswer {
            meta: meta.clone(),
            addressee: record.patient_node.clone(),
            booking_id: record.booking_id.clone(),
            sealed,
        };
        self.publisher.publish(&answer, None)?;
        tracing::info!(booking_id = %record.booking_id, status = record.status.as_str(), "booking answered");
        Ok(())
    }

    /// Publishes again the answers whose publication failed (their records are on disk);
    /// those failing again wait for the next call. Returns how many went out.
    pub fn retry_answers(&self) -> usize {
        let mut published = 0;
        for (what, id) in self.desk.take_unpublished() {
            let result = match what {
                Unpublished::Booking => self
                    .records
                    .get::<DeskRecord>("desk record", &key(&id))
                    .and_then(|r| r.map_or(Ok(()), |r| self.publish_answer(&r))),
                Unpublished::Order => self.republish_order_answer(&id),
            };
            match result {
                Ok(()) => published += 1,
                Err(e) => {
                    tracing::warn!(object_id = %id, error = %e, "answer still not published");
                    self.desk.retry_later(what, &id);
                }
            }
        }
        published
    }

    /// At start: publishes answers a crash kept back and returns the bookings addressed
    /// here that wait for a decision.
    pub fn recover_desk(&self) -> Result<Vec<String>, ServiceError> {
        drop(self.seats()?);
        let records = self.records.scan::<DeskRecord>("desk record", "desk:")?;
        let mut decided = std::collections::HashMap::new();
        for record in &records {
            self.publish_answer(record)?;
            self.desk.mark_dirty(&record.schedule_id, &record.date);
            decided.insert(record.booking_id.clone(), record.booking_version);
        }
        self.desk.wake();
        let mut pending = Vec::new();
        objects::visit::<Booking>(&*self.store, &mut |booking| {
            let done = decided.get(&booking.meta.id).copied().unwrap_or(0);
            if booking.addressee == self.here() && booking.meta.version > done {
                pending.push(booking.meta.id);
            }
            std::ops::ControlFlow::Continue(())
        })?;
        Ok(pending)
    }
}
