//! Schedule input as staff give it, checked field by field into a schedule's fields; each
//! problem is an error naming its field.

pub use caremesh_federation::object::ScheduleInput;
use caremesh_federation::object::{
    BookableService, Facility, MAX_CAPACITY, MAX_CLOSURES, MAX_CUTOFF_MINUTES, SLOT_MINUTES,
    Schedule, ServiceKind, Weekday, check_currency,
};
use chrono_tz::Tz;

use crate::appointments::calendar::{country_zone, hhmm, parse_hhmm};
use crate::error::ServiceError;

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
        && !crate::specialties::is_specialty(s)
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
