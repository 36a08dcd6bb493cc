//! The patient's side: a patient or guardian books a slot of any node's facility, then
//! cancels, waits for a place, takes an offered one or reschedules. Each step is a version
//! of the booking object, sealed to the facility's node; the booking's state is the newest
//! answer of that node (only that node's answers count), or `requested` until one comes.
//!
//! What this node keeps beside the object is `booked:<booking id>`, sealed: what was asked
//! (the booking's content is sealed to the facility's node, which this node cannot open)
//! and which reminders went out.

use caremesh_federation::object::{
    AppointmentStatus, Booking, BookingAnswer, BookingAnswerContent, BookingContent, BookingStep,
    Kind,
};
use chrono::DateTime;
use serde::{Deserialize, Serialize};

mod steps;

use super::Appointments;
use super::fields::{required, short_text};
use super::people::shown;
use crate::error::ServiceError;
use crate::members::Member;
use crate::objects;

/// What a patient or guardian gives to book (`POST /api/v1/appointments`).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewBooking {
    pub facility_id: Option<String>,
    /// The service's name, as the facility's schedules and slots show it.
    pub service: Option<String>,
    /// The slot's start, RFC 3339 (as the slots list gives it).
    pub start: Option<String>,
    /// The person's health ID; the caller's own when absent.
    pub health_id: Option<String>,
    pub note: Option<String>,
}

/// What this node keeps about a booking it made.
#[derive(Clone, Serialize, Deserialize)]
pub struct BookedRecord {
    pub booking_id: String,
    /// The member who booked.
    pub member_id: String,
    /// The newest version sent.
    pub content: BookingContent,
    pub facility_name: String,
    /// The facility's node, the only one whose answers count.
    pub facility_node: String,
    pub service: String,
    pub time_zone: String,
    /// The end of the slot asked for.
    pub end: i64,
    /// Reminder leads (seconds) already sent.
    pub reminded: Vec<u64>,
    pub created_at: i64,
}

/// An appointment as its patient and guardians see it. Serialized, it is the API's answer
/// but for its times, which the API adds in the facility's zone.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct AppointmentView {
    /// ULID of the booking.
    pub id: String,
    /// requested, confirmed, refused, waiting, offered, cancelled, arrived, no_show.
    pub status: &'static str,
    pub facility_id: String,
    pub facility_name: String,
    pub service: String,
    /// Unix ms.
    #[serde(skip)]
    pub start: i64,
    #[serde(skip)]
    pub end: i64,
    /// The facility's IANA zone.
    pub time_zone: String,
    /// `XX-XXXX-XXXX-XXXX`.
    pub health_id: String,
    pub name: String,
    pub note: String,
    /// Handle of the member who booked.
    pub booked_by: String,
    /// A step sent and not answered yet (`cancel`, `wait`, `take`).
    pub pending: Option<&'static str>,
    /// With a refusal: the check that failed (`full`, `closed`, ...).
    pub check: Option<String>,
    pub reason: String,
    #[serde(skip)]
    pub next_free: Vec<i64>,
    #[serde(skip)]
    pub offer_expires: Option<i64>,
    /// With `waiting`: the place in line (1 is next).
    pub position: Option<u32>,
    /// The booking this one replaces (a reschedule).
    pub replaces: Option<String>,
    #[serde(skip)]
    pub created_at: i64,
}

pub(super) fn key(booking_id: &str) -> String {
    format!("booked:{booking_id}")
}

/// Parses a slot's start: RFC 3339 with its offset.
pub fn parse_start(text: &str) -> Result<i64, ServiceError> {
    DateTime::parse_from_rfc3339(text.trim())
        .map(|t| t.timestamp_millis())
        .map_err(|_| {
            ServiceError::invalid(
                "start",
                format!("must be a slot's start in RFC 3339 with its offset (as the slots list gives it), got `{text}`"),
            )
        })
}

impl Appointments {
    /// Books a slot for the caller or someone they guard; the facility's node answers.
    #[tracing::instrument(skip_all, fields(member = %member.id))]
    pub fn book(&self, member: &Member, new: &NewBooking) -> Result<AppointmentView, ServiceError> {
        self.book_replacing(member, new, None)
    }

    fn book_replacing(
        &self,
        member: &Member,
        new: &NewBooking,
        replaces: Option<String>,
    ) -> Result<AppointmentView, ServiceError> {
        let facility_id = required(&new.facility_id, "facility_id")?;
        let service = required(&new.service, "service")?;
        let start = parse_start(required(&new.start, "start")?)?;
        let note = short_text(&new.note, "note")?;
        let person = self.people.person(member, new.health_id.as_deref())?;
        let facility = self.known_facility(facility_id)?;
        let (schedule, slot) = self.schedule_for(facility_id, service, start)?;
        if slot.start <= self.now() {
            return Err(ServiceError::invalid(
                "start",
                "is in the past: the slot has begun",
            ));
        }
        let content = BookingContent {
            facility_id: facility_id.to_owned(),
            schedule_id: schedule.meta.id.clone(),
            start: slot.start,
            health_id: person.health_id,
            name: person.name,
            booked_by: member.handle.clone(),
            note,
            step: BookingStep::Book,
            replaces,
        };
        let mut record = BookedRecord {
            booking_id: String::new(),
            member_id: member.id.clone(),
            content,
            facility_name: facility.name,
            facility_node: schedule.meta.origin.clone(),
            service: schedule.service.name.clone(),
            time_zone: schedule.time_zone.clone(),
            end: slot.end,
            reminded: Vec::new(),
            created_at: self.now(),
        };
        self.send(member, None, &mut record)?;
        tracing::info!(booking_id = %record.booking_id, "booking sent");
        self.view(&record)
    }

