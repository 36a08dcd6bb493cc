//! The health service: the one API that the HTTP handlers and the chat port call (no logic
//! lives in either). Every call takes the calling [`Member`] and decides what they may do.
//!
//! | call | who | what |
//! |---|---|---|
//! | [`Health::issue`] | patient | a health ID for oneself or a dependant |
//! | [`Health::list_ids`] | patient | the IDs held and guarded |
//! | [`Health::get_profile`], [`Health::put_profile`] | holder, guardian | the profile |
//! | [`Health::upload`] (`uploads.rs`) | staff with a listed facility | a record, sent home |
//! | [`Health::list_records`], [`Health::read_content`] (`reads.rs`) | holder, guardian, staff under a grant | records, live from home |
//! | [`Health::ask`], [`Health::list_consents`], [`Health::decide`] (`grants.rs`) | staff; holder, guardian | consent |
//! | [`Health::audit`] | holder, guardian | the audit log |
//! | [`Health::fhir`] | holder, guardian | a FHIR R4 Bundle |
//! | [`Health::card`] | holder, guardian | the card image (PNG) |
//! | [`Health::erase_record`], [`Health::erase_id`] (`erasure.rs`) | holder, guardian | erasure |
//!
//! The federation side: [`Health`] is also the inbox's health gate (`gate.rs`), processes
//! what arrives for this node (`intake.rs`), answers reads (`answer.rs`) and relays them
//! (`relay.rs`). [`Health::subscribe`] tells chat what happened (`notices.rs`).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use caremesh_federation::NodeKey;
use caremesh_federation::object::{Announcement, Facility};

use super::asks::Asks;
use super::audit::{Action, AuditLog, Entry};
use super::consents::Consents;
use super::error::{HealthError, HealthResult};
use super::hid::{HealthId, host_of_url};
use super::ids::{HealthIdRecord, HealthIdView, HealthIds, NewDependant, Relation};
use super::notices::Notices;
use super::prefixes::{Claim, Prefixes};
use super::profile::{Profile, ProfileInput, Profiles};
use super::records::RecordIndex;
use super::relay::Transport;
use super::seal_keys::SealKeys;
use super::vault::{self, Vault};
use crate::clock::Clock;
use crate::error::ServiceError;
use crate::members::{Member, Role};
use crate::metrics::Metrics;
use crate::objects::{self, Publisher};
use crate::store::Store;

/// The `[health]` settings, paths resolved.
#[derive(Clone, Debug)]
pub struct HealthSettings {
    pub records_key_file: PathBuf,
    /// Where record bytes are kept (`<data_dir>/records`).
    pub records_dir: PathBuf,
    pub hid_prefix: Option<u32>,
    /// `(prefix, origin)` pins that override the prefix index.
    pub prefix_pins: Vec<(u32, String)>,
}

/// What the health service is built on.
pub struct HealthParts {
    pub settings: HealthSettings,
    pub store: Arc<dyn Store>,
    pub key: NodeKey,
    pub name: String,
    pub publisher: Publisher,
    pub clock: Arc<dyn Clock>,
    pub transport: Transport,
    /// Counters for `/metrics` (prefix conflicts).
    pub metrics: Arc<Metrics>,
}

