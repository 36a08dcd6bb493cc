//! What the health service tells the people concerned, for the chat front ends to deliver:
//! the holder and guardians of a health ID when a record arrives or a consent is asked, the
//! asking staff when a consent is decided or a record erased, the uploader when a record
//! reached its home. Notices name members of this node and ids; what to show is read
//! through the service with the member's rights.

use tokio::sync::broadcast;

use super::hid::HealthId;

/// Something that happened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Notice {
    /// A record was stored for `health_id` (tell its holder and guardians).
    RecordStored {
        health_id: HealthId,
        record_id: String,
        /// Member ids of the holder and guardians.
        tell: Vec<String>,
    },
    /// A consent was asked for `health_id` (Grant/Deny to its holder and guardians).
    ConsentAsked {
        health_id: HealthId,
        consent_id: String,
        tell: Vec<String>,
    },
    /// The home node decided a consent this node's staff asked for.
    ConsentDecided {
        consent_id: String,
        /// The asking staff member's handle.
        member: String,
    },
    /// An upload made here reached its home node (`stored`) or was refused there.
    UploadAnswered {
        deposit_id: String,
        stored: bool,
        /// The uploading staff member's handle.
        member: String,
    },
    /// A record (or, with `record_id` absent, a whole health ID) covered by a grant this
    /// node's staff hold was erased: they should delete what they downloaded.
    Erased {
        consent_id: String,
        record_id: Option<String>,
        member: String,
    },
}

/// The notice channel.
#[derive(Clone)]
pub struct Notices {
    sender: broadcast::Sender<Notice>,
}

impl Notices {
    /// A channel with no listeners yet.
    pub fn new() -> Self {
        Self {
            sender: broadcast::channel(1024).0,
        }
    }

    /// Sends a notice to whoever listens (nobody: dropped).
    pub fn send(&self, notice: Notice) {
        let _ = self.sender.send(notice);
    }

    /// A listener, seeing notices from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Notice> {
        self.sender.subscribe()
    }
}

impl Default for Notices {
    fn default() -> Self {
        Self::new()
    }
}
