//! Appointments for chat, over the appointment service: the same rules as the API (who may
//! book for whom, staff of the facility for its agenda). Times go out as RFC 3339 in the
//! schedule's zone, so chat shows the facility's local time.

use caremesh_bots::port::{
    Account, AgendaLine, AppointmentInfo, AppointmentStep, Appointments, BookableInfo,
    BookingDraft, PortError, PortResult, ScheduleInfo, ScheduleInput, SlotInfo,
};
use caremesh_federation::object::{AppointmentStatus, BookingStep, Facility, Schedule};
use chrono::NaiveDate;
use chrono_tz::Tz;

use super::ChatNode;
use crate::appointments::calendar::{self, rfc3339 as local};
use crate::appointments::{AgendaItem, AppointmentView, NewBooking};
use crate::chat::views::facility_info;
use crate::error::ServiceError;
use crate::objects;

/// Minor units as major ones: 50000 → `500.00`.
pub(super) fn price(minor: i64) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", minor.abs() / 100, minor.abs() % 100)
}

/// Whether a schedule offers what a person typed: its name, kind or specialty. Chat has
/// already turned the words people use for a kind into its wire spelling (`ChatWord`).
fn offers(schedule: &Schedule, what: &str) -> bool {
    let what = what.trim().to_lowercase().replace(' ', "_");
    let service = &schedule.service;
    let kind = service.kind.as_str();
    let named = service.name.to_lowercase().replace(' ', "_");
    what.is_empty()
        || named.contains(&what)
        || kind == what
        || service
            .specialty
            .as_deref()
            .is_some_and(|s| s.to_lowercase().contains(&what))
}

fn parse_date(text: &str) -> PortResult<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| PortError::Invalid {
        field: "date".into(),
        problem: format!("must be a date YYYY-MM-DD, got `{text}`"),
    })
}

impl ChatNode {
    /// A bookable entry for a live schedule of a listed facility, seen from `at`.
    fn bookable_at(&self, s: &Schedule, at: (f64, f64)) -> Option<BookableInfo> {
        let facility = self.app.listings.get(&s.facility_id).ok()?;
        if facility.retracted || facility.meta.origin != s.meta.origin {
            return None;
        }
        let tz = calendar::zone(s)?;
        let today = calendar::local_date(tz, self.app.clock.now_ms())?;
        Some(BookableInfo {
            facility_id: facility.meta.id.clone(),
            distance_km: facility_info(&facility, Some(at)).distance_km,
            facility_name: facility.name,
            service: s.service.name.clone(),
            kind: s.service.kind.as_str().to_owned(),
            specialty: s.service.specialty.clone(),
            price: price(s.service.price_minor),
            currency: s.service.currency.clone(),
            today: today.format("%Y-%m-%d").to_string(),
        })
    }

    /// An appointment view as chat shows it, with the facility's place when listed here.
    fn info(&self, v: AppointmentView) -> AppointmentInfo {
        let facility: Option<Facility> = self.app.listings.get(&v.facility_id).ok();
        let card = facility.as_ref().map(|f| facility_info(f, None));
        let zone = v.time_zone.as_str();
        AppointmentInfo {
            start: local(v.start, zone),
            end: local(v.end, zone),
            next_free: v.next_free.iter().map(|t| local(*t, zone)).collect(),
            offer_expires: v.offer_expires.map(|t| local(t, zone)),
            place: card.as_ref().map(|c| (c.lat, c.lon)),
            address: card.map(|c| c.address).unwrap_or_default(),
            today: zone
                .parse::<Tz>()
                .ok()
                .and_then(|tz| calendar::local_date(tz, self.app.clock.now_ms()))
                .map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_default(),
            id: v.id,
            status: v.status.to_owned(),
            facility_id: v.facility_id,
            facility_name: v.facility_name,
            service: v.service,
            health_id: v.health_id,
            name: v.name,
            check: v.check,
            reason: v.reason,
            position: v.position,
        }
    }

    /// The zone of a facility of this node: its first schedule's, else its country's.
    pub(super) fn zone_of(&self, facility_id: &str) -> PortResult<Tz> {
        let schedules = self.app.appointments.schedules_of(facility_id)?;
        if let Some(tz) = schedules.first().and_then(calendar::zone) {
            return Ok(tz);
        }
        let facility = self.app.listings.get(facility_id)?;
        Ok(calendar::country_zone(&facility.address.country)
            .and_then(|z| z.parse().ok())
            .unwrap_or(Tz::UTC))
    }
}

fn schedule_info(s: Schedule) -> ScheduleInfo {
    ScheduleInfo {
        days: s.days.iter().map(|d| d.as_str().to_owned()).collect(),
        start: calendar::hhmm(s.start_min),
        end: calendar::hhmm(s.end_min),
        slot_minutes: s.slot_minutes,
        capacity: s.capacity,
        price: price(s.service.price_minor),
        kind: s.service.kind.as_str().to_owned(),
        id: s.meta.id,
        service: s.service.name,
        currency: s.service.currency,
        time_zone: s.time_zone,
    }
}

fn agenda_line(item: AgendaItem, zone: Tz) -> AgendaLine {
    AgendaLine {
        start: local(item.start, zone.name()),
        id: item.id,
        status: item.status.to_owned(),
        service: item.service,
        name: item.name,
        health_id: item.health_id,
        no_shows: item.no_shows,
    }
}

