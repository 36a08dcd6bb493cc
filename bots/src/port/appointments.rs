//! Appointments as chat sees them (docs/api.md, "Appointments"): bookable services near a
//! place, a day's free slots, booking for oneself or a dependant, one's appointments and
//! their steps (cancel, wait, take an offered place, reschedule), and the staff's agenda.
//! Every call names the member who asks; the node decides exactly as for its API.
//!
//! Times cross the port as RFC 3339 with the facility's offset, so the chat shows the
//! facility's local time and a calendar file gets the exact instant.

pub use caremesh_federation::object::ScheduleInput;
use serde::{Deserialize, Serialize};

use super::{Account, PortResult};

/// A service one facility offers, with its price and the facility's distance.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BookableInfo {
    pub facility_id: String,
    pub facility_name: String,
    /// The service's name, as booked.
    pub service: String,
    /// `consultation`, `vaccination`, `lab_test`, `other`.
    pub kind: String,
    pub specialty: Option<String>,
    /// In major units, e.g. `500.00`.
    pub price: String,
    pub currency: String,
    pub distance_km: Option<f64>,
    /// Today at the facility, `YYYY-MM-DD` (days typed as "tomorrow" count from it).
    pub today: String,
}

/// One slot with room.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlotInfo {
    /// RFC 3339 with the facility's offset.
    pub start: String,
    pub free: u16,
}

/// What a person books.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookingDraft {
    pub facility_id: String,
    pub service: String,
    /// A slot's start, as [`SlotInfo::start`].
    pub start: String,
    /// The dependant's health ID; `None` for the member's own.
    pub health_id: Option<String>,
}

/// An appointment, as its person and guardians see it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AppointmentInfo {
    pub id: String,
    /// The wire status: `requested`, `confirmed`, `refused`, `waiting`, `offered`,
    /// `cancelled`, `arrived`, `no_show`.
    pub status: String,
    pub facility_id: String,
    pub facility_name: String,
    pub service: String,
    /// RFC 3339 with the facility's offset.
    pub start: String,
    pub end: String,
    /// Shown `XX-XXXX-XXXX-XXXX`.
    pub health_id: String,
    pub name: String,
    /// Why it was refused or cancelled (`check`), and the facility's words.
    pub check: Option<String>,
    pub reason: String,
    /// Starts (RFC 3339) with room, after a refusal.
    pub next_free: Vec<String>,
    /// When an offered place lapses (RFC 3339).
    pub offer_expires: Option<String>,
    /// Place on the waiting list.
    pub position: Option<u32>,
    /// Where the facility is, for a map pin (when known here).
    pub place: Option<(f64, f64)>,
    pub address: String,
    /// Today at the facility, `YYYY-MM-DD` (days typed to move it count from it; empty
    /// when unknown).
    pub today: String,
}

/// A step the person (or a guardian) takes on an appointment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AppointmentStep {
    Cancel,
    /// Wait for a place on a full day.
    Wait,
    /// Take an offered place.
    Take,
}

/// One line of a facility's agenda.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgendaLine {
    pub id: String,
    pub status: String,
    pub service: String,
    /// RFC 3339 with the facility's offset.
    pub start: String,
    pub name: String,
    /// Shown `XX-XXXX-XXXX-XXXX`.
    pub health_id: String,
    pub no_shows: u32,
}

/// A facility's schedule for one service, as staff see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduleInfo {
    pub id: String,
    pub service: String,
    pub kind: String,
    /// `mon`, `tue`…
    pub days: Vec<String>,
    /// `HH:MM`, the facility's local time.
    pub start: String,
    pub end: String,
    pub slot_minutes: u16,
    pub capacity: u16,
    pub price: String,
    pub currency: String,
    pub time_zone: String,
}

/// Appointments.
#[async_trait::async_trait]
pub trait Appointments: Send + Sync {
    /// Services whose name, kind or specialty matches `what`, at facilities near `at`,
    /// nearest first.
    async fn bookable(
        &self,
        what: &str,
        at: (f64, f64),
        limit: usize,
    ) -> PortResult<Vec<BookableInfo>>;
    /// The slots of a facility's service with room on a local date (`YYYY-MM-DD`).
    async fn free_slots(
        &self,
        facility_id: &str,
        service: &str,
        date: &str,
    ) -> PortResult<Vec<SlotInfo>>;
    /// Books a slot; the facility's node answers soon after (a notice).
    async fn book(&self, by: &Account, draft: BookingDraft) -> PortResult<AppointmentInfo>;
    /// The member's appointments and their dependants', soonest first.
    async fn appointments(&self, by: &Account) -> PortResult<Vec<AppointmentInfo>>;
    /// One of them.
    async fn appointment(&self, by: &Account, id: &str) -> PortResult<AppointmentInfo>;
    /// Cancels, waits or takes an offered place.
    async fn appointment_step(
        &self,
        by: &Account,
        id: &str,
        step: AppointmentStep,
    ) -> PortResult<AppointmentInfo>;
    /// Moves a confirmed appointment to another slot (a new booking replacing it).
    async fn reschedule(&self, by: &Account, id: &str, start: &str) -> PortResult<AppointmentInfo>;
    /// The agenda of the staff member's facility on a local date (`None`: today there).
    async fn agenda(&self, by: &Account, date: Option<&str>) -> PortResult<Vec<AgendaLine>>;
    /// Today at the staff member's facility, `YYYY-MM-DD` (days typed for `/agenda` count
    /// from it); `None` when it cannot be told (then the UTC date is used).
    async fn staff_today(&self, _by: &Account) -> PortResult<Option<String>> {
        Ok(None)
    }
    /// Marks that the person came (`true`) or did not.
    async fn attendance(&self, by: &Account, id: &str, arrived: bool) -> PortResult<AgendaLine>;
    /// The live schedules of a facility.
    async fn schedules(&self, facility_id: &str) -> PortResult<Vec<ScheduleInfo>>;
    /// Adds a schedule to a facility of this node (its staff, or an admin); the node checks
    /// every field of `draft` as it does for the API, and names the one that is wrong.
    async fn add_schedule(
        &self,
        by: &Account,
        facility_id: &str,
        draft: ScheduleInput,
    ) -> PortResult<ScheduleInfo>;
    /// Retracts a schedule (booked appointments stay; nothing more is booked on it).
    async fn remove_schedule(&self, by: &Account, schedule_id: &str) -> PortResult<ScheduleInfo>;
}
