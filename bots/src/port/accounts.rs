//! Members as chat sees them: who a chat user is, registration and approval, linking chats,
//! and telling members things.

use serde::{Deserialize, Serialize};

use super::PortResult;
use crate::chat::ChatUser;
use crate::notice::Notice;
use crate::role::Role;

/// The node member a chat user is.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Account {
    pub handle: String,
    pub role: Role,
    /// False for requesters still waiting for an admin's approval.
    pub approved: bool,
    /// Where the member is, degrees.
    pub location: Option<(f64, f64)>,
}

impl Account {
    /// May post needs and decide on proposals.
    pub fn is_requester(&self) -> bool {
        self.approved && self.role.may_request()
    }

    /// May create and change this node's facility listings.
    pub fn may_edit_listings(&self) -> bool {
        self.approved && self.role.may_edit_listings()
    }

    /// May offer goods.
    pub fn is_maker(&self) -> bool {
        self.approved && self.role.may_make()
    }

    /// Runs the node.
    pub fn is_admin(&self) -> bool {
        self.approved && self.role == Role::Admin
    }
}

/// What `/register` collected.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Registration {
    pub role: Role,
    pub location: Option<(f64, f64)>,
    /// The name the platform shows, to derive a handle from.
    pub display_name: String,
}

/// Accounts, registration and notices to members.
#[async_trait::async_trait]
pub trait Accounts: Send + Sync {
    /// The member this chat user is, if registered or linked.
    async fn account(&self, who: &ChatUser) -> PortResult<Option<Account>>;
    /// Registers a chat user; requesters come back unapproved.
    async fn register(&self, who: &ChatUser, registration: Registration) -> PortResult<Account>;
    /// Admin approval of a waiting registration; returns the approved account. Requesters
    /// and staff are tied to `facility` (the node may pick its only facility when `None`).
    async fn approve(
        &self,
        admin: &Account,
        handle: &str,
        facility: Option<&str>,
    ) -> PortResult<Account>;
    /// Handles of requesters waiting for approval.
    async fn pending(&self) -> PortResult<Vec<String>>;
    /// Stores where a member is.
    async fn set_location(&self, account: &Account, at: (f64, f64)) -> PortResult<()>;
    /// A one-time code another chat account of `by` can redeem with `/link`.
    async fn create_link_code(&self, by: &Account) -> PortResult<String>;
    /// Makes `who` the member the code was made for.
    async fn redeem_link_code(&self, who: &ChatUser, code: &str) -> PortResult<Account>;
    /// Tells the admins (on every chat they are linked from) something.
    async fn notify_admins(&self, notice: Notice) -> PortResult<()>;
    /// Tells a member (on every chat they are linked from) something.
    async fn notify(&self, handle: &str, notice: Notice) -> PortResult<()>;
}
