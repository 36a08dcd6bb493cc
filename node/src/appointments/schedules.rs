//! Schedules of this node's facilities: staff of a facility create, update and retract them;
//! anyone reads any node's. A schedule is public and federated with the listing.

mod input;

use caremesh_federation::object::{Facility, Schedule};

use super::Appointments;
use super::calendar::{self, hhmm};
use crate::error::ServiceError;
use crate::members::{Member, Role};
use crate::objects::{self, bump};
pub use input::{DEFAULT_CUTOFF_MINUTES, ScheduleInput, parse_input};

/// Whether two schedules of one service share a moment of a weekday.
fn overlaps(a: &Schedule, b: &Schedule) -> bool {
    a.service.name.to_lowercase() == b.service.name.to_lowercase()
        && a.days.iter().any(|d| b.days.contains(d))
        && a.start_min < b.end_min
        && b.start_min < a.end_min
}

/// May `member` manage the schedules of `facility_id`?
pub fn may_manage(member: &Member, facility_id: &str) -> bool {
    member.role == Role::Admin
        || (member.role == Role::Staff && member.facility_id.as_deref() == Some(facility_id))
}

impl Appointments {
    /// A facility this node lists, for its staff.
    fn own_facility(&self, member: &Member, facility_id: &str) -> Result<Facility, ServiceError> {
        let facility = objects::get::<Facility>(&*self.store, facility_id)?
            .filter(|f| !f.retracted)
            .ok_or_else(|| ServiceError::not_found("facility", facility_id))?;
        if facility.meta.origin != self.publisher.origin() {
            return Err(ServiceError::forbidden(format!(
                "facility `{facility_id}` is listed by {}: its schedules are kept there",
                facility.meta.origin
            )));
        }
        if !may_manage(member, facility_id) {
            return Err(ServiceError::forbidden(
                "only staff of this facility (or an admin) manage its schedules",
            ));
        }
        Ok(facility)
    }

    /// The schedules of a facility (any node's), retracted ones left out.
    pub fn schedules_of(&self, facility_id: &str) -> Result<Vec<Schedule>, ServiceError> {
        let facility = objects::get::<Facility>(&*self.store, facility_id)?;
        let Some(facility) = facility.filter(|f| !f.retracted) else {
            return Err(ServiceError::not_found("facility", facility_id));
        };
        Ok(objects::children::<Schedule>(&*self.store, facility_id)?
            .into_iter()
            // Only the facility's node publishes its schedules (also checked on arrival).
            .filter(|s| !s.retracted && s.meta.origin == facility.meta.origin)
            .collect())
    }

    fn check_overlap(&self, new: &Schedule, except: Option<&str>) -> Result<(), ServiceError> {
        for other in self.schedules_of(&new.facility_id)? {
            if Some(other.meta.id.as_str()) != except && overlaps(new, &other) {
                return Err(ServiceError::conflict(format!(
                    "overlaps schedule {} of `{}` ({} {}–{}): one service has one schedule at a time",
                    other.meta.id,
                    other.service.name,
                    other
                        .days
                        .iter()
                        .map(|d| d.as_str())
                        .collect::<Vec<_>>()
                        .join(","),
                    hhmm(other.start_min),
                    hhmm(other.end_min)
                )));
            }
        }
        Ok(())
    }

    /// Creates a schedule for one of this node's facilities.
    #[tracing::instrument(skip_all, fields(member = %member.id, facility_id))]
    pub fn create_schedule(
        &self,
        member: &Member,
        facility_id: &str,
        input: &ScheduleInput,
    ) -> Result<Schedule, ServiceError> {
        let facility = self.own_facility(member, facility_id)?;
        let mut schedule = parse_input(input, &facility)?;
        let _guard = self.schedules_lock();
        self.check_overlap(&schedule, None)?;
        schedule.meta = self.publisher.new_meta(self.now());
        self.publisher.publish(&schedule, Some(&member.handle))?;
        tracing::info!(object_id = %schedule.meta.id, "schedule created");
        Ok(schedule)
    }

    /// A schedule of this node, for its facility's staff.
    fn own_schedule(&self, member: &Member, id: &str) -> Result<Schedule, ServiceError> {
        let schedule = self.get_schedule(id)?;
        self.own_facility(member, &schedule.facility_id)?;
        Ok(schedule)
    }

    /// A schedule by id (any node's).
    pub fn get_schedule(&self, id: &str) -> Result<Schedule, ServiceError> {
        objects::get::<Schedule>(&*self.store, id)?
            .ok_or_else(|| ServiceError::not_found("schedule", id))
    }

    /// Replaces a schedule's fields. Bookings already confirmed stay as they are.
    pub fn update_schedule(
        &self,
        member: &Member,
        id: &str,
        input: &ScheduleInput,
    ) -> Result<Schedule, ServiceError> {
        let old = self.own_schedule(member, id)?;
        if old.retracted {
            return Err(ServiceError::conflict("the schedule was retracted"));
        }
        let facility = self.own_facility(member, &old.facility_id)?;
        let mut schedule = parse_input(input, &facility)?;
        let _guard = self.schedules_lock();
        self.check_overlap(&schedule, Some(id))?;
        schedule.meta = bump(&old.meta, self.now())?;
        self.publisher.publish(&schedule, None)?;
        Ok(schedule)
    }

    /// Retracts a schedule: nothing more is booked on it.
    pub fn retract_schedule(&self, member: &Member, id: &str) -> Result<Schedule, ServiceError> {
        let mut schedule = self.own_schedule(member, id)?;
        if schedule.retracted {
            return Ok(schedule);
        }
        schedule.meta = bump(&schedule.meta, self.now())?;
        schedule.retracted = true;
        self.publisher.publish(&schedule, None)?;
        Ok(schedule)
    }

    /// The schedule of a facility offering `service` (name, case-insensitive) whose grid
    /// has a slot at `start`; errors name the field.
    pub fn schedule_for(
        &self,
        facility_id: &str,
        service: &str,
        start: i64,
    ) -> Result<(Schedule, calendar::Slot), ServiceError> {
        let wanted = service.trim().to_lowercase();
        let schedules: Vec<Schedule> = self
            .schedules_of(facility_id)
            .map_err(|_| {
                ServiceError::invalid(
                    "facility_id",
                    format!("`{facility_id}` is not a known facility"),
                )
            })?
            .into_iter()
            .filter(|s| s.service.name.to_lowercase() == wanted)
            .collect();
        if schedules.is_empty() {
            return Err(ServiceError::invalid(
                "service",
                format!("`{service}` is not a bookable service of this facility"),
            ));
        }
        let mut why = None;
        for schedule in schedules {
            let Some(tz) = calendar::zone(&schedule) else {
                continue;
            };
            match calendar::slot_at(&schedule, tz, start) {
                Ok(slot) => return Ok((schedule, slot)),
                Err(e) => why = Some(e),
            }
        }
        Err(ServiceError::invalid(
            "start",
            why.map_or_else(
                || "is not a slot".to_owned(),
                |e| format!("is not a slot: {e}"),
            ),
        ))
    }
}
