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
        (role, facility_id): (Role, Option<String>),
        at: Option<(f64, f64)>,
    ) -> PortResult<Member> {
        let new = NewMember {
            handle: handle.to_owned(),
            role: Some(role),
            facility_id,
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
            role: reg.role,
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
            role: reg.role,
            approved: false,
            location: reg.location,
        })
    }

    /// The facility a requester or staff member being approved acts for: the one the admin
    /// named (a listing of this node), else this node's only facility; other roles none.
    fn facility_for(
        &self,
        role: Role,
        handle: &str,
        named: Option<&str>,
    ) -> PortResult<Option<String>> {
        if !matches!(role, Role::Requester | Role::Staff) {
            return Ok(None);
        }
        let local = super::listings::local_facilities(&self.app)?;
        let chosen = match named {
            Some(id) => local.iter().find(|f| f.id == id),
            None if local.len() == 1 => local.first(),
            None => None,
        };
        match chosen {
            Some(f) => Ok(Some(f.id.clone())),
            None => {
                let choices: Vec<String> = local
                    .iter()
                    .take(10)
                    .map(|f| format!("{} ({})", f.id, f.name))
                    .collect();
                Err(PortError::Invalid {
                    field: "facility_id".into(),
                    problem: format!(
                        "name one of this node's facilities for `{handle}`: /approve {handle} \
                         FACILITY_ID, one of: {}",
                        if choices.is_empty() {
                            "none listed yet".to_owned()
                        } else {
                            choices.join(", ")
                        }
                    ),
                })
            }
        }
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
        // Anyone who would post needs waits for an admin, whatever they asked to be; so do
        // makers where the node's policy says so.
        let approve_makers = self.app.market.policy().approve_makers;
        if reg.role.may_request() || (reg.role == Role::Maker && approve_makers) {
            return self.add_pending(who, handle, &reg);
        }
        let member = self.create_member(&handle, who, (reg.role, None), reg.location)?;
        self.account_of(&member)
    }

    async fn approve(
        &self,
        admin: &Account,
        handle: &str,
        facility: Option<&str>,
    ) -> PortResult<Account> {
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
        let tied = self.facility_for(pending.role, handle, facility)?;
        let member =
            self.create_member(handle, &pending.who, (pending.role, tied), pending.location)?;
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
