//! Health IDs issued by this node (docs/health.md §1, §10): a member's own, and those of
//! dependants they guard. Records are sealed in sled under blinded keys:
//! `hid:<b>` the ID record, `addr:<b>` the address handle taken, `member:<b>` the IDs a member
//! holds and guards, `erased:<b>` the tombstone of an erased number.

use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};

use super::hid::{HealthAddress, HealthId};
use super::profile::vault_err;
use super::vault::Vault;
use crate::error::ServiceError;
use crate::members::{Member, Role};
use crate::store::{Space, Store};

/// Dependants one member may guard.
pub const MAX_DEPENDANTS: usize = 10;

/// A member who manages a health ID.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Guardian {
    pub member_id: String,
    pub handle: String,
}

/// A health ID issued here.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HealthIdRecord {
    pub number: HealthId,
    /// The handle of the health address (`handle@<this node's host>`).
    pub handle: String,
    /// The member who is this person; `None` for a dependant without an account.
    pub holder: Option<String>,
    pub guardians: Vec<Guardian>,
    pub name: String,
    pub birth_year: Option<u16>,
    pub created_at: i64,
}

/// Names are personal data: debug output shows the number's prefix and the relations only.
impl std::fmt::Debug for HealthIdRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HealthIdRecord")
            .field("number", &self.number)
            .field("holder", &self.holder)
            .field("guardians", &self.guardians.len())
            .finish_non_exhaustive()
    }
}

/// What a member may do with an ID.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Relation {
    Holder,
    Guardian,
}

/// The IDs a member holds and guards.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
struct MemberIds {
    own: Option<HealthId>,
    guarded: Vec<HealthId>,
}

/// The body of `POST /api/v1/health-ids` for a dependant.
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDependant {
    /// The dependant's name, as on the card.
    #[schema(
        max_length = 100,
        pattern = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$"
    )]
    pub name: String,
    /// From 1900 to this year (not in the future).
    #[schema(minimum = 1900, maximum = 2100)]
    pub birth_year: i64,
}

/// The answer of `POST /api/v1/health-ids` and an item of `GET`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct HealthIdView {
    pub health_id: String,
    pub address: String,
    pub name: String,
    pub guardians: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub birth_year: Option<u16>,
}

/// Issues and finds this node's health IDs.
#[derive(Clone)]
pub struct HealthIds {
    store: Arc<dyn Store>,
    vault: Vault,
    prefix: u32,
    host: String,
    /// Issuing reads and writes a member's list; one issue at a time keeps "one own ID" true.
    issuing: Arc<Mutex<()>>,
}

fn year_of(now_ms: i64) -> i64 {
    chrono::DateTime::from_timestamp_millis(now_ms)
        .map(|t| i64::from(chrono::Datelike::year(&t)))
        .unwrap_or(2000)
}