/// Why the health service could not start.
#[derive(Debug, thiserror::Error)]
pub enum HealthStartError {
    #[error(transparent)]
    Vault(#[from] vault::OpenError),
    #[error("health: {0}")]
    Service(#[from] ServiceError),
}

/// The health service (cheap to clone).
#[derive(Clone)]
pub struct Health {
    pub(super) inner: Arc<Inner>,
}

pub(super) struct Inner {
    pub store: Arc<dyn Store>,
    pub vault: Vault,
    pub key: NodeKey,
    /// The current key and recently retired ones, to open seals addressed here.
    pub seal_keys: SealKeys,
    pub here: String,
    pub ids: HealthIds,
    pub profiles: Profiles,
    pub records: RecordIndex,
    pub consents: Consents,
    pub asks: Asks,
    pub audit: AuditLog,
    pub prefixes: Prefixes,
    pub publisher: Publisher,
    pub clock: Arc<dyn Clock>,
    pub transport: Transport,
    pub metrics: Arc<Metrics>,
    pub notices: Notices,
    /// When a content read of (record, node, member) was last audited: one entry per
    /// 10 minutes, not one per range.
    pub read_audits: Mutex<BTreeMap<(String, String, String), i64>>,
    /// Intake processes one object at a time.
    pub intake: tokio::sync::Mutex<()>,
}

impl std::fmt::Debug for Health {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Health")
            .field("here", &self.inner.here)
            .finish_non_exhaustive()
    }
}

impl Health {
    /// Opens the vault (the records key), takes this node's prefix, and announces it.
    pub fn open(parts: HealthParts) -> Result<Health, HealthStartError> {
        let HealthParts {
            settings,
            store,
            key,
            name,
            publisher,
            clock,
            transport,
            metrics,
        } = parts;
        let vault = vault::open(&settings.records_key_file, &settings.records_dir, &*store)?;
        let here = publisher.origin().to_owned();
        let prefixes = Prefixes::new(store.clone(), here.clone());
        let prefix = prefixes.own(settings.hid_prefix, &mut rand::thread_rng())?;
        for (pinned, origin) in &settings.prefix_pins {
            prefixes.pin(*pinned, origin)?;
        }
        let host = host_of_url(&here).unwrap_or_default();
        if let Claim::Taken { holder } = prefixes.claim_host(&host, &here)? {
            tracing::error!(
                host,
                holder,
                "another node announced this node's host first"
            );
        }
        let inner = Inner {
            ids: HealthIds::new(store.clone(), vault.clone(), prefix, host),
            profiles: Profiles::new(store.clone(), vault.clone()),
            records: RecordIndex::new(store.clone(), vault.clone()),
            consents: Consents::new(store.clone(), vault.clone()),
            asks: Asks::new(store.clone(), vault.clone()),
            audit: AuditLog::new(store.clone(), vault.clone()),
            prefixes,
            store,
            vault,
            key,
            seal_keys: SealKeys::of(publisher.keys()),
            here,
            publisher,
            clock,
            transport,
            metrics,
            notices: Notices::new(),
            read_audits: Mutex::default(),
            intake: tokio::sync::Mutex::new(()),
        };
        let health = Health {
            inner: Arc::new(inner),
        };
        health.announce(&name, prefix)?;
        Ok(health)
    }

    /// Publishes this node's announcement when it is missing or says something else.
    fn announce(&self, name: &str, prefix: u32) -> Result<(), ServiceError> {
        let inner = &self.inner;
        let ours = objects::list::<Announcement>(&*inner.store)?
            .into_iter()
            .find(|a| a.meta.origin == inner.here);
        let now = inner.clock.now_ms();
        let meta = match &ours {
            Some(a) if a.name == name && a.hid_prefixes == [prefix] => return Ok(()),
            Some(a) => objects::bump(&a.meta, now)?,
            None => inner.publisher.new_meta(now),
        };
        let announcement = Announcement {
            meta,
            name: name.to_owned(),
            hid_prefixes: vec![prefix],
        };
        inner.publisher.publish(&announcement, None)?;
        tracing::info!(prefix, "health ID prefix announced");
        Ok(())
    }

    /// Notices for the chat front ends, from now on.
    pub fn subscribe(&self) -> tokio::sync::broadcast::Receiver<super::notices::Notice> {
        self.inner.notices.subscribe()
    }

    /// The records vault (the appointment service seals its records with it).
    pub fn vault(&self) -> &Vault {
        &self.inner.vault
    }

    /// The health IDs issued here (the appointment service reads holders and guardians).
    pub fn ids(&self) -> &HealthIds {
        &self.inner.ids
    }

    /// This node's origin.
    pub fn origin(&self) -> &str {
        &self.inner.here
    }

    pub(super) fn now(&self) -> i64 {
        self.inner.clock.now_ms()
    }

    /// Appends to an audit log; a failure is the node's, not the caller's.
    pub(super) fn record(&self, id: &HealthId, entry: Entry) -> HealthResult<()> {
        self.inner.audit.append(id, entry)?;
        Ok(())
    }

    /// An audit entry by a member of this node.
    pub(super) fn entry_here(&self, member: &Member, action: Action) -> Entry {
        Entry {
            at: self.now(),
            node: self.inner.here.clone(),
            who: member.handle.clone(),
            action,
            record_id: None,
            consent_id: None,
            check: None,
        }
    }

    /// Issues a health ID: the caller's own (`dependant` absent) or a dependant's.
    pub fn issue(
        &self,
        member: &Member,
        dependant: Option<&NewDependant>,
    ) -> HealthResult<HealthIdView> {
        let now = self.now();
        let record = match dependant {
            None => self.inner.ids.issue_own(member, now)?,
            Some(d) => self.inner.ids.issue_dependant(member, d, now)?,
        };
        self.record(&record.number, self.entry_here(member, Action::Issued))?;
        if dependant.is_some() {
            self.record(
                &record.number,
                self.entry_here(member, Action::GuardianAdded),
            )?;
        }
        Ok(self.inner.ids.view(&record))
    }

