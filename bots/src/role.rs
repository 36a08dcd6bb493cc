//! What a person may do on a node: the one list of roles, shared by the node's members, its
//! HTTP API and the chat engine.

use serde::{Deserialize, Serialize};

/// A member's role.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// A health worker who posts needs and decides on offers (after an admin's approval).
    Requester,
    /// Makes and ships goods.
    Maker,
    /// A person who holds a health ID.
    Patient,
    /// Works at one of the node's facilities; keeps its listings.
    Staff,
    /// Runs the node.
    Admin,
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 5] = [
        Role::Requester,
        Role::Maker,
        Role::Patient,
        Role::Staff,
        Role::Admin,
    ];

    /// The spelling in the API and in stored records, e.g. `requester`.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Requester => "requester",
            Role::Maker => "maker",
            Role::Patient => "patient",
            Role::Staff => "staff",
            Role::Admin => "admin",
        }
    }

    /// May post needs and decide on offers.
    pub fn may_request(self) -> bool {
        matches!(self, Role::Requester | Role::Staff | Role::Admin)
    }

    /// May offer goods.
    pub fn may_make(self) -> bool {
        matches!(self, Role::Maker | Role::Admin)
    }

    /// May create and change the node's facility listings.
    pub fn may_edit_listings(self) -> bool {
        matches!(self, Role::Staff | Role::Admin)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spelling_is_what_serde_writes() {
        for role in Role::ALL {
            let json = serde_json::to_value(role).ok();
            assert_eq!(json.as_ref().and_then(|v| v.as_str()), Some(role.as_str()));
        }
    }
}
