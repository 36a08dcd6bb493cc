//! Slots in time: a schedule's grid (weekdays, start to end in slot steps, local time in the
//! schedule's IANA zone) turned into instants, and an instant checked against it. Local
//! times that do not exist (a daylight-saving gap) have no slot; a local time that happens
//! twice (the hour repeated in autumn) has its slot at the first.

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

use caremesh_federation::object::{Schedule, Weekday};

/// `ms` as RFC 3339 with the offset of `zone` (UTC if the zone is unknown): how the API
/// and chat write slot times.
pub fn rfc3339(ms: i64, zone: &str) -> String {
    let tz: Tz = zone.parse().unwrap_or(Tz::UTC);
    DateTime::from_timestamp_millis(ms)
        .map(|t| {
            t.with_timezone(&tz)
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
        })
        .unwrap_or_default()
}

/// One slot: its start and end, unix ms.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Slot {
    pub start: i64,
    pub end: i64,
}

/// Why an instant is not a slot of a schedule.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum OffSchedule {
    #[error("{date} is a closure day of this schedule")]
    Closed { date: NaiveDate },
    #[error("the schedule does not run on {weekday}s")]
    NotADay { weekday: &'static str },
    #[error("{local} is not the start of a slot (slots of {minutes} minutes from {from} to {to})")]
    OffGrid {
        local: String,
        minutes: u16,
        from: String,
        to: String,
    },
    #[error("the schedule was retracted")]
    Retracted,
}

impl OffSchedule {
    /// The check a refusal names.
    pub fn check(&self) -> &'static str {
        match self {
            OffSchedule::Closed { .. } => "closed",
            OffSchedule::NotADay { .. } | OffSchedule::OffGrid { .. } => "outside_schedule",
            OffSchedule::Retracted => "retracted",
        }
    }
}

/// The schedule's time zone; `None` when the name is not an IANA zone.
pub fn zone(schedule: &Schedule) -> Option<Tz> {
    schedule.time_zone.parse().ok()
}

/// `HH:MM` of minutes after midnight.
pub fn hhmm(minutes: u16) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// Minutes after midnight of `HH:MM` (`24:00` allowed).
pub fn parse_hhmm(text: &str) -> Option<u16> {
    let (h, m) = text.trim().split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
    let total = h * 60 + m;
    (h <= 24 && m < 60 && total <= 1440).then_some(total)
}

fn weekday_of(date: NaiveDate) -> Weekday {
    Weekday::ALL[date.weekday().num_days_from_monday() as usize]
}

/// The local date of an instant in the schedule's zone.
pub fn local_date(tz: Tz, at_ms: i64) -> Option<NaiveDate> {
    DateTime::<Utc>::from_timestamp_millis(at_ms).map(|t| t.with_timezone(&tz).date_naive())
}

/// The first instant of a local minute of `date`, or `None` in a daylight-saving gap.
fn instant(tz: Tz, date: NaiveDate, minutes: u16) -> Option<i64> {
    let local: NaiveDateTime =
        date.and_hms_opt(0, 0, 0)? + chrono::Duration::minutes(minutes.into());
    tz.from_local_datetime(&local)
        .earliest()
        .map(|t| t.timestamp_millis())
}

/// Whether the schedule runs on `date` at all.
pub fn runs_on(schedule: &Schedule, date: NaiveDate) -> Result<(), OffSchedule> {
    if schedule.retracted {
        return Err(OffSchedule::Retracted);
    }
    let weekday = weekday_of(date);
    if !schedule.days.contains(&weekday) {
        return Err(OffSchedule::NotADay {
            weekday: weekday.as_str(),
        });
    }
    if schedule
        .closures
        .contains(&date.format("%Y-%m-%d").to_string())
    {
        return Err(OffSchedule::Closed { date });
    }
    Ok(())
}

/// The slots of the schedule on a local date, in order; none on a day it does not run.
pub fn slots_on(schedule: &Schedule, tz: Tz, date: NaiveDate) -> Vec<Slot> {
    if runs_on(schedule, date).is_err() {
        return Vec::new();
    }
    let length = i64::from(schedule.slot_minutes) * 60_000;
    schedule
        .slot_starts()
        .filter_map(|minutes| instant(tz, date, minutes))
        .map(|start| Slot {
            start,
            end: start + length,
        })
        .collect()
}

