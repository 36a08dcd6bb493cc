//! Consent from ask to revocation (docs/health.md §7): staff ask, for an ID issued here or
//! elsewhere (a sealed `consent_ask` to its home node); the holder or a guardian grants,
//! denies or revokes at home, which sends each decision to the asking node as a new version
//! of one signed `consent` object. Every read is checked at home anyway, so a revocation
//! works at once.

use caremesh_federation::health_seal;
use caremesh_federation::object::{AskContent, ConsentAsk, ConsentContent, ConsentStatus};
use caremesh_federation::{Kind, object};

use super::asks::Ask;
use super::audit::{Action, Entry};
use super::consent::{Consent, Decision, NewConsent, Requester, Status};
use super::consents::HeldConsent;
use super::error::{HealthError, HealthResult};
use super::notices::Notice;
use super::prefixes::Home;
use super::service::Health;
use crate::error::ServiceError;
use crate::members::{Member, Role};
use crate::objects;

/// A consent as listed: the consent, its home node, and its status now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Listed {
    pub consent: Consent,
    /// The home node of the health ID.
    pub home: String,
    pub status: Status,
}

/// A day as the wire and the API write it, `YYYY-MM-DD`.
pub fn day(date: Option<chrono::NaiveDate>) -> Option<String> {
    date.map(|d| d.format("%Y-%m-%d").to_string())
}

impl Health {
    /// Staff ask for consent to a health ID's records (`new.health_id`, here or elsewhere).
    pub fn ask(&self, member: &Member, new: NewConsent) -> HealthResult<Listed> {
        let inner = &self.inner;
        let facility = self.staff_facility(member)?;
        let requester = Requester {
            node: inner.here.clone(),
            facility_id: facility.meta.id.clone(),
            facility_name: facility.name.clone(),
            member: member.handle.clone(),
        };
        let now = self.now();
        let id = new.health_id;
        match inner.prefixes.home_of(&id)?? {
            Home::Here => {
                let person = inner
                    .ids
                    .get(&id)?
                    .ok_or_else(|| ServiceError::not_found("health ID", &id.to_string()))?;
                let consent = new.validate(ulid::Ulid::new().to_string(), requester, now)?;
                self.hold_ask(&consent, &person)?;
                inner.asks.add_to_facility(&facility.meta.id, &consent.id)?;
                Ok(self.listed(consent, inner.here.clone()))
            }
            Home::Node(home) => self.send_ask(&facility.meta.id, new, requester, home),
        }
    }

    /// Keeps an ask at home: held, audited, told to the holder and guardians.
    pub(super) fn hold_ask(
        &self,
        consent: &Consent,
        person: &super::ids::HealthIdRecord,
    ) -> HealthResult<()> {
        let held = HeldConsent {
            consent: consent.clone(),
            object: None,
        };
        self.inner.consents.save(&held)?;
        let entry = Entry {
            at: consent.created_at,
            node: consent.requester.node.clone(),
            who: consent.requester.member.clone(),
            action: Action::Asked,
            record_id: None,
            consent_id: Some(consent.id.clone()),
            check: None,
        };
        self.record(&consent.health_id, entry)?;
        tracing::info!(consent_id = %consent.id, "consent asked");
        self.inner.notices.send(Notice::ConsentAsked {
            health_id: consent.health_id,
            consent_id: consent.id.clone(),
            tell: super::intake::people_of(person),
        });
        Ok(())
    }

    fn send_ask(
        &self,
        facility_id: &str,
        new: NewConsent,
        requester: Requester,
        home: String,
    ) -> HealthResult<Listed> {
        let inner = &self.inner;
        let home_key = inner.transport.known_key(&home).ok_or_else(|| {
            HealthError::unreachable("the home node's key is not known here yet; try again soon")
        })?;
        let meta = inner.publisher.new_meta(self.now());
        let consent = new.validate(meta.id.clone(), requester, meta.created_at)?;
        let content = AskContent {
            health_id: consent.health_id.digits(),
            purpose: consent.purpose.as_str().to_owned(),
            record_types: consent.record_type_names(),
            from: day(consent.from),
            to: day(consent.to),
            expires: consent.expires,
            facility: object::HealthFacility {
                id: consent.requester.facility_id.clone(),
                name: consent.requester.facility_name.clone(),
            },
            member: consent.requester.member.clone(),
        };
        let place = health_seal::Place::new(Kind::ConsentAsk, &meta.id, &home);
        let sealed = health_seal::seal(&home_key, &place, &content)
            .map_err(|e| HealthError::corrupt(&meta.id, e))?;
        let ask = Ask {
            consent: consent.clone(),
            home: home.clone(),
            version: 0,
            erased: false,
            erased_records: Vec::new(),
        };
        inner.asks.save(&ask)?;
        inner.asks.add_to_facility(facility_id, &consent.id)?;
        let object = ConsentAsk {
            meta,
            addressee: home.clone(),
            sealed,
        };
        inner
            .publisher
            .publish(&object, Some(&consent.requester.member))?;
        tracing::info!(consent_id = %consent.id, "consent asked of the home node");
        Ok(self.listed(consent, home))
    }

