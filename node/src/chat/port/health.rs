//! Health IDs, profiles, records and consent for the chat: the same calls of the health
//! service (`crate::health::Health`) the API's handlers make, with the caller's rights;
//! only the shapes change (numbers shown with dashes, times in RFC 3339, hosts for origins).

use caremesh_bots::notice::Notice;
use caremesh_bots::port::{
    Account, AuditLine, ConsentDecision, ConsentDraft, ConsentInfo, ConsentState, DependantDraft,
    Health, HealthIdInfo, PortError, PortResult, ProfileInfo, RecordInfo, RecordUpload, Uploaded,
};
use caremesh_bots::reply::Document;
use caremesh_federation::object::RecordItem;
use caremesh_federation::vocabulary::{BloodGroup, RecordType};

use super::ChatNode;
use crate::health::consent::{Decision, NewConsent, Status};
use crate::health::grants::{Listed, day};
use crate::health::hid::host_of_url;
use crate::health::ids::{HealthIdView, NewDependant};
use crate::health::profile::{EmergencyContact, Profile, ProfileInput};
use crate::health::uploads::{Upload, UploadStatus};
use crate::health::{self as service, HealthError};
use crate::members::{Member, Role};

/// The service's refusals as the engine knows them (the API's statuses in words).
impl From<HealthError> for PortError {
    fn from(e: HealthError) -> Self {
        let message = e.to_string();
        match e {
            HealthError::Service(e) => e.into(),
            HealthError::NoConsent { .. } => PortError::NoConsent { reason: message },
            HealthError::UnsupportedType { .. } | HealthError::TooLarge { .. } => {
                PortError::Invalid {
                    field: "file".into(),
                    problem: message,
                }
            }
            HealthError::Route(_) => PortError::Conflict { problem: message },
            HealthError::Unreachable { .. } => PortError::Unavailable { problem: message },
        }
    }
}

/// `https://a.example:7443` → `a.example:7443`.
fn host(origin: &str) -> String {
    host_of_url(origin).unwrap_or_else(|| {
        let rest = origin.split_once("://").map_or(origin, |(_, r)| r);
        rest.trim_end_matches('/').to_owned()
    })
}

/// Unix ms → RFC 3339 (UTC, seconds).
fn rfc3339(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_default()
}

/// `YYYY-MM-DD` → unix ms at 00:00 UTC, naming the field when it is no date.
fn day_ms(field: &str, text: Option<&str>) -> PortResult<Option<i64>> {
    let Some(text) = text else { return Ok(None) };
    let date = chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
        PortError::Invalid {
            field: field.into(),
            problem: format!("`{text}` is not a date YYYY-MM-DD"),
        }
    })?;
    Ok(date
        .and_hms_opt(0, 0, 0)
        .map(|t| t.and_utc().timestamp_millis()))
}

fn id_info(view: HealthIdView) -> HealthIdInfo {
    HealthIdInfo {
        number: view.health_id,
        address: view.address,
        name: view.name,
        // Only a dependant's ID is issued with a year of birth.
        own: view.birth_year.is_none(),
        birth_year: view.birth_year,
        guardians: view.guardians,
    }
}

fn profile_info(p: Profile) -> ProfileInfo {
    ProfileInfo {
        blood_group: p
            .blood_group
            .and_then(|b| BloodGroup::from_wire(b.as_str())),
        allergies: p.allergies,
        conditions: p.conditions,
        medications: p.medications,
        emergency_contact: p.emergency_contact.map(|c| match c {
            EmergencyContact::Text(text) => text,
            EmergencyContact::Person {
                name,
                phone,
                relation: Some(relation),
            } => format!("{name}, {phone} ({relation})"),
            EmergencyContact::Person { name, phone, .. } => format!("{name}, {phone}"),
        }),
    }
}

fn record_info(r: RecordItem) -> RecordInfo {
    RecordInfo {
        record_type: RecordType::from_wire(&r.record_type).unwrap_or(RecordType::Other),
        id: r.id,
        title: r.title,
        date: r.date,
        facility: r.facility.name,
        content_type: r.content_type,
        size: r.size,
    }
}

