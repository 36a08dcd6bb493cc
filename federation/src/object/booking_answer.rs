//! Booking answers: the facility's node says where a booking stands (confirmed, refused,
//! waiting, offered a place, cancelled, arrived, no-show). Directed to the booking's node
//! and sealed to it; one object per booking, each change a new version. Only the node the
//! booking was sent to answers it (docs/protocol.md §11.2).

use serde::{Deserialize, Serialize};

use super::{Audience, Kind, Meta, ObjectKind, check_origin, check_sealed, check_ulid};
use crate::error::SchemaError;
use crate::health_seal::MAX_SMALL_SEALED;

/// An answer to a booking, sealed to the booking's node.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookingAnswer {
    pub meta: Meta,
    /// The booking's node.
    pub addressee: String,
    /// The booking answered.
    pub booking_id: String,
    /// [`BookingAnswerContent`], sealed at [`BookingAnswer::place`].
    #[serde(with = "serde_bytes")]
    pub sealed: Vec<u8>,
}

/// Where an appointment stands. Answers never carry `requested`: that is the booking's
/// state until its first answer arrives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AppointmentStatus {
    /// Sent, not answered yet.
    Requested,
    Confirmed,
    /// Not booked; `check` says why and `next_free` where there is room.
    Refused,
    /// On the day's waiting list.
    Waiting,
    /// A place came free for someone waiting: theirs if taken before `offer_expires`.
    Offered,
    Cancelled,
    /// The person came.
    Arrived,
    /// The person did not come.
    NoShow,
}

impl AppointmentStatus {
    /// Every status.
    pub const ALL: [AppointmentStatus; 8] = [
        AppointmentStatus::Requested,
        AppointmentStatus::Confirmed,
        AppointmentStatus::Refused,
        AppointmentStatus::Waiting,
        AppointmentStatus::Offered,
        AppointmentStatus::Cancelled,
        AppointmentStatus::Arrived,
        AppointmentStatus::NoShow,
    ];

    /// The wire spelling, e.g. `no_show`.
    pub fn as_str(self) -> &'static str {
        match self {
            AppointmentStatus::Requested => "requested",
            AppointmentStatus::Confirmed => "confirmed",
            AppointmentStatus::Refused => "refused",
            AppointmentStatus::Waiting => "waiting",
            AppointmentStatus::Offered => "offered",
            AppointmentStatus::Cancelled => "cancelled",
            AppointmentStatus::Arrived => "arrived",
            AppointmentStatus::NoShow => "no_show",
        }
    }

    /// True once nothing more can happen to the appointment.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            AppointmentStatus::Refused
                | AppointmentStatus::Cancelled
                | AppointmentStatus::Arrived
                | AppointmentStatus::NoShow
        )
    }
}

/// The answer, as the booking's node opens it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookingAnswerContent {
    /// The person, 14 digits, as in the booking.
    pub health_id: String,
    /// The booking version this answers.
    pub booking_version: u64,
    pub status: AppointmentStatus,
    /// The slot (for an offer: the slot offered), unix ms.
    pub start: i64,
    pub end: i64,
    /// For a refusal or a cancel by the facility: what failed (`full`, `closed`, `past`,
    /// `outside_schedule`, `unknown_service`, `cutoff`, `facility`, ...).
    pub check: Option<String>,
    /// Words for the person: the facility's reason for a cancel, or the refusal explained.
    pub reason: String,
    /// For a refusal: the next slots with room, unix ms.
    pub next_free: Vec<i64>,
    /// For an offer: until when it holds, unix ms.
    pub offer_expires: Option<i64>,
    /// On the waiting list: the place in line, 1 first.
    pub position: Option<u32>,
}

sealed_place!(BookingAnswer);

directed_kind!(BookingAnswer, parent(o) => Some(&o.booking_id), validate(o) => {
    check_ulid("booking_id", &o.booking_id)?;
    check_sealed(&o.sealed, MAX_SMALL_SEALED)
});
