//! Guardians of a health ID (docs/health.md §10): the holder or a guardian adds another
//! patient of this node as a guardian (a second child abroad), or removes one. The record's
//! list and the member's list of guarded IDs change together, under the issuing lock.

use super::{Guardian, HealthIdRecord, HealthIds, MAX_DEPENDANTS, check_patient, vault_err};
use crate::error::ServiceError;
use crate::health::hid::HealthId;
use crate::members::Member;
use crate::store::Space;

/// Guardians one health ID may have (the holder of an own ID counts as one).
pub const MAX_GUARDIANS: usize = 5;

impl HealthIds {
    fn save_record(&self, record: &HealthIdRecord) -> Result<(), ServiceError> {
        let key = self.hid_key(&record.number);
        self.vault
            .put(self.store.as_ref(), Space::Health, &key, record)
            .map_err(vault_err)
    }

    /// Makes `member` a guardian of `id`. The caller checked that whoever asks may.
    pub fn add_guardian(
        &self,
        id: &HealthId,
        member: &Member,
    ) -> Result<HealthIdRecord, ServiceError> {
        check_patient(member).map_err(|_| {
            ServiceError::invalid("member", "must be a member with the patient role")
        })?;
        let _guard = self.issuing.lock().unwrap_or_else(|e| e.into_inner());
        let mut record = self
            .get(id)?
            .ok_or_else(|| ServiceError::not_found("health ID", &id.to_string()))?;
        if record.guardians.iter().any(|g| g.member_id == member.id)
            || record.holder.as_deref() == Some(member.id.as_str())
        {
            return Err(ServiceError::conflict(format!(
                "`{}` already holds or guards this health ID",
                member.handle
            )));
        }
        if record.guardians.len() >= MAX_GUARDIANS {
            return Err(ServiceError::conflict(format!(
                "this health ID already has {MAX_GUARDIANS} guardians, the most it may"
            )));
        }
        let mut ids = self.member_ids(&member.id)?;
        if ids.guarded.len() >= MAX_DEPENDANTS {
            return Err(ServiceError::conflict(format!(
                "`{}` already guards {MAX_DEPENDANTS} health IDs, the most one member may",
                member.handle
            )));
        }
        record.guardians.push(Guardian {
            member_id: member.id.clone(),
            handle: member.handle.clone(),
        });
        ids.guarded.push(*id);
        self.save_record(&record)?;
        self.save_member_ids(&member.id, &ids)?;
        Ok(record)
    }

    /// Removes the guardian with handle `handle` from `id`. The holder stays (it is their
    /// own ID), and a dependant keeps at least one guardian.
    pub fn remove_guardian(
        &self,
        id: &HealthId,
        handle: &str,
    ) -> Result<HealthIdRecord, ServiceError> {
        let _guard = self.issuing.lock().unwrap_or_else(|e| e.into_inner());
        let mut record = self
            .get(id)?
            .ok_or_else(|| ServiceError::not_found("health ID", &id.to_string()))?;
        let Some(at) = record.guardians.iter().position(|g| g.handle == handle) else {
            return Err(ServiceError::not_found("guardian", handle));
        };
        let member_id = record.guardians[at].member_id.clone();
        if record.holder.as_deref() == Some(member_id.as_str()) {
            return Err(ServiceError::conflict(
                "the holder cannot be removed from their own health ID",
            ));
        }
        if record.holder.is_none() && record.guardians.len() == 1 {
            return Err(ServiceError::conflict(
                "a dependant keeps at least one guardian: add another before removing this one",
            ));
        }
        record.guardians.remove(at);
        let mut ids = self.member_ids(&member_id)?;
        ids.guarded.retain(|g| g != id);
        self.save_record(&record)?;
        self.save_member_ids(&member_id, &ids)?;
        Ok(record)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::health::ids::tests::{dependant, fixture, member};
    use crate::health::ids::{NewDependant, Relation};
    use crate::members::Role;

    const NOW: i64 = 1_795_000_000_000;

    fn kamala() -> NewDependant {
        dependant("Kamala", 1948)
    }

    #[test]
    fn a_second_guardian_guards_and_can_be_removed() {
        let f = fixture();
        let (ravi, mira) = (member("ravi", Role::Patient), member("mira", Role::Patient));
        let record = f.ids.issue_dependant(&ravi, &kamala(), NOW).unwrap();
        let id = record.number;
        assert_eq!(f.ids.relation(&mira, &id).unwrap(), None);

        let added = f.ids.add_guardian(&id, &mira).unwrap();
        assert_eq!(f.ids.view(&added).guardians, ["ravi", "mira"]);
        assert_eq!(
            f.ids.relation(&mira, &id).unwrap(),
            Some(Relation::Guardian)
        );
        assert_eq!(f.ids.list_for(&mira).unwrap(), vec![added.clone()]);
        let again = f.ids.add_guardian(&id, &mira).unwrap_err();
        assert!(matches!(again, ServiceError::Conflict { .. }), "{again}");

        let removed = f.ids.remove_guardian(&id, "ravi").unwrap();
        assert_eq!(f.ids.view(&removed).guardians, ["mira"]);
        assert_eq!(f.ids.relation(&ravi, &id).unwrap(), None);
        assert!(f.ids.list_for(&ravi).unwrap().is_empty());
        let last = f.ids.remove_guardian(&id, "mira").unwrap_err();
        assert!(last.to_string().contains("at least one guardian"), "{last}");
        assert_eq!(f.ids.get(&id).unwrap(), Some(removed));
    }

    #[test]
    fn refusals_name_the_reason_and_change_nothing() {
        let f = fixture();
        let asha = member("asha", Role::Patient);
        let own = f.ids.issue_own(&asha, NOW).unwrap();
        let staff = member("dr_rao", Role::Staff);
        let wrong = f.ids.add_guardian(&own.number, &staff).unwrap_err();
        assert!(
            matches!(
                &wrong,
                ServiceError::Invalid {
                    field: "member",
                    ..
                }
            ),
            "{wrong}"
        );
        let holder = f.ids.add_guardian(&own.number, &asha).unwrap_err();
        assert!(matches!(holder, ServiceError::Conflict { .. }), "{holder}");
        let holder = f.ids.remove_guardian(&own.number, "asha").unwrap_err();
        assert!(holder.to_string().contains("holder"), "{holder}");
        let nobody = f.ids.remove_guardian(&own.number, "nobody").unwrap_err();
        assert!(matches!(nobody, ServiceError::NotFound { .. }), "{nobody}");
        for i in 1..MAX_GUARDIANS {
            let m = member(&format!("child{i}"), Role::Patient);
            f.ids.add_guardian(&own.number, &m).unwrap();
        }
        let full = f
            .ids
            .add_guardian(&own.number, &member("one_more", Role::Patient));
        assert!(
            matches!(full, Err(ServiceError::Conflict { .. })),
            "{full:?}"
        );
        let record = f.ids.get(&own.number).unwrap().unwrap();
        assert_eq!(record.guardians.len(), MAX_GUARDIANS);
        assert_eq!(record.holder.as_deref(), Some(asha.id.as_str()));
    }
}
