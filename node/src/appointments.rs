//! Appointments: facilities publish schedules of bookable services (consultations,
//! vaccinations, lab tests); patients and guardians on any node book slots; only the
//! facility's node decides, and never confirms more people in a slot than it holds, also
//! when bookings from several nodes race (the same promise as the over-supply cap).
//!
//! - [`schedules`]: staff manage their facilities' schedules (public objects);
//! - [`slots`]: free places per slot, live on the facility's node, from the published
//!   availability elsewhere;
//! - [`bookings`]: the patient's side: book, cancel, wait, take an offered place,
//!   reschedule; the booking's state is the facility's newest answer;
//! - [`desk`]: the facility's side: every decision serialised under one lock, the seats
//!   and waiting lists in memory, rebuilt from sealed records at start;
//! - [`reminders`]: the day before and two hours before, to the person and every guardian.
//!
//! Bookings and answers are directed and sealed (they name a person); what this node keeps
//! about them beside the objects is sealed too ([`records`]). Nothing here logs a health
//! ID or a name: tracing fields carry ULIDs.

pub mod bookings;
pub mod calendar;
pub mod desk;
mod fields;
mod gate;
pub mod orders;
pub mod people;
pub mod records;
pub mod reminders;
pub mod rules;
mod runner;
pub mod schedules;
pub mod slots;

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use caremesh_federation::health_seal::{self, Place};
use caremesh_federation::object::{Facility, Kind, Meta};
use ed25519_dalek::VerifyingKey;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::clock::Clock;
use crate::error::ServiceError;
use crate::health::seal_keys::SealKeys;
use crate::health::vault::Vault;
use crate::identities::Identities;
use crate::objects::{self, Publisher, bump};
use crate::store::Store;
use people::People;
use records::Records;

pub use bookings::{AppointmentView, NewBooking};
pub use desk::{AgendaItem, Desk};
pub use orders::{NewOrder, OrderView};
pub use runner::ReminderSink;
pub use schedules::ScheduleInput;
pub use slots::{SlotView, Slots};

/// What the appointment service may be tuned with (`[appointments]` in the config).
#[derive(Clone, Debug)]
pub struct Settings {
    /// How long a place offered to the first in line is held for them.
    pub offer_hold: Duration,
    /// How long before a slot reminders go out, longest first.
    pub reminder_leads: Vec<Duration>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            offer_hold: Duration::from_secs(15 * 60),
            reminder_leads: vec![
                Duration::from_secs(24 * 3600),
                Duration::from_secs(2 * 3600),
            ],
        }
    }
}

/// The appointment service of one node: both sides, the patient's and the facility's.
#[derive(Clone)]
pub struct Appointments {
    store: Arc<dyn Store>,
    publisher: Publisher,
    clock: Arc<dyn Clock>,
    records: Records,
    identities: Identities,
    people: Arc<dyn People>,
    desk: Arc<Desk>,
    settings: Settings,
    /// Serialises schedule changes, so two overlapping schedules cannot both pass the check.
    schedules: Arc<Mutex<()>>,
    /// Serialises changes of the orders at this node's pharmacies.
    counter: Arc<Mutex<()>>,
    /// Bookings made here by their slot, for reminders.
    upcoming: Arc<reminders::Upcoming>,
    /// The keys that open what peers sealed here: health seals' ring (current, then
    /// recently retired), so a booking or order sealed before a key rotation still opens.
    seal_keys: SealKeys,
}

impl Appointments {
    /// The service over these ports; `vault` seals what it keeps about people.
    pub fn new(
        publisher: Publisher,
        clock: Arc<dyn Clock>,
        vault: Vault,
        people: Arc<dyn People>,
        settings: Settings,
    ) -> Self {
        let store = publisher.store().clone();
        Self {
            records: Records::new(store.clone(), vault),
            seal_keys: SealKeys::of(publisher.keys()),
            identities: Identities::new(store.clone()),
            store,
            publisher,
            clock,
            people,
            desk: Arc::new(Desk::default()),
            settings,
            schedules: Arc::default(),
            counter: Arc::default(),
            upcoming: Arc::default(),
        }
    }

    fn now(&self) -> i64 {
        self.clock.now_ms()
    }

    fn here(&self) -> &str {
        self.publisher.origin()
    }

    fn schedules_lock(&self) -> MutexGuard<'_, ()> {
        self.schedules.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The settings in force.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The meta of an object's next version (of `previous`), or of a new object.
    fn next_meta(&self, previous: Option<&Meta>, now: i64) -> Result<Meta, ServiceError> {
        match previous {
            Some(meta) => bump(meta, now),
            None => Ok(self.publisher.new_meta(now)),
        }
    }

    /// A facility listed (not retracted) on any node, by the `facility_id` someone gave.
    fn known_facility(&self, facility_id: &str) -> Result<Facility, ServiceError> {
        objects::get::<Facility>(&*self.store, facility_id)?
            .filter(|f| !f.retracted)
            .ok_or_else(|| {
                ServiceError::invalid(
                    "facility_id",
                    format!("`{facility_id}` is not a known facility"),
                )
            })
    }

    /// The current key of `origin` (this node's own for itself), to seal for it.
    fn key_of(&self, origin: &str) -> Result<VerifyingKey, ServiceError> {
        if origin == self.here() {
            return Ok(self.publisher.key().public());
        }
        self.identities.current_key(origin)?.ok_or_else(|| {
            ServiceError::conflict(format!(
                "the key of {origin} is not known here yet; try again in a moment"
            ))
        })
    }

    /// Seals `content` for `to` at the place of object `id` of `kind`.
    fn seal<T: Serialize>(
        &self,
        kind: Kind,
        id: &str,
        to: &str,
        content: &T,
    ) -> Result<Vec<u8>, ServiceError> {
        let place = Place::new(kind, id, to);
        health_seal::seal(&self.key_of(to)?, &place, content).map_err(|e| ServiceError::Corrupt {
            id: id.to_owned(),
            problem: e.to_string(),
        })
    }

    /// Opens content sealed for this node at `place`, with the current key or a recently
    /// retired one (docs/health.md §3).
    fn open<T: DeserializeOwned>(&self, place: &Place, sealed: &[u8]) -> Result<T, ServiceError> {
        let opened = self.seal_keys.open(place, sealed, self.now());
        opened.map_err(|e| ServiceError::Corrupt {
            id: place.object_id.clone(),
            problem: e.to_string(),
        })
    }
}

#[cfg(test)]
mod tests;
