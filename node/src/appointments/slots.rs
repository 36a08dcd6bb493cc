//! Free places per slot, seen from any node. On the facility's node they come from the
//! desk's seats, live; elsewhere from the schedule plus the facility node's newest
//! `availability` object for that day, which it republishes (public, relayed like the
//! schedule) within a moment of every change. `as_of` says when the counts were true: now
//! on the facility's node, the availability's `updated_at` elsewhere (the schedule's when
//! nothing was booked that day yet).

use caremesh_federation::object::{Availability, Schedule, SlotTaken};
use chrono::NaiveDate;
use serde::Serialize;

use super::Appointments;
use super::calendar;
use crate::error::ServiceError;
use crate::objects::{self, bump};

/// One slot and its free places.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SlotView {
    /// Unix ms (the API writes RFC 3339 in the schedule's zone).
    pub start: i64,
    pub end: i64,
    pub free: u16,
    pub capacity: u16,
    pub service: String,
    pub schedule_id: String,
    /// The schedule's IANA zone.
    pub time_zone: String,
}

/// The slots of a facility on one day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Slots {
    pub slots: Vec<SlotView>,
    /// When the counts were true, unix ms.
    pub as_of: i64,
    /// `live` on the facility's node, `published` elsewhere.
    pub source: &'static str,
}

/// The key of the id of a day's availability object.
fn avail_key(schedule_id: &str, date: &str) -> String {
    format!("avail:{schedule_id}:{date}")
}

impl Appointments {
    /// The slots of a facility on a local date (the facility's), for one service (name,
    /// case-insensitive) or all; slots already begun are left out.
    pub fn slots(
        &self,
        facility_id: &str,
        date: NaiveDate,
        service: Option<&str>,
    ) -> Result<Slots, ServiceError> {
        let schedules = self.schedules_of(facility_id)?;
        let wanted = service.map(|s| s.trim().to_lowercase());
        let chosen: Vec<Schedule> = schedules
            .into_iter()
            .filter(|s| {
                wanted
                    .as_ref()
                    .is_none_or(|w| s.service.name.to_lowercase() == *w)
            })
            .collect();
        if let (Some(name), true) = (service, chosen.is_empty()) {
            return Err(ServiceError::invalid(
                "service",
                format!("`{name}` is not a bookable service of this facility"),
            ));
        }
        let live = chosen.first().is_some_and(|s| s.meta.origin == self.here());
        let now = self.now();
        let mut as_of = now;
        let mut slots = Vec::new();
        for schedule in &chosen {
            let Some(tz) = calendar::zone(schedule) else {
                continue;
            };
            let taken = if live {
                self.live_taken(schedule, tz, date)?
            } else {
                let (taken, at) = self.published_taken(schedule, date)?;
                as_of = as_of.min(at);
                taken
            };
            for slot in calendar::slots_on(schedule, tz, date) {
                if slot.start <= now {
                    continue;
                }
                let used = taken
                    .iter()
                    .find(|t| t.start == slot.start)
                    .map_or(0, |t| t.taken);
                slots.push(SlotView {
                    start: slot.start,
                    end: slot.end,
                    free: schedule.capacity.saturating_sub(used),
                    capacity: schedule.capacity,
                    service: schedule.service.name.clone(),
                    schedule_id: schedule.meta.id.clone(),
                    time_zone: schedule.time_zone.clone(),
                });
            }
        }
        slots.sort_by_key(|s| (s.start, s.service.clone()));
        Ok(Slots {
            slots,
            as_of,
            source: if live { "live" } else { "published" },
        })
    }

    /// Seats taken per slot of a day, from the desk (this node's schedules).
    fn live_taken(
        &self,
        schedule: &Schedule,
        tz: chrono_tz::Tz,
        date: NaiveDate,
    ) -> Result<Vec<SlotTaken>, ServiceError> {
        let guard = self.seats()?;
        let Some(seats) = guard.as_ref() else {
            return Ok(Vec::new());
        };
        Ok(calendar::slots_on(schedule, tz, date)
            .into_iter()
            .map(|slot| SlotTaken {
                start: slot.start,
                taken: seats.taken(&schedule.meta.id, slot.start) as u16,
            })
            .filter(|t| t.taken > 0)
            .collect())
    }

    /// Seats taken per slot of a day as the facility's node last published them, and when.
    fn published_taken(
        &self,
        schedule: &Schedule,
        date: NaiveDate,
    ) -> Result<(Vec<SlotTaken>, i64), ServiceError> {
        let day = date.format("%Y-%m-%d").to_string();
        let newest = objects::children::<Availability>(&*self.store, &schedule.meta.id)?
            .into_iter()
            .filter(|a| a.date == day && a.meta.origin == schedule.meta.origin)
            .max_by_key(|a| a.meta.updated_at);
        Ok(match newest {
            Some(a) => (a.taken, a.meta.updated_at),
            None => (Vec::new(), schedule.meta.updated_at),
        })
    }

    /// Publishes the availability of every day marked since the last call whose counts
    /// changed. Returns how many were published.
    pub fn publish_availability(&self) -> Result<usize, ServiceError> {
        let mut published = 0;
        for (schedule_id, date) in self.desk.take_dirty() {
            let Ok(day) = NaiveDate::parse_from_str(&date, "%Y-%m-%d") else {
                continue;
            };
            let Ok(schedule) = self.get_schedule(&schedule_id) else {
                continue;
            };
            if schedule.meta.origin != self.here() {
                continue;
            }
            let Some(tz) = calendar::zone(&schedule) else {
                continue;
            };
            let taken = self.live_taken(&schedule, tz, day)?;
            let waiting = {
                let guard = self.seats()?;
                guard.as_ref().map_or(0, |s| s.waiting(&schedule_id, &date)) as u16
            };
            if self.publish_day(&schedule_id, &date, taken, waiting)? {
                published += 1;
            }
        }
        Ok(published)
    }

    fn publish_day(
        &self,
        schedule_id: &str,
        date: &str,
        taken: Vec<SlotTaken>,
        waiting: u16,
    ) -> Result<bool, ServiceError> {
        let key = avail_key(schedule_id, date);
        let id: Option<String> = self.records.get("availability id", &key)?;
        let old = match &id {
            Some(id) => objects::get::<Availability>(&*self.store, id)?,
            None => None,
        };
        if old
            .as_ref()
            .is_some_and(|o| o.taken == taken && o.waiting == waiting)
            || (old.is_none() && taken.is_empty() && waiting == 0)
        {
            return Ok(false);
        }
        let now = self.now();
        let meta = match (&old, id) {
            (Some(o), _) => bump(&o.meta, now)?,
            (None, Some(id)) => caremesh_federation::Meta {
                id,
                ..self.publisher.new_meta(now)
            },
            (None, None) => {
                let meta = self.publisher.new_meta(now);
                self.records.put(&key, &meta.id)?;
                meta
            }
        };
        let availability = Availability {
            meta,
            schedule_id: schedule_id.to_owned(),
            date: date.to_owned(),
            taken,
            waiting,
        };
        self.publisher.publish(&availability, None)?;
        Ok(true)
    }
}
