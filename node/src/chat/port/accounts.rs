//! Accounts: chat users linked to members, registration with admin approval of
//! requesters, link codes, and notices queued for members.

use caremesh_bots::chat::ChatUser;
use caremesh_bots::notice::Notice;
use caremesh_bots::port::{Account, Accounts, PortError, PortResult, Registration};
use caremesh_bots::role::Role;

use super::{ChatNode, store_err};
use crate::chat::handles::{derive_handle, link_code};
use crate::chat::records::{LinkCode, Pending};
use crate::error::ServiceError;
use crate::members::{Member, NewMember};

/// How long a `/link` code works.
const CODE_TTL_MS: i64 = 10 * 60 * 1000;

impl ChatNode {
    fn account_of(&self, member: &Member) -> PortResult<Account> {
        let location = self
            .records
            .location(&member.handle)
            .map_err(ServiceError::from)?
            .or(member.lat.zip(member.lon));
        Ok(Account {
            handle: member.handle.clone(),
            role: member.role,
            approved: true,
            location,
        })
    }

    fn create_member(
        &self,
        handle: &str,
        who: &ChatUser,
        role: Role,
        at: Option<(f64, f64)>,
    ) -> PortResult<Member> {
        let new = NewMember {
            handle: handle.to_owned(),
            role: Some(role),
            contact: format!("{}:{}", who.platform.as_str(), who.user),
            lat: at.map(|a| a.0),
            lon: at.map(|a| a.1),
            ..NewMember::default()
        };
        let (member, _token) = self.app.members.create(new, self.app.clock.now_ms())?;
        self.records.link(who, handle).map_err(store_err)?;
        Ok(member)
    }

    /// Records a requester who waits for an admin.
    fn add_pending(
        &self,
        who: &ChatUser,
        handle: String,
        reg: &Registration,
    ) -> PortResult<Account> {
        let pending = Pending {
            who: who.clone(),
            role: Role::Requester,
            location: reg.location,
        };
        if !self
            .records
            .add_pending(&handle, &pending)
            .map_err(store_err)?
        {
            return Err(PortError::Conflict {
                problem: format!("`{handle}` already waits for approval"),
            });
        }
        self.records.link(who, &handle).map_err(store_err)?;
        Ok(Account {
            handle,
            role: Role::Requester,
            approved: false,
            location: reg.location,
        })
    }
}

#[async_trait::async_trait]
impl Accounts for ChatNode {
    async fn account(&self, who: &ChatUser) -> PortResult<Option<Account>> {
        let Some(handle) = self.records.handle_of(who).map_err(store_err)? else {
            return Ok(None);
        };
        if let Some(member) = self.app.members.get(&handle)? {
            return Ok(Some(self.account_of(&member)?));
        }
        Ok(self
            .records
            .pending(&handle)
            .map_err(store_err)?
            .map(|p| Account {
                handle,
                role: p.role,
                approved: false,
                location: p.location,
            }))
    }

    async fn register(&self, who: &ChatUser, reg: Registration) -> PortResult<Account> {
        let taken = |h: &str| -> PortResult<bool> {
            Ok(self.app.members.get(h)?.is_some()
                || self.records.pending(h).map_err(store_err)?.is_some())
        };
        let handle = derive_handle(who, &taken)?;
        // Anyone who would post needs waits for an admin, whatever they asked to be.
        if reg.role.may_request() {
            return self.add_pending(who, handle, &reg);
        }
        let member = self.create_member(&handle, who, reg.role, reg.location)?;
        self.account_of(&member)
    }

    async fn approve(&self, admin: &Account, handle: &str) -> PortResult<Account> {
        if !admin.is_admin() {
            return Err(PortError::Forbidden {
                reason: "only admins approve".into(),
            });
        }
        let pending = self
            .records
            .pending(handle)
            .map_err(store_err)?
            .ok_or_else(|| PortError::NotFound {
                what: "waiting registration".into(),
                id: handle.to_owned(),
            })?;
        let member = self.create_member(handle, &pending.who, pending.role, pending.location)?;
        self.records.remove_pending(handle).map_err(store_err)?;
        self.account_of(&member)
    }

    async fn pending(&self) -> PortResult<Vec<String>> {
        self.records.pending_handles().map_err(store_err)
    }

    async fn set_location(&self, account: &Account, at: (f64, f64)) -> PortResult<()> {
        self.records
            .set_location(&account.handle, at)
            .map_err(store_err)
    }

    async fn create_link_code(&self, by: &Account) -> PortResult<String> {
        let code = link_code();
        let link = LinkCode {
            handle: by.handle.clone(),
            expires_ms: self.app.clock.now_ms() + CODE_TTL_MS,
        };
        self.records.put_code(&code, &link).map_err(store_err)?;
        Ok(code)
    }

    async fn redeem_link_code(&self, who: &ChatUser, code: &str) -> PortResult<Account> {
        let bad = || PortError::Invalid {
            field: "code".into(),
            problem: "is unknown, used or expired".into(),
        };
        let link = self
            .records
            .take_code(&code.to_uppercase())
            .map_err(store_err)?
            .ok_or_else(bad)?;
        if link.expires_ms < self.app.clock.now_ms() {
            return Err(bad());
        }
        let member = self.app.members.get(&link.handle)?.ok_or_else(bad)?;
        self.records.link(who, &member.handle).map_err(store_err)?;
        self.account_of(&member)
    }

    async fn notify_admins(&self, notice: Notice) -> PortResult<()> {
        self.records.enqueue(None, &notice).map_err(store_err)
    }

    async fn notify(&self, handle: &str, notice: Notice) -> PortResult<()> {
        self.records
            .enqueue(Some(handle), &notice)
            .map_err(store_err)
    }
}