fn consent_state(status: Status) -> ConsentState {
    match status {
        Status::Requested => ConsentState::Requested,
        Status::Granted => ConsentState::Granted,
        Status::Denied => ConsentState::Denied,
        Status::Revoked => ConsentState::Revoked,
        Status::Expired => ConsentState::Expired,
    }
}

/// A consent as chat shows it; `names` are the IDs the viewer holds or guards (their people's
/// names are shown; staff see the number only).
fn consent_info(listed: Listed, viewer: &Member, names: &[HealthIdView]) -> ConsentInfo {
    let c = listed.consent;
    let number = c.health_id.to_string();
    let person = names
        .iter()
        .find(|v| v.health_id == number)
        .map(|v| v.name.clone());
    ConsentInfo {
        id: c.id,
        decides: viewer.role == Role::Patient && person.is_some(),
        person: person.unwrap_or_default(),
        health_id: number,
        facility: c.requester.facility_name,
        node: host(&c.requester.node),
        member: c.requester.member,
        purpose: c.purpose,
        record_types: c.record_types.iter().copied().collect(),
        from: day(c.from),
        to: day(c.to),
        expires: rfc3339(c.expires),
        state: consent_state(listed.status),
    }
}

impl ChatNode {
    /// The IDs a patient holds or guards (whose names they may see); none for others.
    fn people_of(&self, member: &Member) -> PortResult<Vec<HealthIdView>> {
        if member.role != Role::Patient {
            return Ok(Vec::new());
        }
        Ok(self.app.health.list_ids(member)?)
    }
}

