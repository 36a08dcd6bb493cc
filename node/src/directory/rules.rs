//! The node's rules for facility listings (see [`crate::kinds`]).

use caremesh_federation::object::Facility;

use crate::federation::inbox::Refusal;
use crate::kinds::{Admission, Announcement, Indexes, Intake, KindRules};

impl KindRules for Facility {
    const TRANSIENT: bool = false;

    /// Any node may list its own facilities; the protocol's checks (signature, schema,
    /// ownership, version order) are the whole rule for now.
    fn admit(&self, _at: &Admission<'_>) -> Result<(), Refusal> {
        Ok(())
    }

    /// Listings are found by search, not announced.
    fn announce(&self, _here: &str) -> Announcement<'_> {
        Announcement::Silent
    }

    /// Every stored version, local or federated, goes into the directory's search index.
    fn index(&self, indexes: &Indexes) {
        indexes.directory.index(self);
    }

    /// Read from the store where it is needed.
    fn intake(&self) -> Intake<'_> {
        Intake::Stored
    }
}
