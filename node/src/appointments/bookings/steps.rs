//! The patient's steps on a booking made here: cancel (until the schedule's cutoff), wait
//! for a place on a full day, take an offered place, or reschedule to another slot. Each is
//! checked here first; the facility's node decides.

use caremesh_federation::object::{AppointmentStatus, Booking, BookingAnswerContent, BookingStep};

use super::{AppointmentView, BookedRecord, NewBooking};
use crate::appointments::Appointments;
use crate::error::ServiceError;
use crate::members::Member;
use crate::objects;

impl Appointments {
    /// The patient (or a guardian) takes a step on a booking: cancel, wait for a place on a
    /// full day, or take an offered place. Checked here first; the facility decides.
    #[tracing::instrument(skip(self, member), fields(member = %member.id))]
    pub fn patient_step(
        &self,
        member: &Member,
        id: &str,
        step: BookingStep,
    ) -> Result<AppointmentView, ServiceError> {
        let mut record = self.booked(member, id)?;
        let (status, answer) = self.status_of(&record)?;
        self.check_step(&record, status, answer.as_ref(), step)?;
        let booking = objects::get::<Booking>(&*self.store, id)?
            .ok_or_else(|| ServiceError::not_found("appointment", id))?;
        record.content.step = step;
        if let (BookingStep::Take, Some(a)) = (step, &answer) {
            record.content.start = a.start;
            record.end = a.end;
        }
        self.send(member, Some(&booking), &mut record)?;
        self.view(&record)
    }

    fn check_step(
        &self,
        record: &BookedRecord,
        status: AppointmentStatus,
        answer: Option<&BookingAnswerContent>,
        step: BookingStep,
    ) -> Result<(), ServiceError> {
        let refuse = |why: String| Err(ServiceError::conflict(why));
        match step {
            BookingStep::Cancel if status.is_final() => {
                refuse(format!("the appointment is {} already", status.as_str()))
            }
            BookingStep::Cancel if status == AppointmentStatus::Confirmed => {
                let cutoff = self
                    .get_schedule(&record.content.schedule_id)
                    .map_or(0, |s| i64::from(s.cancel_cutoff_minutes) * 60_000);
                let start = answer.map_or(record.content.start, |a| a.start);
                if self.now() > start - cutoff {
                    return refuse(format!(
                        "too late to cancel: the facility takes cancels up to {} minutes before the slot (cutoff)",
                        cutoff / 60_000
                    ));
                }
                Ok(())
            }
            BookingStep::Cancel => Ok(()),
            BookingStep::Wait if status == AppointmentStatus::Refused => Ok(()),
            BookingStep::Wait => refuse(format!(
                "only a refused booking can wait for a place; this one is {}",
                status.as_str()
            )),
            BookingStep::Take
                if status == AppointmentStatus::Offered
                    && answer
                        .and_then(|a| a.offer_expires)
                        .is_some_and(|t| t >= self.now()) =>
            {
                Ok(())
            }
            BookingStep::Take => refuse("no place is offered to this booking now".into()),
            BookingStep::Book => {
                refuse("a booking is made once; book again for another slot".into())
            }
        }
    }

    /// Moves a confirmed appointment to another slot of the same facility: a new booking
    /// that replaces it once confirmed (the old one stays if the new slot is refused).
    #[tracing::instrument(skip(self, member), fields(member = %member.id))]
    pub fn reschedule(
        &self,
        member: &Member,
        id: &str,
        start: &str,
        service: Option<&str>,
    ) -> Result<AppointmentView, ServiceError> {
        let old = self.booked(member, id)?;
        let (status, _) = self.status_of(&old)?;
        if status != AppointmentStatus::Confirmed {
            return Err(ServiceError::conflict(format!(
                "only a confirmed appointment is rescheduled; this one is {}",
                status.as_str()
            )));
        }
        let new = NewBooking {
            facility_id: Some(old.content.facility_id.clone()),
            service: Some(service.unwrap_or(&old.service).to_owned()),
            start: Some(start.to_owned()),
            health_id: Some(old.content.health_id.clone()),
            note: Some(old.content.note.clone()),
        };
        self.book_replacing(member, &new, Some(old.booking_id))
    }
}