#[async_trait::async_trait]
impl Health for ChatNode {
    async fn health_ids(&self, by: &Account) -> PortResult<Vec<HealthIdInfo>> {
        let member = self.member(by)?;
        let ids = self.app.health.list_ids(&member)?;
        Ok(ids.into_iter().map(id_info).collect())
    }
    async fn issue_health_id(
        &self,
        by: &Account,
        dependant: Option<DependantDraft>,
    ) -> PortResult<HealthIdInfo> {
        let member = self.member(by)?;
        let dependant = dependant.map(|d| NewDependant {
            name: d.name,
            birth_year: d.birth_year,
        });
        let view = self.app.health.issue(&member, dependant.as_ref())?;
        Ok(id_info(view))
    }
    async fn health_card(&self, by: &Account, health_id: &str) -> PortResult<Vec<u8>> {
        let member = self.member(by)?;
        Ok(self.app.health.card(&member, health_id)?)
    }
    async fn erase_health_id(&self, by: &Account, health_id: &str) -> PortResult<()> {
        let member = self.member(by)?;
        Ok(self.app.health.erase_id(&member, health_id).await?)
    }
    async fn profile(&self, by: &Account, health_id: &str) -> PortResult<ProfileInfo> {
        let member = self.member(by)?;
        Ok(profile_info(
            self.app.health.get_profile(&member, health_id)?,
        ))
    }
    async fn set_profile(
        &self,
        by: &Account,
        health_id: &str,
        profile: ProfileInfo,
    ) -> PortResult<ProfileInfo> {
        let member = self.member(by)?;
        let input = ProfileInput {
            blood_group: profile.blood_group.map(|b| b.as_str().to_owned()),
            allergies: profile.allergies,
            conditions: profile.conditions,
            medications: profile.medications,
            emergency_contact: profile.emergency_contact.map(EmergencyContact::Text),
        };
        let saved = self.app.health.put_profile(&member, health_id, &input)?;
        Ok(profile_info(saved))
    }
    async fn records(&self, by: &Account, health_id: &str) -> PortResult<Vec<RecordInfo>> {
        let member = self.member(by)?;
        let items = self.app.health.list_records(&member, health_id).await?;
        Ok(items.into_iter().map(record_info).collect())
    }
    async fn record_file(
        &self,
        by: &Account,
        health_id: &str,
        record_id: &str,
    ) -> PortResult<Document> {
        let member = self.member(by)?;
        let health = &self.app.health;
        let content = health.read_content(&member, health_id, record_id).await?;
        let content_type = content.content_type.clone();
        let name = content
            .title
            .clone()
            .unwrap_or_else(|| format!("record-{record_id}"));
        let bytes = content.collect().await?;
        Ok(Document::named(&name, &content_type, bytes))
    }
    async fn erase_record(&self, by: &Account, health_id: &str, record_id: &str) -> PortResult<()> {
        let member = self.member(by)?;
        let health = &self.app.health;
        Ok(health.erase_record(&member, health_id, record_id).await?)
    }
    async fn upload_record(&self, by: &Account, upload: RecordUpload) -> PortResult<Uploaded> {
        let member = self.member(by)?;
        let RecordUpload {
            health_id,
            record_type,
            title,
            date,
            content_type,
            bytes,
        } = upload;
        // A caption without a date means today (the service asks for one).
        let today = || rfc3339(self.app.clock.now_ms()).chars().take(10).collect();
        let upload = Upload {
            record_type: Some(record_type.as_str().to_owned()),
            title: Some(title),
            date: Some(date.unwrap_or_else(today)),
            content_type,
            bytes,
        };
        let done = self.app.health.upload(&member, &health_id, upload).await?;
        Ok(Uploaded {
            id: done.id,
            sha256: done.sha256,
            stored: done.status == UploadStatus::Stored,
        })
    }
    async fn consents(&self, by: &Account) -> PortResult<Vec<ConsentInfo>> {
        let member = self.member(by)?;
        let people = self.people_of(&member)?;
        let mut listed = self.app.health.list_consents(&member)?;
        listed.sort_by_key(|l| std::cmp::Reverse(l.consent.created_at));
        Ok(listed
            .into_iter()
            .map(|l| consent_info(l, &member, &people))
            .collect())
    }
    async fn decide_consent(
        &self,
        by: &Account,
        consent_id: &str,
        decision: ConsentDecision,
    ) -> PortResult<ConsentInfo> {
        let member = self.member(by)?;
        let decision = match decision {
            ConsentDecision::Grant => Decision::Grant,
            ConsentDecision::Deny => Decision::Deny,
            ConsentDecision::Revoke => Decision::Revoke,
        };
        let listed = self.app.health.decide(&member, consent_id, decision)?;
        // The service tells staff of other nodes (their node gets the decision); staff of
        // this node are told here.
        let requester = &listed.consent.requester;
        if requester.node == self.app.health.origin() {
            let notice = Notice::ConsentDecided {
                consent_id: consent_id.to_owned(),
            };
            if let Err(e) = self.records.enqueue(Some(&requester.member), &notice) {
                tracing::warn!(error = %e, "cannot queue a consent decision notice");
            }
        }
        let people = self.people_of(&member)?;
        Ok(consent_info(listed, &member, &people))
    }
    async fn ask_consent(&self, by: &Account, draft: ConsentDraft) -> PortResult<ConsentInfo> {
        let member = self.member(by)?;
        let new = NewConsent {
            health_id: service::Health::parse_id("health_id", &draft.health_id)?,
            purpose: draft.purpose,
            record_types: draft.record_types,
            from: day_ms("from", draft.from.as_deref())?,
            to: day_ms("to", draft.to.as_deref())?,
            expires: self.days_from_now(draft.days),
        };
        let listed = self.app.health.ask(&member, new)?;
        Ok(consent_info(listed, &member, &[]))
    }
    async fn audit(&self, by: &Account, health_id: &str) -> PortResult<Vec<AuditLine>> {
        let member = self.member(by)?;
        let entries = self.app.health.audit(&member, health_id)?;
        Ok(entries
            .into_iter()
            .map(|e| AuditLine {
                at: rfc3339(e.at),
                node: host(&e.node),
                who: e.who,
                action: e.action,
                check: e.check,
            })
            .collect())
    }
}
