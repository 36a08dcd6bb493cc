//! Schedules of this node's facilities: staff of a facility create, update and retract them;
//! anyone reads any node's. A schedule is public and federated with the listing.

use caremesh_federation::object::{
    BookableService, Facility, MAX_CAPACITY, MAX_CLOSURES, MAX_CUTOFF_MINUTES, SLOT_MINUTES,
    Schedule, ServiceKind, Weekday, check_currency,
};
use chrono_tz::Tz;
use serde::Deserialize;

use super::Appointments;
use super::calendar::{self, country_zone, hhmm, parse_hhmm};
use crate::error::ServiceError;
use crate::members::{Member, Role};
use crate::objects::{self, bump};

/// A schedule as staff describe it (`POST /api/v1/facilities/{id}/schedules`).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScheduleInput {
    pub service: Option<String>,
    /// `consultation`, `vaccination`, `lab_test` or `other`; default `consultation` when a
    /// specialty is given, else `other`.
    pub kind: Option<String>,
    pub specialty: Option<String>,
    /// In the currency's major unit (rupees), up to two decimals.
    pub price: Option<f64>,
    /// ISO 4217; default `INR`.
    pub currency: Option<String>,
    #[serde(default)]
    pub days: Vec<String>,
    pub start: Option<String>,
    pub end: Option<String>,
    pub slot_minutes: Option<i64>,
    pub capacity: Option<i64>,
    /// IANA zone; default: the facility's country's zone where it has one.
    pub time_zone: Option<String>,
    #[serde(default)]
    pub closures: Vec<String>,
    /// Default 120.
    pub cancel_cutoff_minutes: Option<i64>,
}

/// Minutes before a slot up to which patients may cancel, unless the schedule says.
pub const DEFAULT_CUTOFF_MINUTES: u32 = 120;

fn required<T>(value: Option<T>, field: &'static str) -> Result<T, ServiceError> {
    value.ok_or_else(|| ServiceError::invalid(field, "is required"))
}

fn parse_days(days: &[String]) -> Result<Vec<Weekday>, ServiceError> {
    if days.is_empty() {
        return Err(ServiceError::invalid(
            "days",
            "is required: weekdays like [\"mon\", \"tue\"]",
        ));
    }
    let mut out = Vec::new();
    for day in days {
        let d = Weekday::from_wire(&day.trim().to_lowercase()).ok_or_else(|| {
            ServiceError::invalid(
                "days",
                format!("`{day}` is not one of mon, tue, wed, thu, fri, sat, sun"),
            )
        })?;
        if out.contains(&d) {
            return Err(ServiceError::invalid(
                "days",
                format!("lists `{day}` twice"),
            ));
        }
        out.push(d);
    }
    out.sort();
    Ok(out)
}

fn parse_time(field: &'static str, text: Option<&str>) -> Result<u16, ServiceError> {
    let text = required(text, field)?;
    parse_hhmm(text).ok_or_else(|| {
        ServiceError::invalid(field, format!("must be a local time HH:MM, got `{text}`"))
    })
}

fn parse_closures(closures: &[String]) -> Result<Vec<String>, ServiceError> {
    let mut out = Vec::with_capacity(closures.len());
    for day in closures {
        let date = chrono::NaiveDate::parse_from_str(day.trim(), "%Y-%m-%d").map_err(|_| {
            ServiceError::invalid("closures", format!("`{day}` is not a date YYYY-MM-DD"))
        })?;
        out.push(date.format("%Y-%m-%d").to_string());
    }
    out.sort();
    out.dedup();
    if out.len() > MAX_CLOSURES {
        return Err(ServiceError::invalid(
            "closures",
            format!("lists more than {} days", MAX_CLOSURES),
        ));
    }
    Ok(out)
}

fn parse_zone(input: Option<&str>, facility: &Facility) -> Result<String, ServiceError> {
    let name = match input {
        Some(name) => name.trim().to_owned(),
        None => country_zone(&facility.address.country)
            .ok_or_else(|| {
                ServiceError::invalid(
                    "time_zone",
                    format!(
                        "is required: the facility's country `{}` has no single time zone we know",
                        facility.address.country
                    ),
                )
            })?
            .to_owned(),
    };
    name.parse::<Tz>().map_err(|_| {
        ServiceError::invalid(
            "time_zone",
            format!("`{name}` is not an IANA time zone (e.g. Asia/Kolkata)"),
        )
    })?;
    Ok(name)
}