    /// Publishes the record's content as the next version of its booking (the first when
    /// `previous` is `None`), after writing the record.
    fn send(
        &self,
        member: &Member,
        previous: Option<&Booking>,
        record: &mut BookedRecord,
    ) -> Result<Booking, ServiceError> {
        let meta = self.next_meta(previous.map(|b| &b.meta), self.now())?;
        record.booking_id = meta.id.clone();
        let sealed = self.seal(
            Kind::Booking,
            &meta.id,
            &record.facility_node,
            &record.content,
        )?;
        let booking = Booking {
            meta,
            addressee: record.facility_node.clone(),
            sealed,
        };
        self.records.put(&key(&record.booking_id), record)?;
        self.upcoming.add(record.content.start, &record.booking_id);
        let owner = previous.is_none().then_some(member.handle.as_str());
        self.publisher.publish(&booking, owner)?;
        Ok(booking)
    }

    /// A booking made here, for a member who holds or guards its person.
    fn booked(&self, member: &Member, id: &str) -> Result<BookedRecord, ServiceError> {
        let record: BookedRecord = self
            .records
            .get("booked record", &key(id))?
            .ok_or_else(|| ServiceError::not_found("appointment", id))?;
        if record.member_id != member.id
            && !self.people.acts_for(member, &record.content.health_id)?
        {
            return Err(ServiceError::not_found("appointment", id));
        }
        Ok(record)
    }

    /// The facility's newest answer to a booking made here, opened; only answers of the
    /// facility's node count.
    pub(super) fn answer_to(
        &self,
        record: &BookedRecord,
    ) -> Result<Option<BookingAnswerContent>, ServiceError> {
        let newest = objects::children::<BookingAnswer>(&*self.store, &record.booking_id)?
            .into_iter()
            .filter(|a| a.meta.origin == record.facility_node && a.addressee == self.here())
            .max_by_key(|a| a.meta.version);
        let Some(answer) = newest else {
            return Ok(None);
        };
        let content: BookingAnswerContent = self.open(&answer.place(), &answer.sealed)?;
        Ok((content.health_id == record.content.health_id).then_some(content))
    }

    /// The view of a booking made here.
    pub(super) fn view(&self, record: &BookedRecord) -> Result<AppointmentView, ServiceError> {
        let version = objects::get::<Booking>(&*self.store, &record.booking_id)?
            .map_or(0, |b| b.meta.version);
        let answer = self.answer_to(record)?;
        let answered = answer.as_ref().map_or(0, |a| a.booking_version);
        let c = &record.content;
        let mut view = AppointmentView {
            id: record.booking_id.clone(),
            status: AppointmentStatus::Requested.as_str(),
            facility_id: c.facility_id.clone(),
            facility_name: record.facility_name.clone(),
            service: record.service.clone(),
            start: c.start,
            end: record.end,
            time_zone: record.time_zone.clone(),
            health_id: shown(&c.health_id),
            name: c.name.clone(),
            note: c.note.clone(),
            booked_by: c.booked_by.clone(),
            pending: (version > answered && answered > 0).then_some(c.step.as_str()),
            check: None,
            reason: String::new(),
            next_free: Vec::new(),
            offer_expires: None,
            position: None,
            replaces: c.replaces.clone(),
            created_at: record.created_at,
        };
        if let Some(a) = answer {
            view.status = a.status.as_str();
            view.start = a.start;
            view.end = a.end;
            view.check = a.check;
            view.reason = a.reason;
            view.next_free = a.next_free;
            view.offer_expires = a.offer_expires;
            view.position = a.position;
        }
        Ok(view)
    }

    /// The status a booking made here has now.
    fn status_of(
        &self,
        record: &BookedRecord,
    ) -> Result<(AppointmentStatus, Option<BookingAnswerContent>), ServiceError> {
        let answer = self.answer_to(record)?;
        Ok((
            answer
                .as_ref()
                .map_or(AppointmentStatus::Requested, |a| a.status),
            answer,
        ))
    }

    /// The appointments made here for people the member holds or guards, soonest first.
    pub fn my_appointments(&self, member: &Member) -> Result<Vec<AppointmentView>, ServiceError> {
        let mut out = Vec::new();
        for record in self
            .records
            .scan::<BookedRecord>("booked record", "booked:")?
        {
            if record.member_id == member.id
                || self.people.acts_for(member, &record.content.health_id)?
            {
                out.push(self.view(&record)?);
            }
        }
        out.sort_by_key(|v| (v.start, v.id.clone()));
        Ok(out)
    }

    /// One appointment made here.
    pub fn my_appointment(
        &self,
        member: &Member,
        id: &str,
    ) -> Result<AppointmentView, ServiceError> {
        self.view(&self.booked(member, id)?)
    }

    /// Whether a booking was made on this node.
    pub fn booked_here(&self, id: &str) -> Result<bool, ServiceError> {
        Ok(self
            .records
            .get::<BookedRecord>("booked record", &key(id))?
            .is_some())
    }
}
