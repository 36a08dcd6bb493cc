//! How the chat port maps the node's members and errors to the engine's accounts and
//! errors.

use caremesh_bots::chat::ChatUser;
use caremesh_bots::port::{Account, PortError, PortResult, ProposalInfo, Role};

use super::ChatNode;
use crate::chat::views::proposal_info;
use crate::error::ServiceError;
use crate::members::{Member, NewMember};

impl ChatNode {
    pub(super) fn member(&self, account: &Account) -> PortResult<Member> {
        self.app
            .members
            .get(&account.handle)?
            .ok_or_else(|| PortError::NotFound {
                what: "member".into(),
                id: account.handle.clone(),
            })
    }

    pub(super) fn account_of(&self, member: &Member) -> PortResult<Account> {
        let location = self
            .records
            .location(&member.handle)
            .map_err(ServiceError::from)?
            .or(member.lat.zip(member.lon));
        Ok(Account {
            handle: member.handle.clone(),
            role: role(member),
            approved: true,
            location,
        })
    }

    pub(super) fn create_member(
        &self,
        handle: &str,
        who: &ChatUser,
        role: Role,
        at: Option<(f64, f64)>,
    ) -> PortResult<Member> {
        let new = NewMember {
            handle: handle.to_owned(),
            role: Some(member_role(role)),
            contact: format!("{}:{}", who.platform.as_str(), who.user),
            lat: at.map(|a| a.0),
            lon: at.map(|a| a.1),
            ..NewMember::default()
        };
        let (member, _token) = self.app.members.create(new, self.app.clock.now_ms())?;
        self.records.link(who, handle).map_err(ServiceError::from)?;
        Ok(member)
    }

    pub(super) fn proposal_view(&self, state: &crate::marketplace::ProposalState) -> ProposalInfo {
        let request = self.app.market.get_request(&state.proposal.request_id).ok();
        proposal_info(state, request.as_ref(), self.app.clock.now_ms())
    }
}

pub(super) fn role(member: &Member) -> Role {
    use crate::members::Role as R;
    match member.role {
        R::Requester => Role::Requester,
        R::Maker => Role::Maker,
        R::Patient => Role::Patient,
        R::Staff => Role::Staff,
        R::Admin => Role::Admin,
    }
}

pub(super) fn member_role(role: Role) -> crate::members::Role {
    use crate::members::Role as R;
    match role {
        Role::Requester => R::Requester,
        Role::Maker => R::Maker,
        Role::Patient => R::Patient,
        Role::Staff => R::Staff,
        Role::Admin => R::Admin,
    }
}

/// Service errors as the engine knows them; storage failures hide their details.
impl From<ServiceError> for PortError {
    fn from(e: ServiceError) -> Self {
        match e {
            ServiceError::Invalid { field, problem } => PortError::Invalid {
                field: field.into(),
                problem,
            },
            ServiceError::Forbidden { reason } => PortError::Forbidden { reason },
            ServiceError::NotFound { what, id } => PortError::NotFound {
                what: what.into(),
                id,
            },
            ServiceError::Conflict { problem } => PortError::Conflict { problem },
            other => PortError::Unavailable {
                problem: other.to_string(),
            },
        }
    }
}

pub(super) fn store_err(e: crate::store::StoreError) -> PortError {
    ServiceError::from(e).into()
}
