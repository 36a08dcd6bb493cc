//! The health side of the fake node: health IDs, profiles, records with their bytes,
//! consents and an audit log, with the node's rules in small: patients hold and guard IDs,
//! staff upload and ask, and staff read only under a granted consent.

use caremesh_bots::port::*;
use caremesh_bots::reply::Document;

use super::{FakePort, not_found};

#[path = "fake_health/state.rs"]
mod state;

pub use state::{FakeId, HealthState};
use state::{digits, forbidden, shown};

#[async_trait::async_trait]
impl Health for FakePort {
    async fn health_ids(&self, by: &Account) -> PortResult<Vec<HealthIdInfo>> {
        if by.role != Role::Patient {
            return Err(forbidden("only patients hold and guard health IDs"));
        }
        let s = self.lock();
        let mut ids: Vec<HealthIdInfo> = s
            .health
            .ids
            .values()
            .filter(|i| i.info.guardians.contains(&by.handle))
            .map(|i| HealthIdInfo {
                own: i.holder.as_deref() == Some(&by.handle),
                ..i.info.clone()
            })
            .collect();
        ids.sort_by_key(|i| !i.own);
        Ok(ids)
    }
    async fn issue_health_id(
        &self,
        by: &Account,
        dependant: Option<DependantDraft>,
    ) -> PortResult<HealthIdInfo> {
        if by.role != Role::Patient {
            return Err(forbidden("only patients hold and guard health IDs"));
        }
        let mut s = self.lock();
        let h = &mut s.health;
        if dependant.is_none()
            && h.ids
                .values()
                .any(|i| i.holder.as_deref() == Some(&by.handle))
        {
            return Err(PortError::Conflict {
                problem: "you already hold a health ID".into(),
            });
        }
        h.next += 1;
        let d = format!("421730000000{:02}", h.next);
        let (name, year) = match &dependant {
            Some(dep) => (dep.name.clone(), u16::try_from(dep.birth_year).ok()),
            None => (by.handle.clone(), None),
        };
        let info = HealthIdInfo {
            number: shown(&d),
            address: format!("{}@a.test", name.to_lowercase().replace(' ', ".")),
            name,
            own: dependant.is_none(),
            birth_year: year,
            guardians: vec![by.handle.clone()],
        };
        let holder = dependant.is_none().then(|| by.handle.clone());
        h.ids.insert(
            d.clone(),
            FakeId {
                info: info.clone(),
                holder,
            },
        );
        h.log(&d, &by.handle, AuditAction::Issued);
        Ok(info)
    }
    async fn health_card(&self, by: &Account, health_id: &str) -> PortResult<Vec<u8>> {
        self.lock().health.own(by, health_id)?;
        Ok(b"\x89PNG\r\n\x1a\nfake card".to_vec())
    }
    async fn erase_health_id(&self, by: &Account, health_id: &str) -> PortResult<()> {
        let mut s = self.lock();
        let d = s.health.own(by, health_id)?;
        s.health.ids.remove(&d);
        s.health.records.remove(&d);
        s.health.log(&d, &by.handle, AuditAction::Erased);
        Ok(())
    }
    async fn profile(&self, by: &Account, health_id: &str) -> PortResult<ProfileInfo> {
        let s = self.lock();
        let d = s.health.own(by, health_id)?;
        Ok(s.health.profiles.get(&d).cloned().unwrap_or_default())
    }
    async fn set_profile(
        &self,
        by: &Account,
        health_id: &str,
        p: ProfileInfo,
    ) -> PortResult<ProfileInfo> {
        let mut s = self.lock();
        let d = s.health.own(by, health_id)?;
        if p.allergies.iter().any(|a| a.chars().count() > 200) {
            return Err(PortError::Invalid {
                field: "allergies".into(),
                problem: "entries are 1 to 200 characters".into(),
            });
        }
        s.health.profiles.insert(d.clone(), p.clone());
        s.health.log(&d, &by.handle, AuditAction::ProfileUpdated);
        Ok(p)
    }
    async fn records(&self, by: &Account, health_id: &str) -> PortResult<Vec<RecordInfo>> {
        let mut s = self.lock();
        let (d, scope) = s.health.readable(by, health_id)?;
        s.health.log(&d, &by.handle, AuditAction::Listed);
        let covered = |i: &RecordInfo| scope.as_ref().is_none_or(|t| t.contains(&i.record_type));
        let all = s
            .health
            .records
            .get(&d)
            .map(Vec::as_slice)
            .unwrap_or_default();
        Ok(all.iter().map(|(i, _)| i.clone()).filter(covered).collect())
    }
    async fn record_file(
        &self,
        by: &Account,
        health_id: &str,
        record_id: &str,
    ) -> PortResult<Document> {
        let mut s = self.lock();
        let (d, scope) = s.health.readable(by, health_id)?;
        s.health.log(&d, &by.handle, AuditAction::Read);
        let found = s
            .health
            .records
            .get(&d)
            .and_then(|r| r.iter().find(|(i, _)| i.id == record_id));
        let (info, bytes) = found.ok_or_else(|| not_found("record", record_id))?;
        if scope.is_some_and(|t| !t.contains(&info.record_type)) {
            return Err(PortError::NoConsent {
                reason: format!(
                    "the grant does not cover {} records",
                    info.record_type.as_str()
                ),
            });
        }
        Ok(Document::named(
            &info.title,
            &info.content_type,
            bytes.clone(),
        ))
    }
    async fn erase_record(&self, by: &Account, health_id: &str, record_id: &str) -> PortResult<()> {
        let mut s = self.lock();
        let d = s.health.own(by, health_id)?;
        let list = s.health.records.entry(d.clone()).or_default();
        let before = list.len();
        list.retain(|(i, _)| i.id != record_id);
        if list.len() == before {
            return Err(not_found("record", record_id));
        }
        s.health.log(&d, &by.handle, AuditAction::Erased);
        Ok(())
    }
    async fn upload_record(&self, by: &Account, up: RecordUpload) -> PortResult<Uploaded> {
        if by.role != Role::Staff {
            return Err(forbidden("only staff of a facility may do this"));
        }
        let mut s = self.lock();
        let d = digits(&up.health_id)?;
        if !s.health.ids.contains_key(&d) {
            return Err(not_found("health ID", &up.health_id));
        }
        if !["application/pdf", "image/jpeg", "image/png", "text/plain"]
            .contains(&up.content_type.as_str())
        {
            return Err(PortError::Invalid {
                field: "Content-Type".into(),
                problem: format!("`{}` is not taken", up.content_type),
            });
        }
        s.health.next += 1;
        let id = format!("01REC{:021}", s.health.next);
        let info = RecordInfo {
            id: id.clone(),
            record_type: up.record_type,
            title: up.title,
            date: up.date.unwrap_or_else(|| "2025-01-01".into()),
            facility: "City Lab".into(),
            content_type: up.content_type,
            size: up.bytes.len() as u64,
        };
        s.health
            .records
            .entry(d.clone())
            .or_default()
            .push((info, up.bytes));
        s.health.log(&d, &by.handle, AuditAction::Uploaded);
        let guardians = s
            .health
            .ids
            .get(&d)
            .map(|i| i.info.guardians.clone())
            .unwrap_or_default();
        for g in guardians {
            s.notices.push((
                Some(g),
                caremesh_bots::notice::Notice::RecordArrived {
                    record_id: id.clone(),
                },
            ));
        }
        Ok(Uploaded {
            id,
            sha256: "ab".repeat(32),
            stored: true,
        })
    }
    async fn consents(&self, by: &Account) -> PortResult<Vec<ConsentInfo>> {
        let s = self.lock();
        let mine = |c: &ConsentInfo, asker: &String| {
            asker == &by.handle
                || digits(&c.health_id)
                    .ok()
                    .and_then(|d| s.health.ids.get(&d))
                    .is_some_and(|i| i.info.guardians.contains(&by.handle))
        };
        Ok(s.health
            .consents
            .iter()
            .filter(|(c, a)| mine(c, a))
            .map(|(c, a)| ConsentInfo {
                decides: a != &by.handle,
                ..c.clone()
            })
            .collect())
    }
    async fn decide_consent(
        &self,
        by: &Account,
        id: &str,
        decision: ConsentDecision,
    ) -> PortResult<ConsentInfo> {
        let mut s = self.lock();
        let guards = |c: &ConsentInfo, s: &HealthState| {
            digits(&c.health_id)
                .ok()
                .and_then(|d| s.ids.get(&d))
                .is_some_and(|i| i.info.guardians.contains(&by.handle))
        };
        let at = s
            .health
            .consents
            .iter()
            .position(|(c, _)| c.id == id && guards(c, &s.health))
            .ok_or_else(|| not_found("consent", id))?;
        let (c, _) = &mut s.health.consents[at];
        c.state = match (decision, c.state) {
            (ConsentDecision::Grant, ConsentState::Requested) => ConsentState::Granted,
            (ConsentDecision::Deny, ConsentState::Requested) => ConsentState::Denied,
            (ConsentDecision::Revoke, ConsentState::Granted) => ConsentState::Revoked,
            _ => {
                return Err(PortError::Conflict {
                    problem: "the consent is not open to that".into(),
                });
            }
        };
        Ok(c.clone())
    }
    async fn ask_consent(&self, by: &Account, draft: ConsentDraft) -> PortResult<ConsentInfo> {
        if by.role != Role::Staff {
            return Err(forbidden("only staff of a facility may do this"));
        }
        let mut s = self.lock();
        let d = digits(&draft.health_id)?;
        let person = s
            .health
            .ids
            .get(&d)
            .map(|i| i.info.clone())
            .ok_or_else(|| not_found("health ID", &draft.health_id))?;
        s.health.next += 1;
        let info = ConsentInfo {
            id: format!("01CON{:021}", s.health.next),
            health_id: shown(&d),
            person: person.name,
            facility: "City Clinic".into(),
            node: "c.test".into(),
            member: by.handle.clone(),
            purpose: draft.purpose,
            record_types: draft.record_types,
            from: draft.from,
            to: draft.to,
            expires: "2025-02-01T10:00:00Z".into(),
            state: ConsentState::Requested,
            decides: false,
        };
        s.health.consents.push((info.clone(), by.handle.clone()));
        s.health.log(&d, &by.handle, AuditAction::Asked);
        for g in person.guardians {
            s.notices.push((
                Some(g),
                caremesh_bots::notice::Notice::ConsentAsked {
                    consent_id: info.id.clone(),
                },
            ));
        }
        Ok(info)
    }
    async fn audit(&self, by: &Account, health_id: &str) -> PortResult<Vec<AuditLine>> {
        let s = self.lock();
        let d = s.health.own(by, health_id)?;
        Ok(s.health.audit.get(&d).cloned().unwrap_or_default())
    }
}
