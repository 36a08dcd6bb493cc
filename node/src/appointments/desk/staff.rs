//! What the facility's staff do at the desk: the day's agenda, cancelling with a reason the
//! patient is told, marking arrivals and no-shows; and the desk's sweep of lapsed offers
//! and waiting lists of days gone by.

use caremesh_federation::object::AppointmentStatus;
use chrono::NaiveDate;
use serde::Serialize;

use super::{DeskRecord, holds_seat};
use crate::appointments::Appointments;
use crate::appointments::calendar;
use crate::appointments::people::shown;
use crate::appointments::schedules::may_manage;
use crate::error::ServiceError;
use crate::members::Member;

/// One line of a facility's agenda (`GET /api/v1/appointments?facility_id=&date=`), as its
/// staff see it. Serialized, it is the API's line but for its times, which the API adds in
/// the schedule's zone.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct AgendaItem {
    pub id: String,
    pub status: &'static str,
    pub facility_id: String,
    pub service: String,
    pub schedule_id: String,
    /// Unix ms.
    #[serde(skip)]
    pub start: i64,
    #[serde(skip)]
    pub end: i64,
    /// `XX-XXXX-XXXX-XXXX`.
    pub health_id: String,
    pub name: String,
    pub note: String,
    pub booked_by: String,
    /// The node the booking came from.
    pub patient_node: String,
    /// No-shows of this health ID at this node's facilities.
    pub no_shows: u32,
    pub check: Option<String>,
    pub reason: String,
}

impl Appointments {
    /// The agenda of one of this node's facilities on a local date: every booking of the
    /// day but refusals, by start, with each person's no-show count.
    pub fn agenda(
        &self,
        member: &Member,
        facility_id: &str,
        date: NaiveDate,
    ) -> Result<Vec<AgendaItem>, ServiceError> {
        if !may_manage(member, facility_id) {
            return Err(ServiceError::forbidden(
                "only staff of this facility (or an admin) read its agenda",
            ));
        }
        let records = self.records.scan::<DeskRecord>("desk record", "desk:")?;
        let day = date.format("%Y-%m-%d").to_string();
        let mut items: Vec<AgendaItem> = records
            .iter()
            .filter(|r| r.content.facility_id == facility_id && r.date == day)
            .filter(|r| r.status != AppointmentStatus::Refused)
            .map(|r| self.agenda_item(r, &records))
            .collect();
        items.sort_by(|a, b| (a.start, &a.id).cmp(&(b.start, &b.id)));
        Ok(items)
    }

    fn agenda_item(&self, r: &DeskRecord, all: &[DeskRecord]) -> AgendaItem {
        let no_shows = all
            .iter()
            .filter(|o| {
                o.status == AppointmentStatus::NoShow && o.content.health_id == r.content.health_id
            })
            .count() as u32;
        let service = crate::objects::get::<caremesh_federation::object::Schedule>(
            &*self.store,
            &r.schedule_id,
        )
        .ok()
        .flatten()
        .map(|s| s.service.name)
        .unwrap_or_default();
        AgendaItem {
            id: r.booking_id.clone(),
            status: r.status.as_str(),
            facility_id: r.content.facility_id.clone(),
            service,
            schedule_id: r.schedule_id.clone(),
            start: r.start,
            end: r.end,
            health_id: shown(&r.content.health_id),
            name: r.content.name.clone(),
            note: r.content.note.clone(),
            booked_by: r.content.booked_by.clone(),
            patient_node: r.patient_node.clone(),
            no_shows,
            check: r.check.clone(),
            reason: r.reason.clone(),
        }
    }

    /// Whether this node's desk holds the booking.
    pub fn desk_has(&self, booking_id: &str) -> Result<bool, ServiceError> {
        Ok(self
            .records
            .get::<DeskRecord>("desk record", &super::key(booking_id))?
            .is_some())
    }

