//! Reminders of confirmed appointments made here, the day before and two hours before (the
//! leads are settings), to the person (when they have an account) and every guardian. A
//! reminder whose time passed before the appointment was confirmed goes out at once, and
//! of several due at once only the nearest: a person hears at most one reminder per lead.
//! The leads sent are kept in the booking's record, so a restart sends nothing twice.
//!
//! Each tick reads only the bookings that can be due ([`Upcoming`]): an index of the
//! bookings made here by the slot asked for, loaded once from the records and kept as
//! bookings are made, so the work follows what is near, not every booking ever made.

use std::collections::BTreeSet;
use std::sync::Mutex;
use std::time::Duration;

use caremesh_federation::object::AppointmentStatus;

use super::Appointments;
use super::bookings::{AppointmentView, BookedRecord};
use crate::error::ServiceError;

/// A reminder to deliver.
#[derive(Clone, Debug)]
pub struct Reminder {
    /// Members to tell (the person and their guardians).
    pub to: Vec<String>,
    pub appointment: AppointmentView,
    /// How long before the slot it was due.
    pub lead: Duration,
}

/// A day, in ms: an offer from the waiting list is a slot of the day asked for, so an
/// appointment starts less than a day from the slot its booking asked.
const DAY_MS: i64 = 24 * 3600 * 1000;

/// The bookings made here by the slot they asked for: `(asked start, booking id)`. `None`
/// until first read (then loaded from the records).
#[derive(Default)]
pub struct Upcoming(Mutex<Option<BTreeSet<(i64, String)>>>);

impl Upcoming {
    /// Notes a booking made here (a no-op until loaded: the load reads it then).
    pub fn add(&self, asked: i64, booking_id: &str) {
        let mut guard = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(set) = guard.as_mut() {
            set.insert((asked, booking_id.to_owned()));
        }
    }

    /// The bookings that may start by `horizon`, after forgetting those surely over at
    /// `now`; `load` gives every booking the first time.
    fn within(
        &self,
        now: i64,
        horizon: i64,
        load: impl FnOnce() -> Result<BTreeSet<(i64, String)>, ServiceError>,
    ) -> Result<Vec<String>, ServiceError> {
        let mut guard = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if guard.is_none() {
            *guard = Some(load()?);
        }
        let Some(set) = guard.as_mut() else {
            return Ok(Vec::new());
        };
        *set = set.split_off(&(now - DAY_MS, String::new()));
        Ok(set
            .range(..(horizon + DAY_MS, String::new()))
            .map(|(_, id)| id.clone())
            .collect())
    }
}

/// The leads (longest first) due at `now` for a slot starting at `start` and not sent yet;
/// the nearest one is the one to send.
fn due(leads: &[Duration], reminded: &[u64], start: i64, now: i64) -> Vec<u64> {
    if now >= start {
        return Vec::new();
    }
    leads
        .iter()
        .map(Duration::as_secs)
        .filter(|lead| !reminded.contains(lead))
        .filter(|lead| now >= start - *lead as i64 * 1000)
        .collect()
}

impl Appointments {
    /// The reminders due now; each is marked sent (durably) before it is returned.
    pub fn due_reminders(&self) -> Result<Vec<Reminder>, ServiceError> {
        let now = self.now();
        let mut out = Vec::new();
        for mut record in self.upcoming_records(now)? {
            let Some(answer) = self.answer_to(&record)? else {
                continue;
            };
            if answer.status != AppointmentStatus::Confirmed {
                continue;
            }
            let leads = due(
                &self.settings.reminder_leads,
                &record.reminded,
                answer.start,
                now,
            );
            let Some(nearest) = leads.iter().min().copied() else {
                continue;
            };
            record.reminded.extend(leads);
            self.records
                .put(&format!("booked:{}", record.booking_id), &record)?;
            out.push(Reminder {
                to: self.told(&record)?,
                appointment: self.view(&record)?,
                lead: Duration::from_secs(nearest),
            });
        }
        if !out.is_empty() {
            self.records.flush()?;
            tracing::info!(count = out.len(), "appointment reminders due");
        }
        Ok(out)
    }

    /// The records of the bookings made here that may be due by the longest lead.
    pub(super) fn upcoming_records(&self, now: i64) -> Result<Vec<BookedRecord>, ServiceError> {
        let longest = self
            .settings
            .reminder_leads
            .iter()
            .max()
            .map_or(0, |d| d.as_millis() as i64);
        let ids = self.upcoming.within(now, now + longest, || {
            Ok(self
                .records
                .scan::<BookedRecord>("booked record", "booked:")?
                .into_iter()
                .map(|r| (r.content.start, r.booking_id))
                .collect())
        })?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(r) = self
                .records
                .get::<BookedRecord>("booked record", &format!("booked:{id}"))?
            {
                out.push(r);
            }
        }
        Ok(out)
    }
}

impl Appointments {
    /// Handles of the members told about a booking made here: the person and every
    /// guardian, or whoever booked when the person has no account here.
    fn told(&self, record: &BookedRecord) -> Result<Vec<String>, ServiceError> {
        let mut to = self.people.to_tell(&record.content.health_id)?;
        if to.is_empty() {
            to.push(record.content.booked_by.clone());
        }
        to.sort();
        to.dedup();
        Ok(to)
    }

    /// Who hears about booking `booking_id` (chat notices of the facility's answers);
    /// `None` when it was not made here.
    pub fn audience(&self, booking_id: &str) -> Result<Option<Vec<String>>, ServiceError> {
        let record: Option<BookedRecord> = self
            .records
            .get("booked record", &super::bookings::key(booking_id))?;
        record.map(|r| self.told(&r)).transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const H: u64 = 3600;

    #[test]
    fn the_nearest_due_lead_is_sent_once() {
        let leads = [Duration::from_secs(24 * H), Duration::from_secs(2 * H)];
        let start = 100 * H as i64 * 1000;
        let at = |hours_before: i64| start - hours_before * H as i64 * 1000;
        assert!(due(&leads, &[], start, at(30)).is_empty());
        assert_eq!(due(&leads, &[], start, at(20)), vec![24 * H]);
        assert!(due(&leads, &[24 * H], start, at(20)).is_empty());
        assert_eq!(due(&leads, &[24 * H], start, at(1)), vec![2 * H]);
        // Booked an hour before: both are due, the nearest (2 h) is sent.
        assert_eq!(due(&leads, &[], start, at(1)), vec![24 * H, 2 * H]);
        // Nothing once the slot began.
        assert!(due(&leads, &[], start, start).is_empty());
    }

    #[test]
    fn a_tick_reads_only_bookings_near_enough_to_be_due() {
        let up = Upcoming::default();
        let now = 100 * DAY_MS;
        let all = BTreeSet::from([
            (now - 3 * DAY_MS, "over".to_owned()),
            (now + DAY_MS / 2, "soon".to_owned()),
            (now + 30 * DAY_MS, "later".to_owned()),
        ]);
        let read = up.within(now, now + DAY_MS, || Ok(all)).unwrap();
        assert_eq!(read, ["soon"]);
        up.add(now + DAY_MS, "tomorrow");
        let read = up
            .within(now, now + DAY_MS, || panic!("loaded once"))
            .unwrap();
        assert_eq!(read, ["soon", "tomorrow"]);
        let kept = up.0.lock().unwrap().clone().unwrap();
        assert_eq!(kept.len(), 3, "the one surely over is forgotten: {kept:?}");
    }
}
