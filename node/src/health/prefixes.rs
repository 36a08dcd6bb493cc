//! Which node issued a health ID (docs/health.md §2). Each home node announces its prefixes in
//! a public, signed announcement; every node keeps `prefix → origin` and `host → origin` from
//! the announcements it stored, first seen wins, and looks numbers and addresses up locally:
//! nothing about a person is ever broadcast or asked around. The values are public (prefixes
//! and origins), so they are kept in clear: `prefix:<5 digits>`, `host:<host>`, and
//! `node:prefix` for this node's own.

use std::sync::Arc;

use rand::Rng;

use super::hid::{HealthAddress, HealthId, PREFIX_RANGE};
use crate::error::ServiceError;
use crate::store::{Space, Store};

const OWN_KEY: &str = "node:prefix";

/// What a claim on a prefix or host did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Claim {
    /// First seen: the origin now holds it.
    New,
    /// The origin already held it.
    Same,
    /// Another origin was seen first; the claim is refused.
    Taken { holder: String },
}

/// Where a health ID or address lives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Home {
    Here,
    Node(String),
}

/// Why a number or address leads nowhere.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RouteError {
    #[error(
        "no node of this federation announced health IDs starting {shown}: check the number, or ask for the health address"
    )]
    UnknownPrefix { shown: String },
    #[error("no node of this federation is known at {host}: check the health address")]
    UnknownHost { host: String },
    #[error(
        "the number and the address lead to different nodes ({by_number} and {by_address}): check both"
    )]
    Mismatch {
        by_number: String,
        by_address: String,
    },
}

/// The prefix index of this node.
#[derive(Clone)]
pub struct Prefixes {
    store: Arc<dyn Store>,
    origin: String,
}

fn shown(prefix: u32) -> String {
    let d = format!("{prefix:05}");
    format!("{}-{}", &d[..2], &d[2..])
}

impl Prefixes {
    /// The index of the node whose origin is `origin`.
    pub fn new(store: Arc<dyn Store>, origin: String) -> Self {
        Self { store, origin }
    }

    fn read(&self, key: &str) -> Result<Option<String>, ServiceError> {
        Ok(self
            .store
            .get(Space::Health, key)?
            .map(|v| String::from_utf8_lossy(&v).into_owned()))
    }

    fn claim_key(&self, key: &str, origin: &str) -> Result<Claim, ServiceError> {
        if self
            .store
            .insert_new(Space::Health, key, origin.as_bytes())?
        {
            return Ok(Claim::New);
        }
        match self.read(key)? {
            Some(holder) if holder == origin => Ok(Claim::Same),
            Some(holder) => Ok(Claim::Taken { holder }),
            None => self.claim_key(key, origin),
        }
    }

    /// This node's prefix: the one kept, else `pinned` (from config) or a random free one,
    /// claimed in the index for this node.
    pub fn own(&self, pinned: Option<u32>, rng: &mut impl Rng) -> Result<u32, ServiceError> {
        if let Some(kept) = self.read(OWN_KEY)?.and_then(|v| v.parse().ok()) {
            return Ok(kept);
        }
        for _ in 0..64 {
            let prefix = pinned.unwrap_or_else(|| rng.gen_range(PREFIX_RANGE));
            if !PREFIX_RANGE.contains(&prefix) {
                return Err(ServiceError::invalid(
                    "health.hid_prefix",
                    "must be a number from 10000 to 99999",
                ));
            }
            match self.claim(prefix, &self.origin)? {
                Claim::New | Claim::Same => {
                    self.store
                        .put(Space::Health, OWN_KEY, prefix.to_string().as_bytes())?;
                    return Ok(prefix);
                }
                Claim::Taken { holder } if pinned.is_some() => {
                    return Err(ServiceError::conflict(format!(
                        "health ID prefix {prefix} is announced by {holder}; choose another health.hid_prefix"
                    )));
                }
                Claim::Taken { .. } => {}
            }
        }
        Err(ServiceError::conflict("no free health ID prefix found"))
    }

    /// Records that `origin` announced `prefix`; first seen wins.
    pub fn claim(&self, prefix: u32, origin: &str) -> Result<Claim, ServiceError> {
        self.claim_key(&format!("prefix:{prefix:05}"), origin)
    }

    /// Records that `origin` is at `host` (the host of its public URL); first seen wins.
    pub fn claim_host(&self, host: &str, origin: &str) -> Result<Claim, ServiceError> {
        self.claim_key(&format!("host:{}", host.to_lowercase()), origin)
    }

    /// An operator's pin: `prefix` belongs to `origin`, whatever was seen.
    pub fn pin(&self, prefix: u32, origin: &str) -> Result<(), ServiceError> {
        self.store.put(
            Space::Health,
            &format!("prefix:{prefix:05}"),
            origin.as_bytes(),
        )?;
        Ok(())
    }

    fn home(&self, origin: String) -> Home {
        if origin == self.origin {
            Home::Here
        } else {
            Home::Node(origin)
        }
    }

