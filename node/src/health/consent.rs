//! Consent, modelled on ABDM's consent artefact (docs/health.md §7): who asks, for what
//! purpose, which record types, which dates, until when; granted, denied or revoked by the
//! holder or a guardian; and the checks the home node runs on every read.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::hid::HealthId;
use super::record::{RecordMeta, RecordType, RecordTypeCodes};
use crate::error::ServiceError;

/// The longest a grant may run: one year.
pub const MAX_DURATION_MS: i64 = 365 * 24 * 3600 * 1000;

/// Why data is asked for: the protocol's type
/// ([`caremesh_federation::vocabulary::Purpose`]), with what the node adds in
/// [`PurposeCodes`].
pub use caremesh_federation::vocabulary::Purpose;

/// The node's view of a purpose: ABDM's code and the API's spelling.
pub trait PurposeCodes: Sized {
    /// The nearest ABDM purpose code.
    fn abdm_code(self) -> &'static str;
    /// The purpose with this name (any case).
    fn parse(text: &str) -> Option<Self>;
}

impl PurposeCodes for Purpose {
    fn abdm_code(self) -> &'static str {
        match self {
            Purpose::Care | Purpose::Referral => "CAREMGT",
            Purpose::Insurance => "HPAYMT",
            Purpose::Research => "DSRCH",
        }
    }

    fn parse(text: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|p| p.as_str().eq_ignore_ascii_case(text.trim()))
    }
}

/// Where a consent stands. `Expired` is never stored: it is a granted or requested consent
/// whose `expires` has passed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Requested,
    Granted,
    Denied,
    Revoked,
    Expired,
}

/// What the holder or a guardian decides.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    Grant,
    Deny,
    Revoke,
}

/// Who asks: staff of a facility on some node.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Requester {
    /// Origin of the asking node.
    pub node: String,
    pub facility_id: String,
    pub facility_name: String,
    /// Handle of the staff member at that node.
    pub member: String,
}

/// An ask as the API receives it, times already parsed to unix ms.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewConsent {
    pub health_id: HealthId,
    pub purpose: Purpose,
    pub record_types: Vec<RecordType>,
    pub from: Option<i64>,
    pub to: Option<i64>,
    pub expires: i64,
}

/// A consent from ask to revocation; the id is the ask's.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consent {
    pub id: String,
    pub health_id: HealthId,
    pub purpose: Purpose,
    pub record_types: BTreeSet<RecordType>,
    /// Records dated from this day (UTC), inclusive.
    pub from: Option<NaiveDate>,
    /// Records dated up to this day (UTC), inclusive.
    pub to: Option<NaiveDate>,
    pub expires: i64,
    pub requester: Requester,
    /// `Requested`, `Granted`, `Denied` or `Revoked`; see [`Consent::status_at`].
    pub status: Status,
    pub created_at: i64,
    pub decided_at: Option<i64>,
    /// Handle of the holder or guardian who decided last.
    pub decided_by: Option<String>,
}

/// Scopes and requesters say little, but the ID is personal: debug shows id and status.
impl std::fmt::Debug for Consent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Consent")
            .field("id", &self.id)
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

/// A read refused by a consent check; the HTTP edge answers 403 `no_consent` with `message`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Refusal {
    /// Which check failed (`consent_status`, `consent_scope`, ...), for the audit.
    pub check: &'static str,
    pub message: String,
}

fn refuse(check: &'static str, message: impl Into<String>) -> Refusal {
    Refusal {
        check,
        message: message.into(),
    }
}

/// What is being read, as the home node sees the read request.
#[derive(Clone, Copy, Debug)]
pub struct Read<'a> {
    /// The origin that signed the read request.
    pub node: &'a str,
    pub health_id: &'a HealthId,
    /// The record read, or `None` for a list.
    pub record: Option<&'a RecordMeta>,
}

fn day_of(ms: i64) -> Option<NaiveDate> {
    chrono::DateTime::from_timestamp_millis(ms).map(|t| t.date_naive())
}

