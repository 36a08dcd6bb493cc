//! What the appointment service tells people in chat: each answer of a facility to a
//! booking made here (confirmed, refused, cancelled by the facility, a place offered), to
//! the person and every guardian; and the reminders the service hands over when due.
//! Notices carry the appointment's id only; it is read with the recipient's rights when
//! rendered, in their language.

use std::sync::Arc;

use caremesh_bots::notice::{AppointmentNews, Notice};
use caremesh_federation::object::BookingAnswer;

use super::health_notices::Addressed;
use super::records::ChatRecords;
use crate::appointments::ReminderSink;
use crate::appointments::reminders::Reminder;
use crate::services::Services;
use crate::store::Store;

/// The notices an answer stored here becomes: one per recipient and answer version (a
/// marker makes each go out once, across restarts and re-deliveries). Answers from nodes
/// other than the booking's facility are not told: the service ignores them too.
pub(super) fn answered(app: &Services, answer: &BookingAnswer) -> Vec<Addressed> {
    if answer.addressee != app.node.origin {
        return Vec::new();
    }
    let audience = app.appointments.audience(&answer.booking_id);
    let to = match audience {
        Ok(Some(to)) => to,
        Ok(None) => return Vec::new(),
        Err(e) => {
            tracing::warn!(object_id = %answer.meta.id, error = %e, "no audience for a booking answer");
            return Vec::new();
        }
    };
    let (id, version) = (&answer.meta.id, answer.meta.version);
    to.into_iter()
        .map(|handle| {
            let marker = Some(format!("appt:{id}:{version}:{handle}"));
            let notice = Notice::Appointment {
                appointment_id: answer.booking_id.clone(),
                news: AppointmentNews::Answered,
            };
            (handle, marker, notice)
        })
        .collect()
}

/// Where due reminders go: the chat queue, flushed (the fan-out sends what it holds, also
/// after a restart). The service marked each reminder sent before handing it over, so
/// none goes out twice.
pub fn reminder_sink(store: Arc<dyn Store>) -> ReminderSink {
    let records = ChatRecords::new(store.clone());
    Arc::new(move |reminder: Reminder| {
        let notice = Notice::Appointment {
            appointment_id: reminder.appointment.id.clone(),
            news: AppointmentNews::Reminder,
        };
        for handle in &reminder.to {
            if let Err(e) = records.enqueue(Some(handle), &notice) {
                tracing::warn!(appointment_id = %reminder.appointment.id, error = %e, "reminder not queued");
            }
        }
        if let Err(e) = store.flush() {
            tracing::warn!(error = %e, "queued reminders not flushed");
        }
        tracing::info!(
            appointment_id = %reminder.appointment.id,
            lead_minutes = reminder.lead.as_secs() / 60,
            members = reminder.to.len(),
            "appointment reminder queued"
        );
    })
}
