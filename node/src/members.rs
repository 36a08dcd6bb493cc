//! Members of this node (people and their roles) and their bearer tokens. Tokens are
//! stored only as SHA-256 hashes.

mod admin_file;

use std::path::PathBuf;
use std::sync::Arc;

use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::ServiceError;
use crate::store::{Space, Store, record};

/// What a member may do: the one list of roles, shared with the chat engine.
pub use caremesh_bots::role::Role;

/// A person with an account on this node.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Member {
    pub id: String,
    pub handle: String,
    pub role: Role,
    pub facility_id: Option<String>,
    /// Phone or other contact line; for makers, sent sealed to requesters only.
    pub contact: String,
    pub address: String,
    /// Where the member is, degrees, for distances (makers).
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub created_at: i64,
}

/// What the admin gives to create a member.
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewMember {
    /// 1 to 64 ASCII letters, digits, `_`, `-` or `.`.
    #[schema(pattern = "^[A-Za-z0-9_.-]{1,64}$")]
    pub handle: String,
    #[schema(required = true, nullable = false, schema_with = crate::http::openapi::schemas::role)]
    pub role: Option<Role>,
    /// The facility a requester or staff member acts for.
    pub facility_id: Option<String>,
    /// For makers: sent sealed to requesters only. At most 500 characters.
    #[serde(default)]
    #[schema(max_length = 500)]
    pub contact: String,
    /// At most 500 characters.
    #[serde(default)]
    #[schema(max_length = 500)]
    pub address: String,
    /// Where the member is, degrees (makers, for distances).
    #[schema(minimum = -90, maximum = 90)]
    pub lat: Option<f64>,
    #[schema(minimum = -180, maximum = 180)]
    pub lon: Option<f64>,
}

/// Does `member` act for facility `facility_id` of this node? The admin acts for all; staff
/// and requesters for the facility they are tied to (`facility_id`); staff also for a
/// listing they created (its owner); a requester the admin left untied for any of this
/// node's facilities. The one rule behind editing listings (API and chat
/// `/facility`) and posting needs.
pub fn acts_for(
    store: &dyn Store,
    member: &Member,
    facility_id: &str,
) -> Result<bool, ServiceError> {
    Ok(match member.role {
        Role::Admin => true,
        Role::Staff => {
            member.facility_id.as_deref() == Some(facility_id)
                || store
                    .get(Space::Owners, facility_id)?
                    .is_some_and(|owner| owner == member.handle.as_bytes())
        }
        // A requester the admin created without `facility_id` (optional in the API) acts
        // for any facility of this node: the admin chose so. Chat approval always ties one.
        Role::Requester => member
            .facility_id
            .as_deref()
            .is_none_or(|tied| tied == facility_id),
        Role::Maker | Role::Patient => false,
    })
}

/// Members and tokens in the store.
#[derive(Clone)]
pub struct Members {
    store: Arc<dyn Store>,
    /// The admin token file, read before each token check (see [`admin_file`]).
    admin_file: Option<Arc<admin_file::AdminFile>>,
}

fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A fresh random bearer token (256 bits, hex).
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

fn check_handle(handle: &str) -> Result<(), ServiceError> {
    let ok = !handle.is_empty()
        && handle.len() <= 64
        && handle
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    if ok {
        Ok(())
    } else {
        Err(ServiceError::invalid(
            "handle",
            "must be 1 to 64 ASCII letters, digits, `_`, `-` or `.`",
        ))
    }
}

