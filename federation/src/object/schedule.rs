//! Appointment schedules: when a facility offers one bookable service, in slots of a fixed
//! length, each holding a number of people. Public, like the facility's listing: every node
//! relays them, so a patient anywhere sees the slots. Only the facility's node publishes its
//! schedules (docs/protocol.md §11.1).

use serde::{Deserialize, Serialize};

use super::{Audience, Meta, ObjectKind, check_text, check_ulid, field, is_slug};
use crate::error::SchemaError;

/// Most people one slot may hold.
pub const MAX_CAPACITY: u16 = 1_000;
/// Shortest and longest slot, in minutes.
pub const SLOT_MINUTES: std::ops::RangeInclusive<u16> = 5..=720;
/// Most closure days one schedule lists.
pub const MAX_CLOSURES: usize = 366;
/// Longest cancel cutoff: 30 days, in minutes.
pub const MAX_CUTOFF_MINUTES: u32 = 30 * 24 * 60;

/// What a bookable service is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ServiceKind {
    /// A consultation with a doctor, of one specialty.
    Consultation,
    Vaccination,
    /// A blood test or another laboratory test.
    LabTest,
    Other,
}

impl ServiceKind {
    /// Every kind, in the order menus show them.
    pub const ALL: [ServiceKind; 4] = [
        ServiceKind::Consultation,
        ServiceKind::Vaccination,
        ServiceKind::LabTest,
        ServiceKind::Other,
    ];

    /// The wire spelling, e.g. `lab_test`.
    pub fn as_str(self) -> &'static str {
        match self {
            ServiceKind::Consultation => "consultation",
            ServiceKind::Vaccination => "vaccination",
            ServiceKind::LabTest => "lab_test",
            ServiceKind::Other => "other",
        }
    }

    /// The kind with exactly this wire spelling.
    pub fn from_wire(text: &str) -> Option<ServiceKind> {
        ServiceKind::ALL.into_iter().find(|k| k.as_str() == text)
    }
}

/// A day of the week.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Weekday {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

impl Weekday {
    /// Monday first.
    pub const ALL: [Weekday; 7] = [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ];

    /// The wire spelling, e.g. `mon`.
    pub fn as_str(self) -> &'static str {
        match self {
            Weekday::Mon => "mon",
            Weekday::Tue => "tue",
            Weekday::Wed => "wed",
            Weekday::Thu => "thu",
            Weekday::Fri => "fri",
            Weekday::Sat => "sat",
            Weekday::Sun => "sun",
        }
    }

    /// The day with exactly this wire spelling.
    pub fn from_wire(text: &str) -> Option<Weekday> {
        Weekday::ALL.into_iter().find(|d| d.as_str() == text)
    }

    /// 0 for Monday … 6 for Sunday.
    pub fn index(self) -> usize {
        self as usize
    }
}

/// The service a schedule offers, priced in minor units of its currency.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookableService {
    pub name: String,
    pub kind: ServiceKind,
    /// For consultations: the specialty (a slug of the shared vocabulary).
    pub specialty: Option<String>,
    pub price_minor: i64,
    /// ISO 4217 code, e.g. `INR`.
    pub currency: String,
}

/// A facility's schedule for one service.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schedule {
    pub meta: Meta,
    /// The facility (of the same origin) that offers the service.
    pub facility_id: String,
    pub service: BookableService,
    /// The weekdays it runs, each once, Monday first.
    pub days: Vec<Weekday>,
    /// First slot's start, minutes after local midnight.
    pub start_min: u16,
    /// No slot ends after this, minutes after local midnight (at most 1440).
    pub end_min: u16,
    pub slot_minutes: u16,
    /// People one slot holds.
    pub capacity: u16,
    /// The IANA time zone of `start_min`/`end_min` (e.g. `Asia/Kolkata`).
    pub time_zone: String,
    /// Days it does not run (`YYYY-MM-DD`, local), ascending.
    pub closures: Vec<String>,
    /// Patients may cancel up to this many minutes before their slot.
    pub cancel_cutoff_minutes: u32,
    /// A retracted schedule stays as a tombstone: nothing more is booked on it.
    pub retracted: bool,
}