    /// A staff action on a booking of their facility: `change` gets the record and says
    /// what it becomes, or why not.
    fn staff_action(
        &self,
        member: &Member,
        booking_id: &str,
        change: impl FnOnce(&DeskRecord) -> Result<DeskRecord, ServiceError>,
    ) -> Result<AgendaItem, ServiceError> {
        let record = self.at_desk(|changes| {
            let old = changes
                .record(booking_id)?
                .ok_or_else(|| ServiceError::not_found("appointment", booking_id))?;
            if !may_manage(member, &old.content.facility_id) {
                return Err(ServiceError::forbidden(
                    "only staff of the booked facility (or an admin) do this",
                ));
            }
            let new = change(&old)?;
            if new.status == AppointmentStatus::Cancelled {
                self.cancel_record(changes, old, new.check.as_deref(), new.reason.clone())?;
            } else {
                changes.save(Some(&old), new)?;
            }
            changes
                .record(booking_id)?
                .ok_or_else(|| ServiceError::not_found("appointment", booking_id))
        })?;
        Ok(self.agenda_item(&record, &[]))
    }

    /// The facility cancels a booking (any time), telling the patient why.
    #[tracing::instrument(skip(self, member, reason), fields(member = %member.id))]
    pub fn cancel_by_facility(
        &self,
        member: &Member,
        booking_id: &str,
        reason: &str,
    ) -> Result<AgendaItem, ServiceError> {
        let reason = reason.trim();
        if reason.is_empty() || reason.chars().count() > 500 {
            return Err(ServiceError::invalid(
                "reason",
                "is required when the facility cancels (1 to 500 characters): the patient is told",
            ));
        }
        self.staff_action(member, booking_id, |old| {
            if old.status.is_final() {
                return Err(ServiceError::conflict(format!(
                    "the appointment is {} already",
                    old.status.as_str()
                )));
            }
            let mut new = old.clone();
            new.status = AppointmentStatus::Cancelled;
            new.check = Some("facility".into());
            new.reason = reason.to_owned();
            Ok(new)
        })
    }

    /// Marks that the person came (`arrived`) or did not (`no_show`, once the slot began).
    #[tracing::instrument(skip(self, member), fields(member = %member.id))]
    pub fn mark_attendance(
        &self,
        member: &Member,
        booking_id: &str,
        status: AppointmentStatus,
    ) -> Result<AgendaItem, ServiceError> {
        let now = self.now();
        self.staff_action(member, booking_id, |old| {
            if !matches!(
                old.status,
                AppointmentStatus::Confirmed
                    | AppointmentStatus::Arrived
                    | AppointmentStatus::NoShow
            ) {
                return Err(ServiceError::conflict(format!(
                    "only confirmed appointments are marked; this one is {}",
                    old.status.as_str()
                )));
            }
            if status == AppointmentStatus::NoShow && now < old.start {
                return Err(ServiceError::conflict(
                    "the slot has not begun: a no-show is marked once it has",
                ));
            }
            let mut new = old.clone();
            new.status = status;
            new.check = None;
            Ok(new)
        })
    }

    /// Ends offers nobody took in time (the place goes to the next in line) and waiting
    /// lists of days that have passed. Returns how many bookings changed.
    pub fn sweep_desk(&self) -> Result<usize, ServiceError> {
        let now = self.now();
        self.at_desk(|changes| {
            let mut count = 0;
            for id in changes.seats.lapsed_offers(now) {
                let Some(old) = changes.record(&id)? else {
                    continue;
                };
                let mut lapsed = old.clone();
                lapsed.status = AppointmentStatus::Refused;
                lapsed.check = Some("offer_expired".into());
                lapsed.reason = "the offered place was not taken in time".into();
                lapsed.offer_expires = None;
                changes.save(Some(&old), lapsed)?;
                if holds_seat(old.status) {
                    self.offer_freed(changes, &old)?;
                }
                count += 1;
            }
            for (schedule_id, date) in changes.seats.waiting_days() {
                let today = self
                    .get_schedule(&schedule_id)
                    .ok()
                    .and_then(|s| calendar::zone(&s))
                    .and_then(|tz| calendar::local_date(tz, now))
                    .map(|d| d.format("%Y-%m-%d").to_string());
                if today.is_none_or(|today| date >= today) {
                    continue;
                }
                for id in changes.seats.waiting_on(&schedule_id, &date) {
                    let Some(old) = changes.record(&id)? else {
                        continue;
                    };
                    let mut ended = old.clone();
                    ended.status = AppointmentStatus::Refused;
                    ended.check = Some("day_passed".into());
                    ended.reason = "the day passed without a free place".into();
                    ended.waiting_since = None;
                    changes.save(Some(&old), ended)?;
                    count += 1;
                }
            }
            Ok(count)
        })
    }
}
