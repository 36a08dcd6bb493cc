//! The fake node's health state and its rules in small: whose ID is whose, the audit log,
//! and what a caller may read.

use std::collections::BTreeMap;

use caremesh_bots::port::*;
use caremesh_federation::vocabulary::RecordType;

use super::super::not_found;

#[derive(Default)]
pub struct HealthState {
    /// By the number's 14 digits.
    pub ids: BTreeMap<String, FakeId>,
    pub profiles: BTreeMap<String, ProfileInfo>,
    /// Records and their bytes, by digits.
    pub records: BTreeMap<String, Vec<(RecordInfo, Vec<u8>)>>,
    pub consents: Vec<(ConsentInfo, String)>,
    pub audit: BTreeMap<String, Vec<AuditLine>>,
    pub next: u32,
}

pub struct FakeId {
    pub info: HealthIdInfo,
    pub holder: Option<String>,
}

pub(super) fn shown(digits: &str) -> String {
    format!(
        "{}-{}-{}-{}",
        &digits[..2],
        &digits[2..6],
        &digits[6..10],
        &digits[10..]
    )
}

/// The 14 digits of a typed number, or the refusal a node gives.
pub(super) fn digits(typed: &str) -> PortResult<String> {
    let d: String = typed.chars().filter(char::is_ascii_digit).collect();
    if d.len() != 14 || typed.chars().any(|c| c.is_alphabetic()) {
        return Err(PortError::Invalid {
            field: "HID".into(),
            problem: format!("{} digits: a health ID has 14", d.len()),
        });
    }
    Ok(d)
}

pub(super) fn forbidden(reason: &str) -> PortError {
    PortError::Forbidden {
        reason: reason.into(),
    }
}

impl HealthState {
    /// The digits of an ID `by` holds or guards.
    pub(super) fn own(&self, by: &Account, typed: &str) -> PortResult<String> {
        let d = digits(typed)?;
        match self.ids.get(&d) {
            Some(id) if id.info.guardians.contains(&by.handle) => Ok(d),
            _ => Err(not_found("health ID", typed)),
        }
    }

    pub(super) fn log(&mut self, d: &str, who: &str, action: AuditAction) {
        self.audit.entry(d.to_owned()).or_default().push(AuditLine {
            at: "2025-01-01T10:00:00Z".into(),
            node: "a.test".into(),
            who: who.into(),
            action,
            check: None,
        });
    }

    /// The digits of an ID `by` may read, and the record types they may see (`None`: all,
    /// for its holder and guardians; staff: what their granted consent covers).
    pub(super) fn readable(
        &mut self,
        by: &Account,
        typed: &str,
    ) -> PortResult<(String, Option<Vec<RecordType>>)> {
        if by.role == Role::Patient {
            return Ok((self.own(by, typed)?, None));
        }
        let d = digits(typed)?;
        let grant = self.consents.iter().find(|(c, asker)| {
            asker == &by.handle
                && digits(&c.health_id).ok().as_deref() == Some(d.as_str())
                && c.state == ConsentState::Granted
        });
        match grant {
            Some((c, _)) => Ok((d, Some(c.record_types.clone()))),
            None => {
                self.log(&d, &by.handle, AuditAction::Refused);
                Err(PortError::NoConsent {
                    reason: "no live grant for your facility".into(),
                })
            }
        }
    }
}