impl NewConsent {
    /// Checks the ask at `now`, naming the first field that breaks a rule, and makes the
    /// consent in state `Requested`.
    pub fn validate(
        self,
        id: String,
        requester: Requester,
        now: i64,
    ) -> Result<Consent, ServiceError> {
        let record_types: BTreeSet<RecordType> = self.record_types.iter().copied().collect();
        if record_types.is_empty() {
            return Err(ServiceError::invalid(
                "record_types",
                "must name at least one of lab_report, imaging, prescription, discharge_summary, vaccination, other",
            ));
        }
        if record_types.len() != self.record_types.len() {
            return Err(ServiceError::invalid("record_types", "names a type twice"));
        }
        let (from, to) = (self.from.and_then(day_of), self.to.and_then(day_of));
        if let (Some(from), Some(to)) = (from, to)
            && from > to
        {
            return Err(ServiceError::invalid("from", "is after `to`"));
        }
        if self.expires <= now {
            return Err(ServiceError::invalid("expires", "must be in the future"));
        }
        if self.expires - now > MAX_DURATION_MS {
            return Err(ServiceError::invalid(
                "expires",
                "must be at most 365 days ahead",
            ));
        }
        Ok(Consent {
            id,
            health_id: self.health_id,
            purpose: self.purpose,
            record_types,
            from,
            to,
            expires: self.expires,
            requester,
            status: Status::Requested,
            created_at: now,
            decided_at: None,
            decided_by: None,
        })
    }
}

impl Consent {
    /// The status people see at `now`.
    pub fn status_at(&self, now: i64) -> Status {
        match self.status {
            Status::Requested | Status::Granted if now >= self.expires => Status::Expired,
            status => status,
        }
    }

    /// Applies a decision of the holder or a guardian (`by`, a handle) at `now`. Asks are
    /// granted or denied once; only a live grant can be revoked.
    pub fn decide(&mut self, decision: Decision, by: &str, now: i64) -> Result<(), ServiceError> {
        let status = self.status_at(now);
        let next = match (decision, status) {
            (Decision::Grant, Status::Requested) => Status::Granted,
            (Decision::Deny, Status::Requested) => Status::Denied,
            (Decision::Revoke, Status::Granted) => Status::Revoked,
            (Decision::Revoke, _) => {
                return Err(ServiceError::conflict(format!(
                    "only a live grant can be revoked; this consent is {}",
                    status_word(status)
                )));
            }
            _ => {
                return Err(ServiceError::conflict(format!(
                    "this consent is already {}",
                    status_word(status)
                )));
            }
        };
        self.status = next;
        self.decided_at = Some(now);
        self.decided_by = Some(by.to_owned());
        Ok(())
    }

    /// The record types it covers, by their wire names, in order.
    pub fn record_type_names(&self) -> Vec<String> {
        self.record_types
            .iter()
            .map(|t| t.as_str().to_owned())
            .collect()
    }

    /// Whether a record lies in this consent's scope (type and dates).
    pub fn covers(&self, record: &RecordMeta) -> bool {
        self.type_check(record).is_ok() && self.date_check(record).is_ok()
    }

    fn type_check(&self, record: &RecordMeta) -> Result<(), Refusal> {
        if self.record_types.contains(&record.record_type) {
            Ok(())
        } else {
            Err(refuse(
                "consent_scope",
                format!(
                    "the grant does not cover {} records",
                    record.record_type.label()
                ),
            ))
        }
    }

    fn date_check(&self, record: &RecordMeta) -> Result<(), Refusal> {
        let outside = || {
            refuse(
                "consent_dates",
                "the record's date is outside the grant's dates",
            )
        };
        let Ok(date) = NaiveDate::parse_from_str(&record.date, "%Y-%m-%d") else {
            return Err(outside());
        };
        if self.from.is_some_and(|from| date < from) || self.to.is_some_and(|to| date > to) {
            return Err(outside());
        }
        Ok(())
    }

    /// The checks of docs/health.md §7 (2 to 7) for one read at `now`, in order; the first
    /// that fails refuses the read. Lists pass without a record and are then filtered with
    /// [`Consent::covers`].
    pub fn check_read(&self, read: &Read<'_>, now: i64) -> Result<(), Refusal> {
        if read.node != self.requester.node {
            return Err(refuse(
                "consent_requester",
                "this grant was given to another node",
            ));
        }
        if read.health_id != &self.health_id {
            return Err(refuse(
                "consent_subject",
                "this grant is for another health ID",
            ));
        }
        match self.status_at(now) {
            Status::Granted => {}
            Status::Expired => return Err(refuse("consent_expired", "the grant has expired")),
            status => {
                return Err(refuse(
                    "consent_status",
                    format!("the consent is {}, not granted", status_word(status)),
                ));
            }
        }
        if let Some(record) = read.record {
            self.type_check(record)?;
            self.date_check(record)?;
        }
        Ok(())
    }
}

fn status_word(status: Status) -> &'static str {
    match status {
        Status::Requested => "still asked, not decided",
        Status::Granted => "granted",
        Status::Denied => "denied",
        Status::Revoked => "revoked",
        Status::Expired => "expired",
    }
}

#[cfg(test)]
mod tests;
