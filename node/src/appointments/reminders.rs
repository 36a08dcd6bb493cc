//! Reminders of confirmed appointments made here, the day before and two hours before (the
//! leads are settings), to the person (when they have an account) and every guardian. A
//! reminder whose time passed before the appointment was confirmed goes out at once, and
//! of several due at once only the nearest: a person hears at most one reminder per lead.
//! The leads sent are kept in the booking's record, so a restart sends nothing twice.

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
        for mut record in self
            .records
            .scan::<BookedRecord>("booked record", "booked:")?
        {
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
}