/// A schedule as staff describe it, before the facility's node checks it into a
/// [`Schedule`] (`POST /api/v1/facilities/{id}/schedules`, or typed in chat): every field
/// as given, so the check can name the one that is wrong. Never on the wire between nodes.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScheduleInput {
    /// The service's name.
    pub service: Option<String>,
    /// `consultation`, `vaccination`, `lab_test` or `other`; default `consultation` when a
    /// specialty is given, else `other`.
    pub kind: Option<String>,
    /// A specialty slug, for consultations.
    pub specialty: Option<String>,
    /// In the currency's major unit (rupees), up to two decimals.
    pub price: Option<f64>,
    /// ISO 4217; default `INR`.
    pub currency: Option<String>,
    /// Weekdays, `mon` … `sun`.
    #[serde(default)]
    pub days: Vec<String>,
    /// First slot's start, `HH:MM` local.
    pub start: Option<String>,
    /// No slot ends after this, `HH:MM` local.
    pub end: Option<String>,
    /// Length of one slot.
    pub slot_minutes: Option<i64>,
    /// People one slot holds.
    pub capacity: Option<i64>,
    /// IANA zone; default: the facility's country's zone where it has one.
    pub time_zone: Option<String>,
    /// Days it does not run, `YYYY-MM-DD` local.
    #[serde(default)]
    pub closures: Vec<String>,
    /// Minutes before a slot up to which patients may cancel; default 120.
    pub cancel_cutoff_minutes: Option<i64>,
}

impl Schedule {
    /// Start times of the slots in one day, minutes after local midnight.
    pub fn slot_starts(&self) -> impl Iterator<Item = u16> + '_ {
        let step = self.slot_minutes.max(1);
        (self.start_min..self.end_min)
            .step_by(usize::from(step))
            .filter(move |start| start + step <= self.end_min)
    }
}

/// Checks `YYYY-MM-DD` with a month 01–12 and a day 01–31 (the node checks the calendar).
pub fn check_date(name: &'static str, text: &str) -> Result<(), SchemaError> {
    let b = text.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    let ok = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && digits(0..4)
        && digits(5..7)
        && digits(8..10)
        && (1..=12).contains(&((b[5] - b'0') * 10 + (b[6] - b'0')))
        && (1..=31).contains(&((b[8] - b'0') * 10 + (b[9] - b'0')));
    if ok {
        Ok(())
    } else {
        Err(field(name, "must be a date YYYY-MM-DD"))
    }
}

/// Checks an ISO 4217 code: three ASCII capitals.
pub fn check_currency(text: &str) -> Result<(), SchemaError> {
    if text.len() == 3 && text.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(())
    } else {
        Err(field("currency", "must be three capital letters (ISO 4217)"))
    }
}

impl BookableService {
    fn validate(&self) -> Result<(), SchemaError> {
        if self.name.trim().is_empty() || self.name.chars().count() > 200 {
            return Err(field("service", "must be 1 to 200 characters"));
        }
        if let Some(s) = &self.specialty
            && !is_slug(s)
        {
            return Err(field("specialty", "is not a slug"));
        }
        if !(0..=1_000_000_000_000).contains(&self.price_minor) {
            return Err(field("price", "must be 0 or more, and not absurdly large"));
        }
        check_currency(&self.currency)
    }
}

impl ObjectKind for Schedule {
    fn meta(&self) -> &Meta {
        &self.meta
    }

    fn audience(&self) -> Audience<'_> {
        Audience::Public
    }

    fn parent(&self) -> Option<&str> {
        Some(&self.facility_id)
    }

    fn validate(&self) -> Result<(), SchemaError> {
        check_ulid("facility_id", &self.facility_id)?;
        self.service.validate()?;
        if self.days.is_empty() || !self.days.windows(2).all(|w| w[0] < w[1]) {
            return Err(field("days", "must list 1 to 7 weekdays, each once, Monday first"));
        }
        if self.end_min > 1440 || self.start_min >= self.end_min {
            return Err(field("end", "must be after start, at most 24:00"));
        }
        if !SLOT_MINUTES.contains(&self.slot_minutes) {
            return Err(field("slot_minutes", "must be 5 to 720"));
        }
        if self.start_min + self.slot_minutes > self.end_min {
            return Err(field("slot_minutes", "is longer than the time from start to end"));
        }
        if self.capacity == 0 || self.capacity > MAX_CAPACITY {
            return Err(field("capacity", format!("must be 1 to {MAX_CAPACITY}")));
        }
        if self.time_zone.is_empty() || self.time_zone.len() > 64 {
            return Err(field("time_zone", "must be an IANA time zone name"));
        }
        check_text("time_zone", &self.time_zone)?;
        if self.closures.len() > MAX_CLOSURES {
            return Err(field("closures", format!("lists more than {MAX_CLOSURES} days")));
        }
        for day in &self.closures {
            check_date("closures", day)?;
        }
        if !self.closures.windows(2).all(|w| w[0] < w[1]) {
            return Err(field("closures", "must be ascending, each day once"));
        }
        if self.cancel_cutoff_minutes > MAX_CUTOFF_MINUTES {
            return Err(field("cancel_cutoff_minutes", "must be at most 30 days"));
        }
        Ok(())
    }
}
