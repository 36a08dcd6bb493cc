//! Things the node tells people without being asked.

use caremesh_federation::object::Verdict;
use serde::{Deserialize, Serialize};

use crate::port::{ProposalInfo, RequestInfo};

/// A notification, rendered by the engine in the recipient's language.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "notice", rename_all = "snake_case")]
pub enum Notice {
    /// A need near a subscribed maker.
    NewRequest { request: RequestInfo },
    /// An offer on the requester's need.
    NewProposal { proposal: ProposalInfo },
    /// The requester's node decided on the maker's offer (accepted, deferred, declined,
    /// received, or lapsed unshipped).
    Decided {
        proposal: ProposalInfo,
        verdict: Verdict,
    },
    /// The maker shipped (to the requester).
    Shipped { proposal: ProposalInfo },
    /// A requester waits for approval (to admins).
    Pending { handle: String },
    /// The person's registration was approved.
    Approved,
    /// A record arrived for a health ID the person holds or guards. Health notices carry
    /// ids only: what they concern is shown when the person asks (`/records`, `/consent`).
    RecordArrived { record_id: String },
    /// A facility asks to read records of a health ID the person holds or guards.
    ConsentAsked { consent_id: String },
    /// The home node decided a consent the person (staff) asked for.
    ConsentDecided { consent_id: String },
    /// An upload the person (staff) made reached its home node, or was refused there.
    UploadAnswered { upload_id: String, stored: bool },
    /// Records the person's (staff) consent covered were erased by their holder.
    Erased { consent_id: String },
    /// The facility answered a booking for a person the member holds or guards (confirmed,
    /// refused, cancelled, a place offered), or a reminder is due. Ids only, like the
    /// health notices: the appointment is read with the recipient's rights when rendered.
    Appointment {
        appointment_id: String,
        news: AppointmentNews,
    },
    /// A medicine order moved on: to the patient and every guardian when the pharmacy
    /// answered (quoted, confirmed, ready, collected, cancelled); to the pharmacy's staff
    /// when an order came in, or the patient confirmed or cancelled. Ids only: the order is
    /// read with the recipient's rights when rendered.
    Order { order_id: String, news: OrderNews },
}

/// What an [`Notice::Appointment`] is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AppointmentNews {
    /// The facility's newest answer.
    Answered,
    /// The day before, or two hours before.
    Reminder,
}

/// What an [`Notice::Order`] is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderNews {
    /// The pharmacy's newest answer (to the patient's side).
    Answered,
    /// A new order at the counter (to the pharmacy's staff).
    Placed,
    /// The patient confirmed the quote (to the pharmacy's staff).
    Confirmed,
    /// The patient cancelled (to the pharmacy's staff).
    Cancelled,
}
