//! Consents this node asked for, as the asking node keeps them (`ask:<id>`, sealed), and the
//! list of consent ids asked by each facility of this node (`asks:<facility id>`), which
//! also names asks made here for health IDs issued here. The home node's signed `consent`
//! objects update them; reads still go to the home node, which checks again every time.

use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};

use super::consent::{Consent, Status};
use super::hid::HealthId;
use super::profile::vault_err;
use super::vault::Vault;
use crate::error::ServiceError;
use crate::store::{Space, Store};

/// A consent asked by this node of another node.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ask {
    /// The ask, and the decision as the home node last sent it.
    pub consent: Consent,
    /// The home node of the health ID.
    pub home: String,
    /// The version of the home node's `consent` object applied (0: none yet).
    pub version: u64,
    /// The home node said the whole health ID was erased.
    pub erased: bool,
    /// Records the home node said were erased.
    pub erased_records: Vec<String>,
}

impl Ask {
    /// Whether this ask is a grant in force at `now`, as far as this node knows.
    pub fn is_live(&self, now: i64) -> bool {
        !self.erased && self.consent.status_at(now) == Status::Granted
    }

    /// Whether this ask was granted and has expired by this node's clock at `now`.
    pub fn expired_grant(&self, now: i64) -> bool {
        !self.erased
            && self.consent.status == Status::Granted
            && self.consent.status_at(now) == Status::Expired
    }
}

/// Asks made by this node.
#[derive(Clone)]
pub struct Asks {
    store: Arc<dyn Store>,
    vault: Vault,
    writing: Arc<Mutex<()>>,
}

fn facility_key(facility_id: &str) -> String {
    format!("asks:{facility_id}")
}

impl Asks {
    /// Asks kept in `store`, sealed by `vault`.
    pub fn new(store: Arc<dyn Store>, vault: Vault) -> Self {
        Self {
            store,
            vault,
            writing: Arc::default(),
        }
    }

    /// An ask by id.
    pub fn get(&self, id: &str) -> Result<Option<Ask>, ServiceError> {
        if ulid::Ulid::from_string(id).is_err() {
            return Ok(None);
        }
        self.vault
            .get(
                self.store.as_ref(),
                Space::Health,
                "ask",
                &format!("ask:{id}"),
            )
            .map_err(vault_err)
    }

    /// Writes an ask.
    pub fn save(&self, ask: &Ask) -> Result<(), ServiceError> {
        let key = format!("ask:{}", ask.consent.id);
        self.vault
            .put(self.store.as_ref(), Space::Health, &key, ask)
            .map_err(vault_err)
    }

    /// The consent ids asked by a facility of this node (here or elsewhere), oldest first.
    pub fn of_facility(&self, facility_id: &str) -> Result<Vec<String>, ServiceError> {
        let ids = self
            .vault
            .get(
                self.store.as_ref(),
                Space::Health,
                "asks of a facility",
                &facility_key(facility_id),
            )
            .map_err(vault_err)?;
        Ok(ids.unwrap_or_default())
    }

    /// Notes that `facility_id` asked for consent `consent_id`.
    pub fn add_to_facility(&self, facility_id: &str, consent_id: &str) -> Result<(), ServiceError> {
        let _guard = self.writing.lock().unwrap_or_else(|e| e.into_inner());
        let mut ids = self.of_facility(facility_id)?;
        if !ids.iter().any(|id| id == consent_id) {
            ids.push(consent_id.to_owned());
            self.vault
                .put(
                    self.store.as_ref(),
                    Space::Health,
                    &facility_key(facility_id),
                    &ids,
                )
                .map_err(vault_err)?;
        }
        Ok(())
    }

    /// The asks of `facility_id` for `id`, at its home `home`, that a read sends home: the
    /// grants in force or, when there is none, the grants expired by this node's clock (the
    /// home node's clock decides, and it audits the refused read for the holder).
    pub fn for_read(
        &self,
        facility_id: &str,
        id: &HealthId,
        home: &str,
        now: i64,
    ) -> Result<Vec<Ask>, ServiceError> {
        let mut asked = Vec::new();
        for consent_id in self.of_facility(facility_id)? {
            if let Some(ask) = self.get(&consent_id)?
                && ask.consent.health_id == *id
                && ask.home == home
            {
                asked.push(ask);
            }
        }
        let (live, rest): (Vec<Ask>, Vec<Ask>) = asked.into_iter().partition(|a| a.is_live(now));
        if !live.is_empty() {
            return Ok(live);
        }
        Ok(rest.into_iter().filter(|a| a.expired_grant(now)).collect())
    }