    /// The home node of a number.
    pub fn home_of(&self, id: &HealthId) -> Result<Result<Home, RouteError>, ServiceError> {
        let prefix = id.prefix();
        Ok(match self.read(&format!("prefix:{prefix:05}"))? {
            Some(origin) => Ok(self.home(origin)),
            None => Err(RouteError::UnknownPrefix {
                shown: shown(prefix),
            }),
        })
    }

    /// The home node of an address.
    pub fn home_of_address(
        &self,
        address: &HealthAddress,
    ) -> Result<Result<Home, RouteError>, ServiceError> {
        Ok(match self.read(&format!("host:{}", address.host()))? {
            Some(origin) => Ok(self.home(origin)),
            None => Err(RouteError::UnknownHost {
                host: address.host().to_owned(),
            }),
        })
    }

    /// The home node when staff give both the number and the address (from the card): both
    /// must lead to the same node, which defeats a hijacked prefix.
    pub fn home_of_both(
        &self,
        id: &HealthId,
        address: &HealthAddress,
    ) -> Result<Result<Home, RouteError>, ServiceError> {
        let (by_number, by_address) = match (self.home_of(id)?, self.home_of_address(address)?) {
            (Ok(a), Ok(b)) => (a, b),
            (Err(e), _) | (_, Err(e)) => return Ok(Err(e)),
        };
        if by_number == by_address {
            return Ok(Ok(by_number));
        }
        let name = |h: Home| match h {
            Home::Here => self.origin.clone(),
            Home::Node(origin) => origin,
        };
        Ok(Err(RouteError::Mismatch {
            by_number: name(by_number),
            by_address: name(by_address),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::memory::MemoryStore;

    const HOME: &str = "http://127.0.0.1:7701";
    const OTHER: &str = "http://127.0.0.1:7702";

    fn index() -> Prefixes {
        Prefixes::new(Arc::new(MemoryStore::new()), HOME.into())
    }

    #[test]
    fn the_own_prefix_is_chosen_once_and_claimed() {
        let p = index();
        let mut rng = rand::thread_rng();
        let own = p.own(None, &mut rng).unwrap();
        assert!(PREFIX_RANGE.contains(&own));
        assert_eq!(p.own(None, &mut rng).unwrap(), own);
        assert_eq!(
            p.claim(own, OTHER).unwrap(),
            Claim::Taken {
                holder: HOME.into()
            }
        );
        let id = HealthId::issue(own, &mut rng).unwrap();
        assert_eq!(p.home_of(&id).unwrap(), Ok(Home::Here));
    }

    #[test]
    fn a_pinned_prefix_taken_by_another_node_is_refused() {
        let p = index();
        assert_eq!(p.claim(42173, OTHER).unwrap(), Claim::New);
        let err = p.own(Some(42173), &mut rand::thread_rng()).unwrap_err();
        assert!(err.to_string().contains(OTHER), "{err}");
        let err = p.own(Some(123), &mut rand::thread_rng()).unwrap_err();
        assert!(matches!(
            err,
            ServiceError::Invalid {
                field: "health.hid_prefix",
                ..
            }
        ));
        assert_eq!(p.own(Some(42174), &mut rand::thread_rng()).unwrap(), 42174);
    }

    #[test]
    fn first_seen_wins_and_pins_override() {
        let p = index();
        let id = HealthId::from_parts(42173, 12).unwrap();
        let err = p.home_of(&id).unwrap().unwrap_err();
        assert!(err.to_string().contains("starting 42-173"), "{err}");
        assert_eq!(p.claim(42173, OTHER).unwrap(), Claim::New);
        assert_eq!(p.claim(42173, OTHER).unwrap(), Claim::Same);
        let hostile = "https://hostile.example";
        assert_eq!(
            p.claim(42173, hostile).unwrap(),
            Claim::Taken {
                holder: OTHER.into()
            }
        );
        assert_eq!(p.home_of(&id).unwrap(), Ok(Home::Node(OTHER.into())));
        p.pin(42173, hostile).unwrap();
        assert_eq!(p.home_of(&id).unwrap(), Ok(Home::Node(hostile.into())));
    }

    #[test]
    fn number_and_address_must_agree() {
        let p = index();
        let id = HealthId::from_parts(42173, 12).unwrap();
        let address = HealthAddress::parse("kamala@127.0.0.1:7702").unwrap();
        p.claim_host("127.0.0.1:7702", OTHER).unwrap();
        assert!(matches!(
            p.home_of_both(&id, &address).unwrap(),
            Err(RouteError::UnknownPrefix { .. })
        ));
        p.claim(42173, "https://hostile.example").unwrap();
        assert!(matches!(
            p.home_of_both(&id, &address).unwrap(),
            Err(RouteError::Mismatch { .. })
        ));
        let p2 = index();
        p2.claim(42173, OTHER).unwrap();
        p2.claim_host("127.0.0.1:7702", OTHER).unwrap();
        assert_eq!(
            p2.home_of_both(&id, &address).unwrap(),
            Ok(Home::Node(OTHER.into()))
        );
        let nowhere = HealthAddress::parse("kamala@nowhere.example").unwrap();
        assert!(matches!(
            p2.home_of_address(&nowhere).unwrap(),
            Err(RouteError::UnknownHost { .. })
        ));
    }
}