/// A handle for a health address from a name: lowercase ASCII letters and digits, words
/// joined by `.`; `person` when nothing is left.
pub fn handle_from_name(name: &str) -> String {
    let words: Vec<String> = name
        .split(|c: char| c.is_whitespace() || matches!(c, '.' | '_' | '-'))
        .map(|w| {
            w.chars()
                .filter(char::is_ascii_alphanumeric)
                .collect::<String>()
                .to_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect();
    let mut handle = words.join(".");
    handle.truncate(28);
    let handle = handle.trim_end_matches('.').to_owned();
    if handle.len() < 3 {
        "person".to_owned()
    } else {
        handle
    }
}

impl HealthIds {
    /// IDs issued under `prefix`, with addresses on `host` (this node's public host).
    pub fn new(store: Arc<dyn Store>, vault: Vault, prefix: u32, host: String) -> Self {
        Self {
            store,
            vault,
            prefix,
            host,
            issuing: Arc::new(Mutex::new(())),
        }
    }

    fn key(&self, kind: &str, domain: &str, value: &str) -> String {
        format!("{kind}:{}", self.vault.blind(domain, value))
    }

    fn hid_key(&self, id: &HealthId) -> String {
        self.key("hid", "hid", &id.digits())
    }

    fn member_key(&self, member_id: &str) -> String {
        self.key("member", "member", member_id)
    }

    fn member_ids(&self, member_id: &str) -> Result<MemberIds, ServiceError> {
        let key = self.member_key(member_id);
        let ids = self
            .vault
            .get(
                self.store.as_ref(),
                Space::Health,
                "member health ids",
                &key,
            )
            .map_err(vault_err)?;
        Ok(ids.unwrap_or_default())
    }

    /// The health address of a record.
    pub fn address(&self, record: &HealthIdRecord) -> String {
        match HealthAddress::new(&record.handle, &self.host) {
            Ok(address) => address.to_string(),
            Err(_) => format!("{}@{}", record.handle, self.host),
        }
    }

    /// The API view of a record.
    pub fn view(&self, record: &HealthIdRecord) -> HealthIdView {
        HealthIdView {
            health_id: record.number.to_string(),
            address: self.address(record),
            name: record.name.clone(),
            guardians: record.guardians.iter().map(|g| g.handle.clone()).collect(),
            birth_year: record.birth_year,
        }
    }

    /// The record of `id`, if it was issued here and is not erased.
    pub fn get(&self, id: &HealthId) -> Result<Option<HealthIdRecord>, ServiceError> {
        self.vault
            .get(
                self.store.as_ref(),
                Space::Health,
                "health id",
                &self.hid_key(id),
            )
            .map_err(vault_err)
    }

    /// How `member` relates to `id`, if at all.
    pub fn relation(
        &self,
        member: &Member,
        id: &HealthId,
    ) -> Result<Option<Relation>, ServiceError> {
        let Some(record) = self.get(id)? else {
            return Ok(None);
        };
        if record.holder.as_deref() == Some(member.id.as_str()) {
            Ok(Some(Relation::Holder))
        } else if record.guardians.iter().any(|g| g.member_id == member.id) {
            Ok(Some(Relation::Guardian))
        } else {
            Ok(None)
        }
    }

    /// The IDs `member` holds (first) and guards.
    pub fn list_for(&self, member: &Member) -> Result<Vec<HealthIdRecord>, ServiceError> {
        let ids = self.member_ids(&member.id)?;
        let mut out = Vec::new();
        for id in ids.own.iter().chain(&ids.guarded) {
            if let Some(record) = self.get(id)? {
                out.push(record);
            }
        }
        Ok(out)
    }

    /// Issues `member`'s own health ID. A member holds one.
    pub fn issue_own(&self, member: &Member, now: i64) -> Result<HealthIdRecord, ServiceError> {
        check_patient(member)?;
        let _guard = self.issuing.lock().unwrap_or_else(|e| e.into_inner());
        let mut ids = self.member_ids(&member.id)?;
        if let Some(own) = ids.own {
            return Err(ServiceError::conflict(format!(
                "you already hold health ID {own}"
            )));
        }
        let guardian = Guardian {
            member_id: member.id.clone(),
            handle: member.handle.clone(),
        };
        let handle = handle_from_name(&member.handle);
        let record = self.create(
            handle,
            Some(member.id.clone()),
            vec![guardian],
            &member.handle,
            None,
            now,
        )?;
        ids.own = Some(record.number);
        self.save_member_ids(&member.id, &ids)?;
        Ok(record)
    }

    /// Issues a health ID for a dependant that `guardian` manages.
    pub fn issue_dependant(
        &self,
        guardian: &Member,
        dependant: &NewDependant,
        now: i64,
    ) -> Result<HealthIdRecord, ServiceError> {
        check_patient(guardian)?;
        let name = dependant.name.trim();
        if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
            return Err(ServiceError::invalid(
                "dependant.name",
                "must be 1 to 100 characters",
            ));
        }
        let this_year = year_of(now);
        if !(1900..=this_year).contains(&dependant.birth_year) {
            return Err(ServiceError::invalid(
                "dependant.birth_year",
                format!("must be a year from 1900 to {this_year}"),
            ));
        }
        let _guard = self.issuing.lock().unwrap_or_else(|e| e.into_inner());
        let mut ids = self.member_ids(&guardian.id)?;
        if ids.guarded.len() >= MAX_DEPENDANTS {
            return Err(ServiceError::conflict(format!(
                "you already guard {MAX_DEPENDANTS} dependants, the most one member may"
            )));
        }
        let guardians = vec![Guardian {
            member_id: guardian.id.clone(),
            handle: guardian.handle.clone(),
        }];
        let year = u16::try_from(dependant.birth_year).ok();
        let record = self.create(handle_from_name(name), None, guardians, name, year, now)?;
        ids.guarded.push(record.number);
        self.save_member_ids(&guardian.id, &ids)?;
        Ok(record)
    }

    fn save_member_ids(&self, member_id: &str, ids: &MemberIds) -> Result<(), ServiceError> {
        let key = self.member_key(member_id);
        self.vault
            .put(self.store.as_ref(), Space::Health, &key, ids)
            .map_err(vault_err)
    }

    /// Takes a free number and a free address handle (`base`, `base2`, ...), then writes the
    /// record.
    fn create(
        &self,
        base: String,
        holder: Option<String>,
        guardians: Vec<Guardian>,
        name: &str,
        birth_year: Option<u16>,
        now: i64,
    ) -> Result<HealthIdRecord, ServiceError> {
        let handle = self.take_handle(&base)?;
        let mut rng = rand::thread_rng();
        for _ in 0..32 {
            let Some(number) = HealthId::issue(self.prefix, &mut rng) else {
                break;
            };
            let record = HealthIdRecord {
                number,
                handle: handle.clone(),
                holder: holder.clone(),
                guardians: guardians.clone(),
                name: name.to_owned(),
                birth_year,
                created_at: now,
            };
            let erased = self.key("erased", "hid", &number.digits());
            if self.store.get(Space::Health, &erased)?.is_some() {
                continue;
            }
            if self.claim(&self.hid_key(&number), &record)? {
                return Ok(record);
            }
        }
        Err(ServiceError::conflict(
            "no free health ID number under this node's prefix; ask the operator to add one",
        ))
    }

    fn take_handle(&self, base: &str) -> Result<String, ServiceError> {
        // `base` has at most 28 characters, so `base999` still fits in 32.
        for n in 1..=999 {
            let handle = if n == 1 {
                base.to_owned()
            } else {
                format!("{base}{n}")
            };
            if self.claim(&self.key("addr", "addr", &handle), &handle)? {
                return Ok(handle);
            }
        }
        Err(ServiceError::conflict(format!(
            "every health address like `{base}` is taken"
        )))
    }

    /// Writes a sealed value only if its key is free.
    fn claim<T: Serialize>(&self, key: &str, value: &T) -> Result<bool, ServiceError> {
        let sealed =
            self.vault
                .seal_value(Space::Health, key, &crate::store::record::encode(value));
        Ok(self.store.insert_new(Space::Health, key, &sealed)?)
    }
}

fn check_patient(member: &Member) -> Result<(), ServiceError> {
    if member.role == Role::Patient {
        Ok(())
    } else {
        Err(ServiceError::forbidden(
            "only members with the patient role hold and guard health IDs",
        ))
    }
}

mod erase;
pub mod guardians;
#[cfg(test)]
mod tests;
