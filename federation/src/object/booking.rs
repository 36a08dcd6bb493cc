//! Bookings: a patient's node asks a facility's node for a place in a slot of one of its
//! schedules, for a person identified by their health ID (docs/protocol.md §11.2). Directed
//! to the facility's node and sealed to it: a booking names a person. One object per
//! booking; each step the patient takes (cancel, wait for a place, take an offered place)
//! is a new version, which repeats the whole content.

use serde::{Deserialize, Serialize};

use super::{Audience, Kind, Meta, ObjectKind, check_origin, check_sealed};
use crate::error::SchemaError;
use crate::health_seal::MAX_SMALL_SEALED;

/// A booking, sealed to the facility's node.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Booking {
    pub meta: Meta,
    /// The facility's node (the schedule's origin).
    pub addressee: String,
    /// [`BookingContent`], sealed at [`Booking::place`].
    #[serde(with = "serde_bytes")]
    pub sealed: Vec<u8>,
}

/// What the patient asks for with this version.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BookingStep {
    /// A place in the slot starting at `start`.
    Book,
    /// A place on the day's waiting list (the day of `start`), after a refusal.
    Wait,
    /// The offered place: the slot of the facility's offer.
    Take,
    /// Cancel the booking, or leave the waiting list.
    Cancel,
}

impl BookingStep {
    /// Every step, in the order they usually come.
    pub const ALL: [BookingStep; 4] = [
        BookingStep::Book,
        BookingStep::Wait,
        BookingStep::Take,
        BookingStep::Cancel,
    ];

    /// The wire spelling, e.g. `book`.
    pub fn as_str(self) -> &'static str {
        match self {
            BookingStep::Book => "book",
            BookingStep::Wait => "wait",
            BookingStep::Take => "take",
            BookingStep::Cancel => "cancel",
        }
    }
}

/// The booking, as the facility's node opens it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookingContent {
    pub facility_id: String,
    /// The schedule whose slot is asked for.
    pub schedule_id: String,
    /// Start of the slot, unix ms (on the schedule's grid).
    pub start: i64,
    /// The person, 14 digits.
    pub health_id: String,
    /// The person's name, for the facility's agenda.
    pub name: String,
    /// Handle of the member who booked (the person or a guardian) on the patient's node.
    pub booked_by: String,
    pub note: String,
    pub step: BookingStep,
    /// For a reschedule: the booking (of the same node and person) this one replaces once
    /// confirmed.
    pub replaces: Option<String>,
}

sealed_place!(Booking);

directed_kind!(Booking, parent(_o) => None, validate(o) => {
    check_sealed(&o.sealed, MAX_SMALL_SEALED)
});