fn parse_service(input: &ScheduleInput) -> Result<BookableService, ServiceError> {
    let name = required(input.service.as_deref(), "service")?
        .trim()
        .to_owned();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(ServiceError::invalid(
            "service",
            "must be 1 to 200 characters",
        ));
    }
    let specialty = input.specialty.as_deref().map(str::trim).map(str::to_owned);
    if let Some(s) = &specialty
        && !crate::catalog::is_specialty(s)
    {
        return Err(ServiceError::invalid(
            "specialty",
            format!("`{s}` is not in the specialty vocabulary"),
        ));
    }
    let kind = match input.kind.as_deref() {
        Some(k) => ServiceKind::from_wire(k).ok_or_else(|| {
            ServiceError::invalid(
                "kind",
                format!("`{k}` is not one of consultation, vaccination, lab_test, other"),
            )
        })?,
        None if specialty.is_some() => ServiceKind::Consultation,
        None => ServiceKind::Other,
    };
    let price = input.price.unwrap_or(0.0);
    if !price.is_finite() || !(0.0..=1e10).contains(&price) {
        return Err(ServiceError::invalid(
            "price",
            "must be a number of at least 0",
        ));
    }
    let currency = input
        .currency
        .as_deref()
        .unwrap_or("INR")
        .trim()
        .to_uppercase();
    check_currency(&currency)
        .map_err(|_| ServiceError::invalid("currency", "must be an ISO 4217 code like INR"))?;
    Ok(BookableService {
        name,
        kind,
        specialty,
        price_minor: (price * 100.0).round() as i64,
        currency,
    })
}

fn in_range(
    field: &'static str,
    value: Option<i64>,
    range: std::ops::RangeInclusive<i64>,
) -> Result<i64, ServiceError> {
    let value = required(value, field)?;
    if range.contains(&value) {
        Ok(value)
    } else {
        Err(ServiceError::invalid(
            field,
            format!("must be {} to {}, got {value}", range.start(), range.end()),
        ))
    }
}

/// Checks staff input and makes the schedule's fields (with an empty `meta`).
pub fn parse_input(input: &ScheduleInput, facility: &Facility) -> Result<Schedule, ServiceError> {
    let service = parse_service(input)?;
    let days = parse_days(&input.days)?;
    let start_min = parse_time("start", input.start.as_deref())?;
    let end_min = parse_time("end", input.end.as_deref())?;
    if start_min >= end_min {
        return Err(ServiceError::invalid(
            "end",
            "must be after start (same day)",
        ));
    }
    let slot = in_range(
        "slot_minutes",
        input.slot_minutes,
        i64::from(*SLOT_MINUTES.start())..=i64::from(*SLOT_MINUTES.end()),
    )? as u16;
    if start_min + slot > end_min {
        return Err(ServiceError::invalid(
            "slot_minutes",
            format!(
                "{slot} minutes do not fit between {} and {}",
                hhmm(start_min),
                hhmm(end_min)
            ),
        ));
    }
    let capacity = in_range("capacity", input.capacity, 1..=i64::from(MAX_CAPACITY))? as u16;
    let cutoff = match input.cancel_cutoff_minutes {
        None => DEFAULT_CUTOFF_MINUTES,
        some => in_range(
            "cancel_cutoff_minutes",
            some,
            0..=i64::from(MAX_CUTOFF_MINUTES),
        )? as u32,
    };
    Ok(Schedule {
        meta: Default::default(),
        facility_id: facility.meta.id.clone(),
        service,
        days,
        start_min,
        end_min,
        slot_minutes: slot,
        capacity,
        time_zone: parse_zone(input.time_zone.as_deref(), facility)?,
        closures: parse_closures(&input.closures)?,
        cancel_cutoff_minutes: cutoff,
        retracted: false,
    })
}

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
