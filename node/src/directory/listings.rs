//! Facility listings of this node: create, update, retract, and reading any node's.

use std::ops::ControlFlow;
use std::sync::Arc;

use caremesh_federation::object::{Facility, Meta};

use crate::clock::Clock;
use crate::error::ServiceError;
use crate::members::{self, Member, Role};
use crate::objects::{self, Publisher, bump};

/// The listing service.
#[derive(Clone)]
pub struct Listings {
    publisher: Publisher,
    clock: Arc<dyn Clock>,
}

fn may_create(member: &Member) -> Result<(), ServiceError> {
    if matches!(member.role, Role::Admin | Role::Staff) {
        Ok(())
    } else {
        Err(ServiceError::forbidden(
            "only admins and staff edit facility listings",
        ))
    }
}

impl Listings {
    /// Checks a listing this node is about to publish, whoever wrote it (the API, a chat
    /// dialogue, an import): specialties from the vocabulary and prices of at least zero,
    /// on top of the protocol's schema, which publishing checks.
    pub fn validate(f: &Facility) -> Result<(), ServiceError> {
        if let Some(bad) = f
            .specialties
            .iter()
            .find(|s| !crate::specialties::is_specialty(s))
        {
            return Err(ServiceError::invalid(
                "specialties",
                format!("`{bad}` is not in the specialty vocabulary"),
            ));
        }
        if let Some(s) = f.services.iter().find(|s| s.price_minor < 0) {
            return Err(ServiceError::invalid(
                "services",
                format!("price of `{}` must be a number ≥ 0", s.name),
            ));
        }
        Ok(())
    }

    /// Validates and publishes a listing.
    fn publish(&self, facility: &Facility, owner: Option<&str>) -> Result<(), ServiceError> {
        Self::validate(facility)?;
        self.publisher.publish(facility, owner)?;
        Ok(())
    }

    /// Listings signed by `publisher`.
    pub fn new(publisher: Publisher, clock: Arc<dyn Clock>) -> Self {
        Self { publisher, clock }
    }

    /// Publishes a new listing built from fresh object fields.
    #[tracing::instrument(skip_all, fields(member = %member.handle))]
    pub fn create(
        &self,
        member: &Member,
        build: impl FnOnce(Meta) -> Facility,
    ) -> Result<Facility, ServiceError> {
        may_create(member)?;
        let facility = build(self.publisher.new_meta(self.clock.now_ms()));
        // The creator is its owner: staff may keep what they listed.
        self.publish(&facility, Some(&member.handle))?;
        tracing::info!(object_id = %facility.meta.id, "facility created");
        Ok(facility)
    }

    /// Listings for a bulk import: nothing is flushed or sent to peers until
    /// [`Listings::finish`] (see `Publisher::bulk`).
    pub fn bulk(&self) -> Self {
        Self {
            publisher: self.publisher.bulk(),
            clock: self.clock.clone(),
        }
    }

    /// Ends a bulk import: everything imported is on disk when this returns.
    pub fn finish(&self) -> Result<(), ServiceError> {
        self.publisher.finish()
    }

    /// Publishes `facility` under a given id: new, or the next version when its content
    /// changed (idempotent imports). Returns the stored listing and whether it changed.
    pub fn upsert(
        &self,
        id: &str,
        build: impl FnOnce(Meta) -> Facility,
    ) -> Result<(Facility, bool), ServiceError> {
        let now = self.clock.now_ms();
        let existing = self.get(id).ok();
        let meta = match &existing {
            Some(old) if old.meta.origin != self.publisher.origin() => {
                return Err(ServiceError::conflict(format!(
                    "facility `{id}` belongs to {}",
                    old.meta.origin
                )));
            }
            Some(old) => bump(&old.meta, now)?,
            None => Meta {
                id: id.to_owned(),
                ..self.publisher.new_meta(now)
            },
        };
        let facility = build(meta);
        if let Some(old) = existing
            && same_content(&old, &facility)
        {
            return Ok((old, false));
        }
        self.publish(&facility, None)?;
        Ok((facility, true))
    }

    /// Replaces the content of one of this node's listings.
    pub fn update(
        &self,
        member: &Member,
        id: &str,
        build: impl FnOnce(Meta) -> Facility,
    ) -> Result<Facility, ServiceError> {
        let old = self.get(id)?;
        if old.meta.origin != self.publisher.origin() {
            return Err(ServiceError::forbidden(
                "only the facility's own node may change it",
            ));
        }
        self.may_edit(member, id)?;
        let facility = build(bump(&old.meta, self.clock.now_ms())?);
        self.publish(&facility, None)?;
        Ok(facility)
    }

    /// Withdraws one of this node's listings (a tombstone version).
    pub fn retract(&self, member: &Member, id: &str) -> Result<Facility, ServiceError> {
        let mut facility = self.get(id)?;
        if facility.meta.origin != self.publisher.origin() {
            return Err(ServiceError::forbidden(
                "only the facility's own node may retract it",
            ));
        }
        self.may_edit(member, id)?;
        facility.meta = bump(&facility.meta, self.clock.now_ms())?;
        facility.retracted = true;
        self.publisher.publish(&facility, None)?;
        Ok(facility)
    }

    /// May `member` change listing `id` of this node? The admin may change any; staff only
    /// the facility they are tied to (`facility_id`) or a listing they created; nobody else.
    /// The same check serves the API and the chat (`/facility`).
    fn may_edit(&self, member: &Member, id: &str) -> Result<(), ServiceError> {
        may_create(member)?;
        if members::acts_for(&**self.publisher.store(), member, id)? {
            return Ok(());
        }
        Err(ServiceError::forbidden(format!(
            "staff_facility: staff change only the facility they are tied to \
             (facility_id `{}`) or listings they created, not `{id}`",
            member.facility_id.as_deref().unwrap_or("none")
        )))
    }

    /// This node's origin, which its listings carry.
    pub fn origin(&self) -> &str {
        self.publisher.origin()
    }

    /// The store the listings are kept in.
    pub fn store(&self) -> &Arc<dyn crate::store::Store> {
        self.publisher.store()
    }

    /// A listing by id, from any node.
    pub fn get(&self, id: &str) -> Result<Facility, ServiceError> {
        objects::get::<Facility>(&**self.publisher.store(), id)?
            .ok_or_else(|| ServiceError::not_found("facility", id))
    }

    /// Every listing that is not retracted.
    pub fn list(&self) -> Result<Vec<Facility>, ServiceError> {
        let mut out = Vec::new();
        self.visit(|f| {
            out.push(f);
            ControlFlow::Continue(())
        })?;
        Ok(out)
    }

    /// Calls `visit` with the listings (not retracted) in id order, one at a time, until it
    /// answers `Break`: for scans that must not hold every listing in memory.
    pub fn visit(
        &self,
        mut visit: impl FnMut(Facility) -> ControlFlow<()>,
    ) -> Result<(), ServiceError> {
        objects::visit::<Facility>(&**self.publisher.store(), &mut |f| {
            if f.retracted {
                ControlFlow::Continue(())
            } else {
                visit(f)
            }
        })
    }
}

fn same_content(a: &Facility, b: &Facility) -> bool {
    let strip = |f: &Facility| Facility {
        meta: b.meta.clone(),
        ..f.clone()
    };
    strip(a) == strip(b)
}