impl Members {
    /// Members kept in `store`.
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self {
            store,
            admin_file: None,
        }
    }

    /// Creates a member and returns it with its token (shown once).
    pub fn create(&self, new: NewMember, now: i64) -> Result<(Member, String), ServiceError> {
        check_handle(&new.handle)?;
        let role = new
            .role
            .ok_or_else(|| ServiceError::invalid("role", "is required"))?;
        if new
            .lat
            .is_some_and(|lat| !(lat.is_finite() && lat.abs() <= 90.0))
        {
            return Err(ServiceError::invalid(
                "lat",
                "must be degrees between -90 and 90",
            ));
        }
        if new
            .lon
            .is_some_and(|lon| !(lon.is_finite() && lon.abs() <= 180.0))
        {
            return Err(ServiceError::invalid(
                "lon",
                "must be degrees between -180 and 180",
            ));
        }
        if new.contact.chars().count() > 500 || new.address.chars().count() > 500 {
            return Err(ServiceError::invalid(
                "contact",
                "contact and address are limited to 500 characters",
            ));
        }
        for (name, text) in [("contact", &new.contact), ("address", &new.address)] {
            if let Some(found) = caremesh_federation::object::find_bidi_control(text) {
                return Err(ServiceError::invalid(
                    name,
                    format!("holds a bidirectional control character ({found}); remove it"),
                ));
            }
        }
        let member = Member {
            id: ulid::Ulid::new().to_string(),
            handle: new.handle,
            role,
            facility_id: new.facility_id,
            contact: new.contact,
            address: new.address,
            lat: new.lat,
            lon: new.lon,
            created_at: now,
        };
        if !self
            .store
            .insert_new(Space::Members, &member.handle, &record::encode(&member))?
        {
            return Err(ServiceError::conflict(format!(
                "handle `{}` is taken",
                member.handle
            )));
        }
        let token = new_token();
        self.store
            .put(Space::Tokens, &hash_token(&token), member.handle.as_bytes())?;
        Ok((member, token))
    }

    /// Makes sure the admin member exists, that `token` logs in as it, and that no other
    /// token does (a token replaced in the admin token file stops working).
    pub fn ensure_admin(&self, token: &str, now: i64) -> Result<(), ServiceError> {
        if self.get("admin")?.is_none() {
            let admin = Member {
                id: ulid::Ulid::new().to_string(),
                handle: "admin".into(),
                role: Role::Admin,
                facility_id: None,
                contact: String::new(),
                address: String::new(),
                lat: None,
                lon: None,
                created_at: now,
            };
            self.store
                .put(Space::Members, "admin", &record::encode(&admin))?;
        }
        let hash = hash_token(token);
        self.store.put(Space::Tokens, &hash, b"admin")?;
        let mut old = Vec::new();
        self.store.visit(Space::Tokens, &mut |key, handle| {
            if handle == b"admin" && key != hash {
                old.push(key.to_owned());
            }
        })?;
        for key in old {
            self.store.delete(Space::Tokens, &key)?;
        }
        Ok(())
    }

    /// Reads the admin token file `path` (whose token is `token`) before each token check
    /// from now on, so a rotated token takes effect at once.
    pub fn watch_admin_file(mut self, path: PathBuf, token: &str) -> Self {
        self.admin_file = Some(Arc::new(admin_file::AdminFile::new(path, token)));
        self
    }

    /// The member with this handle.
    pub fn get(&self, handle: &str) -> Result<Option<Member>, ServiceError> {
        match self.store.get(Space::Members, handle)? {
            Some(bytes) => Ok(Some(record::decode("member", handle, &bytes)?)),
            None => Ok(None),
        }
    }

    /// The member a bearer token belongs to.
    pub fn authenticate(&self, token: &str) -> Result<Option<Member>, ServiceError> {
        if let Some(file) = &self.admin_file
            && file.sync(|new| self.ensure_admin(new, 0))?
        {
            tracing::info!("admin token replaced from its file; the old one no longer works");
        }
        match self.store.get(Space::Tokens, &hash_token(token))? {
            Some(handle) => self.get(&String::from_utf8_lossy(&handle)),
            None => Ok(None),
        }
    }

    /// Every member.
    pub fn list(&self) -> Result<Vec<Member>, ServiceError> {
        self.store
            .scan(Space::Members)?
            .into_iter()
            .map(|(k, v)| Ok(record::decode("member", &k, &v)?))
            .collect()
    }
}

#[cfg(test)]
mod admin_token_tests {
    use super::*;
    use crate::store::memory::MemoryStore;

    #[test]
    fn a_new_admin_token_in_the_file_replaces_the_old_one_at_the_next_check() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("admin.token");
        std::fs::write(&path, "first\n").expect("write");
        let members =
            Members::new(Arc::new(MemoryStore::new())).watch_admin_file(path.clone(), "first");
        members.ensure_admin("first", 0).expect("admin");
        let handle = |t| members.authenticate(t).expect("check").map(|m| m.handle);
        assert_eq!(handle("first"), Some("admin".to_owned()));
        crate::private_file::replace(&path, "second\n").expect("rotate");
        assert_eq!(handle("first"), None, "old token refused at once");
        assert_eq!(handle("second"), Some("admin".to_owned()));
        // An unreadable file changes nothing.
        std::fs::remove_file(&path).expect("remove");
        assert_eq!(handle("second"), Some("admin".to_owned()));
        // A restart with another token in the file drops the stored one.
        members.ensure_admin("third", 0).expect("restart");
        assert_eq!(handle("second"), None);
    }
}