    /// Every ask sent to `home` for `id` (erasure notices).
    pub fn for_id_at(&self, id: &HealthId, home: &str) -> Result<Vec<Ask>, ServiceError> {
        let mut out = Vec::new();
        for (key, _) in self.store.scan(Space::Health)? {
            let Some(ask_id) = key.strip_prefix("ask:") else {
                continue;
            };
            if let Some(ask) = self.get(ask_id)?
                && ask.consent.health_id == *id
                && ask.home == home
            {
                out.push(ask);
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::health::consent::{Decision, NewConsent, Purpose, Requester};
    use crate::health::record::RecordType;
    use crate::health::vault::RecordsKey;
    use crate::store::memory::MemoryStore;

    const DAY: i64 = 24 * 3600 * 1000;
    const NOW: i64 = 1_795_000_000_000;
    const HOME: &str = "https://home.example";
    const CLINIC: &str = "01JD3V5Q0000000000000000F2";

    fn hid() -> HealthId {
        HealthId::from_parts(91000, 12_345_678).unwrap()
    }

    /// An ask by `facility` of `home`, expiring after `days`, decided (or not) at NOW.
    fn ask(asks: &Asks, facility: &str, home: &str, days: i64, decision: Option<Decision>) -> Ask {
        let requester = Requester {
            node: "https://clinic.example".into(),
            facility_id: facility.into(),
            facility_name: "Eye Clinic".into(),
            member: "dr.rao".into(),
        };
        let new = NewConsent {
            health_id: hid(),
            purpose: Purpose::Care,
            record_types: vec![RecordType::LabReport],
            from: None,
            to: None,
            expires: NOW + days * DAY,
        };
        let mut consent = new
            .validate(ulid::Ulid::new().to_string(), requester, NOW - DAY)
            .unwrap();
        if let Some(decision) = decision {
            consent.decide(Decision::Grant, "kamala", NOW).unwrap();
            if decision != Decision::Grant {
                consent.decide(decision, "kamala", NOW).unwrap();
            }
        }
        let ask = Ask {
            consent,
            home: home.into(),
            version: 1,
            erased: false,
            erased_records: Vec::new(),
        };
        asks.save(&ask).unwrap();
        asks.add_to_facility(facility, &ask.consent.id).unwrap();
        ask
    }

    fn ids(asks: Vec<Ask>) -> Vec<String> {
        asks.into_iter().map(|a| a.consent.id).collect()
    }

    #[test]
    fn a_read_sends_live_grants_else_grants_expired_by_this_clock() {
        let dir = tempfile::tempdir().unwrap();
        let vault = Vault::local(RecordsKey::generate(), dir.path()).unwrap();
        let asks = Asks::new(Arc::new(MemoryStore::new()), vault);
        let long = ask(&asks, CLINIC, HOME, 30, Some(Decision::Grant));
        let short = ask(&asks, CLINIC, HOME, 2, Some(Decision::Grant));
        // Never sent: not granted, revoked, erased, another home, another facility.
        ask(&asks, CLINIC, HOME, 30, None);
        ask(&asks, CLINIC, HOME, 30, Some(Decision::Revoke));
        let mut erased = ask(&asks, CLINIC, HOME, 30, Some(Decision::Grant));
        erased.erased = true;
        asks.save(&erased).unwrap();
        ask(
            &asks,
            CLINIC,
            "https://other.example",
            30,
            Some(Decision::Grant),
        );
        ask(
            &asks,
            "01JD3V5Q0000000000000000F3",
            HOME,
            30,
            Some(Decision::Grant),
        );

        let read = |now| ids(asks.for_read(CLINIC, &hid(), HOME, now).unwrap());
        let both = vec![long.consent.id.clone(), short.consent.id.clone()];
        assert_eq!(read(NOW), both);
        assert_eq!(read(NOW + 3 * DAY), vec![long.consent.id.clone()]);
        // No grant is live any more: the expired ones still go home, whose clock decides.
        assert_eq!(read(NOW + 31 * DAY), both);
        let other = HealthId::from_parts(91000, 1).unwrap();
        assert!(asks.for_read(CLINIC, &other, HOME, NOW).unwrap().is_empty());
    }
}