#[async_trait::async_trait]
impl Appointments for ChatNode {
    async fn bookable(
        &self,
        what: &str,
        at: (f64, f64),
        limit: usize,
    ) -> PortResult<Vec<BookableInfo>> {
        let schedules = objects::list::<Schedule>(&*self.store)?;
        let mut found: Vec<BookableInfo> = schedules
            .iter()
            .filter(|s| !s.retracted && offers(s, what))
            .filter_map(|s| self.bookable_at(s, at))
            .collect();
        found.sort_by(|a, b| {
            let d = |x: &BookableInfo| x.distance_km.unwrap_or(f64::MAX);
            d(a).total_cmp(&d(b))
                .then_with(|| a.service.cmp(&b.service))
        });
        found.truncate(limit);
        Ok(found)
    }

    async fn free_slots(
        &self,
        facility_id: &str,
        service: &str,
        date: &str,
    ) -> PortResult<Vec<SlotInfo>> {
        let slots = self
            .app
            .appointments
            .slots(facility_id, parse_date(date)?, Some(service))?;
        Ok(slots
            .slots
            .into_iter()
            .filter(|s| s.free > 0)
            .map(|s| SlotInfo {
                start: local(s.start, &s.time_zone),
                free: s.free,
            })
            .collect())
    }

    async fn book(&self, by: &Account, draft: BookingDraft) -> PortResult<AppointmentInfo> {
        let new = NewBooking {
            facility_id: Some(draft.facility_id),
            service: Some(draft.service),
            start: Some(draft.start),
            health_id: draft.health_id,
            note: None,
        };
        let view = self.app.appointments.book(&self.member(by)?, &new)?;
        Ok(self.info(view))
    }

    async fn appointments(&self, by: &Account) -> PortResult<Vec<AppointmentInfo>> {
        let views = self.app.appointments.my_appointments(&self.member(by)?)?;
        Ok(views.into_iter().map(|v| self.info(v)).collect())
    }

    async fn appointment(&self, by: &Account, id: &str) -> PortResult<AppointmentInfo> {
        let view = self
            .app
            .appointments
            .my_appointment(&self.member(by)?, id)?;
        Ok(self.info(view))
    }

    async fn appointment_step(
        &self,
        by: &Account,
        id: &str,
        step: AppointmentStep,
    ) -> PortResult<AppointmentInfo> {
        let step = match step {
            AppointmentStep::Cancel => BookingStep::Cancel,
            AppointmentStep::Wait => BookingStep::Wait,
            AppointmentStep::Take => BookingStep::Take,
        };
        let member = self.member(by)?;
        let view = self.app.appointments.patient_step(&member, id, step)?;
        Ok(self.info(view))
    }

    async fn reschedule(&self, by: &Account, id: &str, start: &str) -> PortResult<AppointmentInfo> {
        let member = self.member(by)?;
        let view = self.app.appointments.reschedule(&member, id, start, None)?;
        Ok(self.info(view))
    }

    async fn agenda(&self, by: &Account, date: Option<&str>) -> PortResult<Vec<AgendaLine>> {
        let member = self.member(by)?;
        let facility_id = member.facility_id.clone().ok_or_else(|| {
            PortError::from(ServiceError::forbidden(
                "the agenda is kept by staff of a facility; your account names none",
            ))
        })?;
        let zone = self.zone_of(&facility_id)?;
        let date = match date {
            Some(text) => parse_date(text)?,
            None => calendar::local_date(zone, self.app.clock.now_ms())
                .ok_or_else(|| ServiceError::invalid("date", "today cannot be told"))?,
        };
        let items = self.app.appointments.agenda(&member, &facility_id, date)?;
        Ok(items.into_iter().map(|i| agenda_line(i, zone)).collect())
    }

    async fn staff_today(&self, by: &Account) -> PortResult<Option<String>> {
        let member = self.member(by)?;
        let Some(facility_id) = member.facility_id else {
            return Ok(None);
        };
        let zone = self.zone_of(&facility_id)?;
        let today = calendar::local_date(zone, self.app.clock.now_ms());
        Ok(today.map(|d| d.format("%Y-%m-%d").to_string()))
    }

    async fn attendance(&self, by: &Account, id: &str, arrived: bool) -> PortResult<AgendaLine> {
        let member = self.member(by)?;
        let status = if arrived {
            AppointmentStatus::Arrived
        } else {
            AppointmentStatus::NoShow
        };
        let item = self.app.appointments.mark_attendance(&member, id, status)?;
        let zone = self.zone_of(&item.facility_id)?;
        Ok(agenda_line(item, zone))
    }

    async fn schedules(&self, facility_id: &str) -> PortResult<Vec<ScheduleInfo>> {
        let schedules = self.app.appointments.schedules_of(facility_id)?;
        Ok(schedules.into_iter().map(schedule_info).collect())
    }

    async fn add_schedule(
        &self,
        by: &Account,
        facility_id: &str,
        draft: ScheduleInput,
    ) -> PortResult<ScheduleInfo> {
        let member = self.member(by)?;
        let schedule = self
            .app
            .appointments
            .create_schedule(&member, facility_id, &draft)?;
        Ok(schedule_info(schedule))
    }

    async fn remove_schedule(&self, by: &Account, schedule_id: &str) -> PortResult<ScheduleInfo> {
        let member = self.member(by)?;
        let schedule = self
            .app
            .appointments
            .retract_schedule(&member, schedule_id)?;
        Ok(schedule_info(schedule))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_in_major_units() {
        assert_eq!(price(50000), "500.00");
        assert_eq!(price(5), "0.05");
        assert_eq!(price(-120), "-1.20");
        // 2026-11-30T04:30:00Z is 10:00 in Kolkata.
        assert_eq!(
            local(1_796_013_000_000, "Asia/Kolkata"),
            "2026-11-30T10:00:00+05:30"
        );
        assert_eq!(
            local(1_796_013_000_000, "Nowhere/City"),
            "2026-11-30T04:30:00+00:00"
        );
    }
}
