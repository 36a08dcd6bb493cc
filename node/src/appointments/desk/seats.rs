//! The desk's index, in memory: who holds a seat in which slot, who waits for which day,
//! which offers run until when. Rebuilt from the sealed desk records at start; changed only
//! under the desk's lock, together with the record it mirrors.

use std::collections::{BTreeSet, HashMap};

use caremesh_federation::object::AppointmentStatus;

use super::DeskRecord;

/// Seats, waiting lists and running offers.
#[derive(Default)]
pub struct Seats {
    /// (schedule id, slot start) → bookings holding a seat there.
    held: HashMap<(String, i64), BTreeSet<String>>,
    /// (schedule id, local date) → bookings waiting, first in line first.
    waiting: HashMap<(String, String), BTreeSet<(i64, String)>>,
    /// (expiry, booking id) of every running offer.
    offers: BTreeSet<(i64, String)>,
}

/// Whether a record in this status holds its slot's seat.
pub fn holds_seat(status: AppointmentStatus) -> bool {
    matches!(
        status,
        AppointmentStatus::Confirmed
            | AppointmentStatus::Offered
            | AppointmentStatus::Arrived
            | AppointmentStatus::NoShow
    )
}

impl Seats {
    /// Seats taken in a slot.
    pub fn taken(&self, schedule_id: &str, start: i64) -> usize {
        self.held
            .get(&(schedule_id.to_owned(), start))
            .map_or(0, BTreeSet::len)
    }

    /// How many wait for a day.
    pub fn waiting(&self, schedule_id: &str, date: &str) -> usize {
        self.waiting
            .get(&(schedule_id.to_owned(), date.to_owned()))
            .map_or(0, BTreeSet::len)
    }

    /// The first in line for a day.
    pub fn first_waiting(&self, schedule_id: &str, date: &str) -> Option<String> {
        self.waiting
            .get(&(schedule_id.to_owned(), date.to_owned()))
            .and_then(|q| q.first())
            .map(|(_, id)| id.clone())
    }

    /// A booking's place in its day's line, 1 first.
    pub fn position(&self, record: &DeskRecord) -> Option<u32> {
        let queue = self
            .waiting
            .get(&(record.schedule_id.clone(), record.date.clone()))?;
        queue
            .iter()
            .position(|(_, id)| *id == record.booking_id)
            .map(|p| p as u32 + 1)
    }

    /// Offers that ran out at `now`.
    pub fn lapsed_offers(&self, now: i64) -> Vec<String> {
        self.offers
            .iter()
            .take_while(|(expires, _)| *expires < now)
            .map(|(_, id)| id.clone())
            .collect()
    }

    /// Every day someone waits for: (schedule id, local date).
    pub fn waiting_days(&self) -> Vec<(String, String)> {
        self.waiting
            .iter()
            .filter(|(_, q)| !q.is_empty())
            .map(|(day, _)| day.clone())
            .collect()
    }

    /// Everyone waiting for a day, first in line first.
    pub fn waiting_on(&self, schedule_id: &str, date: &str) -> Vec<String> {
        self.waiting
            .get(&(schedule_id.to_owned(), date.to_owned()))
            .map(|q| q.iter().map(|(_, id)| id.clone()).collect())
            .unwrap_or_default()
    }

    /// Takes what `record` holds out of the index.
    pub fn forget(&mut self, record: &DeskRecord) {
        let id = &record.booking_id;
        if let Some(set) = self
            .held
            .get_mut(&(record.schedule_id.clone(), record.start))
        {
            set.remove(id);
        }
        if let (Some(since), Some(q)) = (
            record.waiting_since,
            self.waiting
                .get_mut(&(record.schedule_id.clone(), record.date.clone())),
        ) {
            q.remove(&(since, id.clone()));
        }
        if let Some(expires) = record.offer_expires {
            self.offers.remove(&(expires, id.clone()));
        }
    }

    /// Puts what `record` holds into the index.
    pub fn learn(&mut self, record: &DeskRecord) {
        let id = record.booking_id.clone();
        if holds_seat(record.status) {
            self.held
                .entry((record.schedule_id.clone(), record.start))
                .or_default()
                .insert(id.clone());
        }
        if record.status == AppointmentStatus::Waiting
            && let Some(since) = record.waiting_since
        {
            self.waiting
                .entry((record.schedule_id.clone(), record.date.clone()))
                .or_default()
                .insert((since, id.clone()));
        }
        if record.status == AppointmentStatus::Offered
            && let Some(expires) = record.offer_expires
        {
            self.offers.insert((expires, id));
        }
    }
}
