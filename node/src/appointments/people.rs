//! Who an appointment is for, and who may act for them: the health IDs issued by this node
//! (`health/ids.rs`). A member books for the health ID they hold, or for one they guard (a
//! parent far away); the holder and every guardian hear the reminders.

use std::sync::Arc;

use crate::error::ServiceError;
use crate::health::hid::HealthId;
use crate::health::ids::{HealthIdRecord, HealthIds};
use crate::members::{Member, Members, Role};

/// The person an appointment or an order is for.
#[derive(Clone, PartialEq, Eq)]
pub struct Person {
    /// 14 digits.
    pub health_id: String,
    pub name: String,
}

/// Names are personal data: debug output shows neither.
impl std::fmt::Debug for Person {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Person(…)")
    }
}

/// What the appointment service asks about people.
pub trait People: Send + Sync {
    /// The person `member` books for: the health ID given, which they must hold or guard,
    /// or their own when none is given.
    fn person(&self, member: &Member, health_id: Option<&str>) -> Result<Person, ServiceError>;
    /// Whether `member` holds or guards `health_id` (14 digits).
    fn acts_for(&self, member: &Member, health_id: &str) -> Result<bool, ServiceError>;
    /// Handles of the members told about the person's appointments: the holder and every
    /// guardian.
    fn to_tell(&self, health_id: &str) -> Result<Vec<String>, ServiceError>;
}

/// [`People`] over this node's health IDs.
#[derive(Clone)]
pub struct HealthPeople {
    ids: HealthIds,
    members: Members,
}

impl HealthPeople {
    /// People from `ids`; holders' handles from `members`.
    pub fn shared(ids: HealthIds, members: Members) -> Arc<dyn People> {
        Arc::new(Self { ids, members })
    }

    fn own(&self, member: &Member) -> Result<HealthIdRecord, ServiceError> {
        self.ids
            .list_for(member)?
            .into_iter()
            .find(|r| r.holder.as_deref() == Some(member.id.as_str()))
            .ok_or_else(|| {
                ServiceError::invalid(
                    "health_id",
                    "is required: you hold no health ID of your own (POST /api/v1/health-ids makes one), or name the dependant's",
                )
            })
    }
}

/// A health ID of 14 digits as people read it (`XX-XXXX-XXXX-XXXX`); anything else as it is.
pub fn shown(health_id: &str) -> String {
    HealthId::parse(health_id).map_or_else(|_| health_id.to_owned(), |id| id.to_string())
}

fn parse(health_id: &str) -> Result<HealthId, ServiceError> {
    HealthId::parse(health_id).map_err(|e| ServiceError::invalid("health_id", e.to_string()))
}

impl People for HealthPeople {
    fn person(&self, member: &Member, health_id: Option<&str>) -> Result<Person, ServiceError> {
        if member.role != Role::Patient {
            return Err(ServiceError::forbidden(
                "only patients book, for themselves or for someone they guard",
            ));
        }
        let record = match health_id {
            None => self.own(member)?,
            Some(text) => {
                let id = parse(text)?;
                if self.ids.relation(member, &id)?.is_none() {
                    return Err(ServiceError::forbidden(
                        "you are neither the holder nor a guardian of this health ID (health IDs of other nodes are booked from their own node)",
                    ));
                }
                self.ids
                    .get(&id)?
                    .ok_or_else(|| ServiceError::invalid("health_id", "is not issued here"))?
            }
        };
        Ok(Person {
            health_id: record.number.digits(),
            name: record.name,
        })
    }

    fn acts_for(&self, member: &Member, health_id: &str) -> Result<bool, ServiceError> {
        let Ok(id) = HealthId::parse(health_id) else {
            return Ok(false);
        };
        Ok(self.ids.relation(member, &id)?.is_some())
    }

    fn to_tell(&self, health_id: &str) -> Result<Vec<String>, ServiceError> {
        let Some(record) = self.ids.get(&parse(health_id)?)? else {
            return Ok(Vec::new());
        };
        let mut handles: Vec<String> = record.guardians.iter().map(|g| g.handle.clone()).collect();
        if let Some(holder) = &record.holder
            && let Some(m) = self.members.list()?.into_iter().find(|m| &m.id == holder)
        {
            handles.push(m.handle);
        }
        handles.sort();
        handles.dedup();
        Ok(handles)
    }
}
