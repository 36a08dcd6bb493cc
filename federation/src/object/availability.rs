//! Availability: how many places of a schedule's slots are taken on one day, published by
//! the facility's node as bookings come and go. Public and relayed like the schedule, so
//! any node shows free places without asking the facility's node; `meta.updated_at` says
//! how fresh the counts are (docs/protocol.md §11.1). It names nobody.

use serde::{Deserialize, Serialize};

use super::schedule::{MAX_CAPACITY, check_date};
use super::{Audience, Meta, ObjectKind, check_ulid, field};
use crate::error::SchemaError;

/// Most slots one day of a schedule has (5-minute slots all day).
pub const MAX_SLOTS_PER_DAY: usize = 24 * 12;

/// Places taken in one slot.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlotTaken {
    /// The slot's start, unix ms.
    pub start: i64,
    pub taken: u16,
}

/// The taken places of one schedule on one day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Availability {
    pub meta: Meta,
    /// The schedule (of the same origin).
    pub schedule_id: String,
    /// The day, `YYYY-MM-DD` in the schedule's time zone.
    pub date: String,
    /// Slots with places taken, by start, ascending; a slot not listed has none taken.
    pub taken: Vec<SlotTaken>,
    /// People on the day's waiting list.
    pub waiting: u16,
}

impl ObjectKind for Availability {
    fn meta(&self) -> &Meta {
        &self.meta
    }

    fn audience(&self) -> Audience<'_> {
        Audience::Public
    }

    fn parent(&self) -> Option<&str> {
        Some(&self.schedule_id)
    }

    fn validate(&self) -> Result<(), SchemaError> {
        check_ulid("schedule_id", &self.schedule_id)?;
        check_date("date", &self.date)?;
        if self.taken.len() > MAX_SLOTS_PER_DAY {
            return Err(field(
                "taken",
                format!("lists more than {MAX_SLOTS_PER_DAY} slots"),
            ));
        }
        if !self.taken.windows(2).all(|w| w[0].start < w[1].start) {
            return Err(field("taken", "must be ascending by start, each slot once"));
        }
        if self.taken.iter().any(|s| s.taken > MAX_CAPACITY) {
            return Err(field("taken", format!("a slot holds at most {MAX_CAPACITY}")));
        }
        Ok(())
    }
}