/// The slot of the schedule that starts at `start`, or why there is none.
pub fn slot_at(schedule: &Schedule, tz: Tz, start: i64) -> Result<Slot, OffSchedule> {
    let off_grid = || {
        let local = DateTime::<Utc>::from_timestamp_millis(start)
            .map(|t| t.with_timezone(&tz).format("%Y-%m-%d %H:%M %Z").to_string())
            .unwrap_or_default();
        OffSchedule::OffGrid {
            local,
            minutes: schedule.slot_minutes,
            from: hhmm(schedule.start_min),
            to: hhmm(schedule.end_min),
        }
    };
    let date = local_date(tz, start).ok_or_else(off_grid)?;
    runs_on(schedule, date)?;
    slots_on(schedule, tz, date)
        .into_iter()
        .find(|slot| slot.start == start)
        .ok_or_else(off_grid)
}

/// The slots of the schedule from `from` on (unix ms), day by day for up to `days` days,
/// in order.
pub fn slots_from(
    schedule: &Schedule,
    tz: Tz,
    from: i64,
    days: u32,
) -> impl Iterator<Item = Slot> + '_ {
    let first = local_date(tz, from);
    (0..days)
        .filter_map(move |n| first.and_then(|d| d.checked_add_days(chrono::Days::new(n.into()))))
        .flat_map(move |date| slots_on(schedule, tz, date))
        .filter(move |slot| slot.start >= from)
}

/// The IANA zone of a country that keeps one zone (ISO 3166 alpha-2, or the name as
/// addresses often carry it); `None` for countries with several zones or unknown ones.
pub fn country_zone(country: &str) -> Option<&'static str> {
    let key = country.trim().to_uppercase();
    COUNTRY_ZONES
        .iter()
        .find(|(code, name, _)| *code == key || name.eq_ignore_ascii_case(&key))
        .map(|(_, _, zone)| *zone)
}

/// Countries with a single time zone, the ones caremesh nodes are most likely to serve
/// first; others name their zone on the schedule.
const COUNTRY_ZONES: [(&str, &str, &str); 40] = [
    ("IN", "India", "Asia/Kolkata"),
    ("NP", "Nepal", "Asia/Kathmandu"),
    ("BD", "Bangladesh", "Asia/Dhaka"),
    ("LK", "Sri Lanka", "Asia/Colombo"),
    ("PK", "Pakistan", "Asia/Karachi"),
    ("BT", "Bhutan", "Asia/Thimphu"),
    ("MV", "Maldives", "Indian/Maldives"),
    ("AF", "Afghanistan", "Asia/Kabul"),
    ("MM", "Myanmar", "Asia/Yangon"),
    ("TH", "Thailand", "Asia/Bangkok"),
    ("VN", "Vietnam", "Asia/Ho_Chi_Minh"),
    ("PH", "Philippines", "Asia/Manila"),
    ("SG", "Singapore", "Asia/Singapore"),
    ("JP", "Japan", "Asia/Tokyo"),
    ("KR", "South Korea", "Asia/Seoul"),
    ("CN", "China", "Asia/Shanghai"),
    ("AE", "United Arab Emirates", "Asia/Dubai"),
    ("SA", "Saudi Arabia", "Asia/Riyadh"),
    ("IR", "Iran", "Asia/Tehran"),
    ("TR", "Turkey", "Europe/Istanbul"),
    ("IL", "Israel", "Asia/Jerusalem"),
    ("EG", "Egypt", "Africa/Cairo"),
    ("KE", "Kenya", "Africa/Nairobi"),
    ("NG", "Nigeria", "Africa/Lagos"),
    ("GH", "Ghana", "Africa/Accra"),
    ("ET", "Ethiopia", "Africa/Addis_Ababa"),
    ("ZA", "South Africa", "Africa/Johannesburg"),
    ("GB", "United Kingdom", "Europe/London"),
    ("IE", "Ireland", "Europe/Dublin"),
    ("FR", "France", "Europe/Paris"),
    ("DE", "Germany", "Europe/Berlin"),
    ("IT", "Italy", "Europe/Rome"),
    ("CH", "Switzerland", "Europe/Zurich"),
    ("NL", "Netherlands", "Europe/Amsterdam"),
    ("BE", "Belgium", "Europe/Brussels"),
    ("AT", "Austria", "Europe/Vienna"),
    ("PL", "Poland", "Europe/Warsaw"),
    ("SE", "Sweden", "Europe/Stockholm"),
    ("NO", "Norway", "Europe/Oslo"),
    ("NZ", "New Zealand", "Pacific/Auckland"),
];

#[cfg(test)]
mod tests;