    fn listed(&self, consent: Consent, home: String) -> Listed {
        let status = consent.status_at(self.now());
        Listed {
            consent,
            home,
            status,
        }
    }

    /// The consents the caller may see: for a patient, those of the IDs they hold or guard;
    /// for staff, those their facility asked for.
    pub fn list_consents(&self, member: &Member) -> HealthResult<Vec<Listed>> {
        let inner = &self.inner;
        let mut out = Vec::new();
        match member.role {
            Role::Patient => {
                for person in inner.ids.list_for(member)? {
                    for held in inner.consents.for_id(&person.number)? {
                        out.push(self.listed(held.consent, inner.here.clone()));
                    }
                }
            }
            Role::Staff => {
                let facility = self.staff_facility(member)?;
                for id in inner.asks.of_facility(&facility.meta.id)? {
                    if let Some(ask) = inner.asks.get(&id)? {
                        out.push(self.listed(ask.consent, ask.home));
                    } else if let Some(held) = inner.consents.get(&id)? {
                        out.push(self.listed(held.consent, inner.here.clone()));
                    }
                }
            }
            Role::Requester | Role::Maker | Role::Admin => {
                return Err(ServiceError::forbidden(
                    "consents are seen by patients (their own) and staff (their facility's)",
                )
                .into());
            }
        }
        Ok(out)
    }

    /// The holder or a guardian grants, denies or revokes a consent held here.
    pub fn decide(
        &self,
        member: &Member,
        consent_id: &str,
        decision: Decision,
    ) -> HealthResult<Listed> {
        let inner = &self.inner;
        let mut held = inner
            .consents
            .get(consent_id)?
            .ok_or_else(|| ServiceError::not_found("consent", consent_id))?;
        let id = held.consent.health_id;
        if self.own_id(member, &id).is_err() {
            return Err(ServiceError::not_found("consent", consent_id).into());
        }
        let now = self.now();
        held.consent.decide(decision, &member.handle, now)?;
        inner.consents.save(&held)?;
        let action = match decision {
            Decision::Grant => Action::Granted,
            Decision::Deny => Action::Denied,
            Decision::Revoke => Action::Revoked,
        };
        let entry = Entry {
            consent_id: Some(held.consent.id.clone()),
            ..self.entry_here(member, action)
        };
        self.record(&id, entry)?;
        tracing::info!(consent_id, ?decision, "consent decided");
        self.send_decision(&mut held)?;
        Ok(self.listed(held.consent, inner.here.clone()))
    }

    /// Sends the consent's state to the asking node as the next version of its `consent`
    /// object (nothing to send for asks made here).
    pub(super) fn send_decision(&self, held: &mut HeldConsent) -> HealthResult<()> {
        let inner = &self.inner;
        let consent = &held.consent;
        let asker = consent.requester.node.clone();
        if asker == inner.here {
            return Ok(());
        }
        let status = match consent.status {
            Status::Granted => ConsentStatus::Granted,
            Status::Denied => ConsentStatus::Denied,
            Status::Revoked => ConsentStatus::Revoked,
            Status::Requested | Status::Expired => return Ok(()),
        };
        let Some(key) = inner.transport.known_key(&asker) else {
            tracing::error!(consent_id = %consent.id, node = %asker, "the asking node's key is unknown; decision not sent");
            return Ok(());
        };
        let now = self.now();
        let meta = match &held.object {
            Some(meta) => objects::bump(meta, now)?,
            None => inner.publisher.new_meta(now),
        };
        let content = ConsentContent {
            health_id: consent.health_id.digits(),
            status,
            purpose: consent.purpose.as_str().to_owned(),
            record_types: consent.record_type_names(),
            from: day(consent.from),
            to: day(consent.to),
            expires: consent.expires,
            decided_by: consent.decided_by.clone().unwrap_or_default(),
            decided_at: consent.decided_at.unwrap_or(now),
        };
        let place = health_seal::Place::new(Kind::Consent, &meta.id, &asker);
        let sealed = health_seal::seal(&key, &place, &content)
            .map_err(|e| HealthError::corrupt(&meta.id, e))?;
        let object = object::Consent {
            meta: meta.clone(),
            addressee: asker,
            ask_id: consent.id.clone(),
            sealed,
        };
        inner.publisher.publish(&object, None)?;
        held.object = Some(meta);
        inner.consents.save(held)?;
        Ok(())
    }
}