    /// The IDs the caller holds (first) and guards.
    pub fn list_ids(&self, member: &Member) -> HealthResult<Vec<HealthIdView>> {
        let records = self.inner.ids.list_for(member)?;
        Ok(records.iter().map(|r| self.inner.ids.view(r)).collect())
    }

    /// Parses a health ID typed by a person; errors name `field`.
    pub fn parse_id(field: &'static str, text: &str) -> HealthResult<HealthId> {
        HealthId::parse(text).map_err(|e| ServiceError::invalid(field, e.to_string()).into())
    }

    /// The record of an ID issued here that `member` holds or guards; 404 otherwise, so
    /// that nobody learns whether someone else's number exists.
    pub(super) fn own_id(
        &self,
        member: &Member,
        id: &HealthId,
    ) -> HealthResult<(HealthIdRecord, Relation)> {
        let not_yours = || ServiceError::not_found("health ID", &id.to_string());
        let record = self.inner.ids.get(id)?.ok_or_else(not_yours)?;
        let relation = self.inner.ids.relation(member, id)?.ok_or_else(not_yours)?;
        Ok((record, relation))
    }

    /// The ID a path names (`HID`), issued here and held or guarded by `member`, with its
    /// record: 400 naming `HID` if malformed, 404 as [`Self::own_id`] otherwise.
    pub(super) fn own_hid(
        &self,
        member: &Member,
        hid: &str,
    ) -> HealthResult<(HealthId, HealthIdRecord)> {
        let id = Self::parse_id("HID", hid)?;
        let (record, _) = self.own_id(member, &id)?;
        Ok((id, record))
    }

    /// The profile of an ID the caller holds or guards.
    pub fn get_profile(&self, member: &Member, hid: &str) -> HealthResult<Profile> {
        let (id, _) = self.own_hid(member, hid)?;
        Ok(self.inner.profiles.get(&id)?)
    }

    /// Replaces the profile of an ID the caller holds or guards.
    pub fn put_profile(
        &self,
        member: &Member,
        hid: &str,
        input: &ProfileInput,
    ) -> HealthResult<Profile> {
        let (id, _) = self.own_hid(member, hid)?;
        let profile = self.inner.profiles.put(&id, input)?;
        self.record(&id, self.entry_here(member, Action::ProfileUpdated))?;
        Ok(profile)
    }

    /// The audit log of an ID the caller holds or guards (or erased, if they did).
    pub fn audit(&self, member: &Member, hid: &str) -> HealthResult<Vec<Entry>> {
        let id = Self::parse_id("HID", hid)?;
        if !self.erased_by(member, &id)? {
            self.own_id(member, &id)?;
        }
        Ok(self.inner.audit.list(&id)?)
    }

    /// The FHIR R4 Bundle of an ID the caller holds or guards, as JSON. `content_url` gives
    /// the URL of a record's bytes.
    pub fn fhir(
        &self,
        member: &Member,
        hid: &str,
        content_url: &dyn Fn(&str) -> String,
    ) -> HealthResult<serde_json::Value> {
        let (id, person) = self.own_hid(member, hid)?;
        let profile = self.inner.profiles.get(&id)?;
        let records = self.inner.records.list(&id)?;
        let bundle = super::fhir::bundle(&person, &profile, &records, content_url)
            .map_err(|e| HealthError::corrupt("fhir", e))?;
        self.record(&id, self.entry_here(member, Action::FhirExported))?;
        serde_json::to_value(&bundle).map_err(|e| HealthError::corrupt("fhir", e))
    }

    /// The card (PNG) of an ID the caller holds or guards.
    pub fn card(&self, member: &Member, hid: &str) -> HealthResult<Vec<u8>> {
        let (_, person) = self.own_hid(member, hid)?;
        let address = self.inner.ids.address(&person);
        super::card::card_png(&person.name, &person.number, &address)
            .map_err(|e| HealthError::corrupt("card", e))
    }

    /// The facility of a staff member, listed by this node; 403 otherwise.
    pub(super) fn staff_facility(&self, member: &Member) -> HealthResult<Facility> {
        if member.role != Role::Staff {
            return Err(ServiceError::forbidden("only staff of a facility may do this").into());
        }
        let unlisted = || {
            ServiceError::forbidden(
                "your member account names no facility listed on this node; ask the admin",
            )
        };
        let facility_id = member.facility_id.as_deref().ok_or_else(unlisted)?;
        let facility = objects::get::<Facility>(&*self.inner.store, facility_id)?;
        match facility {
            Some(f) if f.meta.origin == self.inner.here && !f.retracted => Ok(f),
            Some(_) | None => Err(unlisted().into()),
        }
    }
}
