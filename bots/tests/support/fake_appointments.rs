//! The appointment side of the fake node: bookable services, free slots per facility and
//! day, bookings recorded as they come (answered by the test, as the facility's node
//! would), steps, reschedules, and a staff agenda with attendance marks.

use std::collections::BTreeMap;

use caremesh_bots::port::*;

use super::{FakePort, not_found};

#[derive(Default)]
pub struct AppointmentsState {
    pub bookable: Vec<BookableInfo>,
    /// Free slots by (facility id, `YYYY-MM-DD`).
    pub slots: BTreeMap<(String, String), Vec<SlotInfo>>,
    /// Appointments by id, with the handle of who booked.
    pub booked: BTreeMap<String, (String, AppointmentInfo)>,
    pub drafts: Vec<BookingDraft>,
    pub steps: Vec<(String, AppointmentStep)>,
    pub moved: Vec<(String, String)>,
    pub agenda: Vec<AgendaLine>,
    /// Every day the agenda was asked for.
    pub agenda_days: Vec<Option<String>>,
    /// Schedules by facility id.
    pub schedules: BTreeMap<String, Vec<ScheduleInfo>>,
}

fn forbidden(reason: &str) -> PortError {
    PortError::Forbidden {
        reason: reason.into(),
    }
}

/// An appointment as the fake facility first sees it: requested.
fn requested(id: &str, draft: &BookingDraft, facility_name: &str) -> AppointmentInfo {
    AppointmentInfo {
        id: id.into(),
        status: "requested".into(),
        facility_id: draft.facility_id.clone(),
        facility_name: facility_name.into(),
        service: draft.service.clone(),
        start: draft.start.clone(),
        end: draft.start.clone(),
        health_id: draft.health_id.clone().unwrap_or_else(|| "own".into()),
        name: "Asha".into(),
        place: Some((18.52, 73.85)),
        address: "MG Road, Pune".into(),
        // The fake facility is in India (+05:30).
        today: (chrono::Utc::now() + chrono::Duration::minutes(330))
            .format("%Y-%m-%d")
            .to_string(),
        ..AppointmentInfo::default()
    }
}

#[async_trait::async_trait]
impl Appointments for FakePort {
    async fn bookable(
        &self,
        what: &str,
        _at: (f64, f64),
        limit: usize,
    ) -> PortResult<Vec<BookableInfo>> {
        let what = what.to_lowercase();
        let s = self.lock();
        Ok(s.appointments
            .bookable
            .iter()
            .filter(|b| {
                b.service.to_lowercase().contains(&what)
                    || b.kind == what
                    || b.specialty.as_deref() == Some(what.as_str())
            })
            .take(limit)
            .cloned()
            .collect())
    }

    async fn free_slots(
        &self,
        facility_id: &str,
        _service: &str,
        date: &str,
    ) -> PortResult<Vec<SlotInfo>> {
        let s = self.lock();
        Ok(s.appointments
            .slots
            .get(&(facility_id.to_owned(), date.to_owned()))
            .cloned()
            .unwrap_or_default())
    }

    async fn book(&self, by: &Account, draft: BookingDraft) -> PortResult<AppointmentInfo> {
        if by.role != Role::Patient {
            return Err(forbidden("only patients book"));
        }
        let mut s = self.lock();
        let name = s
            .appointments
            .bookable
            .iter()
            .find(|b| b.facility_id == draft.facility_id)
            .map(|b| b.facility_name.clone())
            .ok_or_else(|| not_found("facility", &draft.facility_id))?;
        s.next += 1;
        let id = format!("appt{}", s.next);
        let info = requested(&id, &draft, &name);
        s.appointments.drafts.push(draft);
        s.appointments
            .booked
            .insert(id, (by.handle.clone(), info.clone()));
        Ok(info)
    }

    async fn appointments(&self, by: &Account) -> PortResult<Vec<AppointmentInfo>> {
        let s = self.lock();
        Ok(s.appointments
            .booked
            .values()
            .filter(|(h, _)| h == &by.handle)
            .map(|(_, a)| a.clone())
            .collect())
    }

