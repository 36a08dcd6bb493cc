//! Adding and removing guardians of a health ID (docs/health.md §10): the holder or a
//! guardian names another patient of this node by handle; each change is audited.

use super::Health;
use super::audit::Action;
use super::error::HealthResult;
use super::ids::HealthIdView;
use crate::error::ServiceError;
use crate::members::{Member, Members};

impl Health {
    /// Makes the patient `handle` of this node a guardian of `hid` (holder, guardian).
    pub fn add_guardian(
        &self,
        member: &Member,
        hid: &str,
        handle: &str,
        members: &Members,
    ) -> HealthResult<HealthIdView> {
        let (id, _) = self.own_hid(member, hid)?;
        let handle = handle.trim();
        if handle.is_empty() {
            return Err(ServiceError::invalid("member", "is required: a member's handle").into());
        }
        let guardian = members.get(handle)?.ok_or_else(|| {
            ServiceError::invalid(
                "member",
                format!("`{handle}` is no member of this node (guardians are members of the health ID's home node)"),
            )
        })?;
        let record = self.inner.ids.add_guardian(&id, &guardian)?;
        self.record(&id, self.entry_here(member, Action::GuardianAdded))?;
        tracing::info!("guardian added");
        Ok(self.inner.ids.view(&record))
    }

    /// Removes the guardian `handle` from `hid` (holder, guardian; a guardian may remove
    /// themselves). The holder stays, and a dependant keeps one guardian.
    pub fn remove_guardian(
        &self,
        member: &Member,
        hid: &str,
        handle: &str,
    ) -> HealthResult<HealthIdView> {
        let (id, _) = self.own_hid(member, hid)?;
        let record = self.inner.ids.remove_guardian(&id, handle)?;
        self.record(&id, self.entry_here(member, Action::GuardianRemoved))?;
        tracing::info!("guardian removed");
        Ok(self.inner.ids.view(&record))
    }
}