    async fn appointment(&self, by: &Account, id: &str) -> PortResult<AppointmentInfo> {
        let s = self.lock();
        match s.appointments.booked.get(id) {
            Some((h, a)) if h == &by.handle => Ok(a.clone()),
            _ => Err(not_found("appointment", id)),
        }
    }

    async fn appointment_step(
        &self,
        by: &Account,
        id: &str,
        step: AppointmentStep,
    ) -> PortResult<AppointmentInfo> {
        let a = self.appointment(by, id).await?;
        self.lock().appointments.steps.push((id.to_owned(), step));
        Ok(a)
    }

    async fn reschedule(&self, by: &Account, id: &str, start: &str) -> PortResult<AppointmentInfo> {
        let a = self.appointment(by, id).await?;
        if a.status != "confirmed" {
            return Err(PortError::Conflict {
                problem: format!(
                    "only a confirmed appointment is rescheduled; this one is {}",
                    a.status
                ),
            });
        }
        let mut s = self.lock();
        s.appointments.moved.push((id.to_owned(), start.to_owned()));
        Ok(a)
    }

    async fn agenda(&self, by: &Account, date: Option<&str>) -> PortResult<Vec<AgendaLine>> {
        if by.role != Role::Staff {
            return Err(forbidden("only staff of the facility read its agenda"));
        }
        let mut s = self.lock();
        s.appointments.agenda_days.push(date.map(str::to_owned));
        Ok(s.appointments.agenda.clone())
    }

    async fn attendance(&self, by: &Account, id: &str, arrived: bool) -> PortResult<AgendaLine> {
        if by.role != Role::Staff {
            return Err(forbidden("only staff of the facility mark attendance"));
        }
        let mut s = self.lock();
        let line = s
            .appointments
            .agenda
            .iter_mut()
            .find(|l| l.id == id)
            .ok_or_else(|| not_found("appointment", id))?;
        line.status = if arrived { "arrived" } else { "no_show" }.into();
        Ok(line.clone())
    }

    async fn schedules(&self, facility_id: &str) -> PortResult<Vec<ScheduleInfo>> {
        let s = self.lock();
        Ok(s.appointments
            .schedules
            .get(facility_id)
            .cloned()
            .unwrap_or_default())
    }

    async fn add_schedule(
        &self,
        by: &Account,
        facility_id: &str,
        draft: ScheduleInput,
    ) -> PortResult<ScheduleInfo> {
        if by.role != Role::Staff {
            return Err(forbidden(
                "only staff of this facility manage its schedules",
            ));
        }
        let (Some(capacity), Some(slot)) = (draft.capacity, draft.slot_minutes) else {
            return Err(PortError::Invalid {
                field: "capacity".into(),
                problem: "is required: people per slot, 1 to 1000".into(),
            });
        };
        let mut s = self.lock();
        s.next += 1;
        let info = ScheduleInfo {
            id: format!("sched{}", s.next),
            service: draft.service.unwrap_or_default(),
            kind: draft.kind.unwrap_or_else(|| "other".into()),
            days: draft.days,
            start: draft.start.unwrap_or_default(),
            end: draft.end.unwrap_or_default(),
            slot_minutes: slot as u16,
            capacity: capacity as u16,
            price: format!("{:.2}", draft.price.unwrap_or(0.0)),
            currency: draft.currency.unwrap_or_else(|| "INR".into()),
            time_zone: draft.time_zone.unwrap_or_else(|| "Asia/Kolkata".into()),
        };
        s.appointments
            .schedules
            .entry(facility_id.to_owned())
            .or_default()
            .push(info.clone());
        Ok(info)
    }

    async fn remove_schedule(&self, by: &Account, schedule_id: &str) -> PortResult<ScheduleInfo> {
        if by.role != Role::Staff {
            return Err(forbidden(
                "only staff of this facility manage its schedules",
            ));
        }
        let mut s = self.lock();
        for list in s.appointments.schedules.values_mut() {
            if let Some(at) = list.iter().position(|x| x.id == schedule_id) {
                return Ok(list.remove(at));
            }
        }
        Err(not_found("schedule", schedule_id))
    }
}
