//! Per-chat-user state kept between messages: the chosen language and the dialogue in
//! progress. The node persists it in its store, so a dialogue survives a restart.

use std::collections::BTreeMap;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use caremesh_federation::object::{FacilityKind, Material};
use caremesh_federation::vocabulary::BloodGroup;

use crate::chat::ChatUser;
use crate::lang::Lang;
use crate::role::Role;

/// A guided dialogue in progress: which question it waits on and what it has so far.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "dialogue", rename_all = "snake_case")]
pub enum Dialogue {
    /// Nothing asked.
    #[default]
    Idle,
    /// `/register`: role, then location.
    Register { role: Option<Role> },
    /// `/need`: product, quantity, needed within days, facility.
    Need {
        product: Option<String>,
        quantity: Option<u32>,
        /// Needed within so many days; `Some(None)` when the person skipped it.
        #[serde(default)]
        within_days: Option<Option<u32>>,
    },
    /// `/offer`: quantity, material, days to deliver.
    Offer {
        request_id: String,
        quantity: Option<u32>,
        material: Option<Material>,
    },
    /// `/subscribe`: radius, products, then a location if none is known.
    Subscribe {
        radius_km: Option<f64>,
        products: Option<Vec<String>>,
    },
    /// `/nearby`: waits for a location.
    Nearby {
        kind: Option<FacilityKind>,
        /// `/blood`: a blood group that must be in stock.
        #[serde(default)]
        blood: Option<BloodGroup>,
    },
    /// `/symptoms`: waits for the symptoms text.
    Symptoms,
    /// `/facility new`: kind, name, location, phone.
    Listing {
        kind: Option<FacilityKind>,
        name: Option<String>,
        at: Option<(f64, f64)>,
    },
}

/// Everything kept for one chat user.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Session {
    pub lang: Lang,
    pub dialogue: Dialogue,
}

/// Why sessions could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error("session store failed for {user}: {problem}")]
    Store { user: String, problem: String },
}

/// Where sessions live.
pub trait SessionStore: Send + Sync {
    /// The session of a chat user, if any.
    fn load(&self, who: &ChatUser) -> Result<Option<Session>, SessionError>;
    /// Stores the session of a chat user.
    fn save(&self, who: &ChatUser, session: &Session) -> Result<(), SessionError>;
}

/// Sessions in memory (tests, benchmarks).
#[derive(Default)]
pub struct MemorySessions {
    map: Mutex<BTreeMap<String, Session>>,
}

impl SessionStore for MemorySessions {
    fn load(&self, who: &ChatUser) -> Result<Option<Session>, SessionError> {
        let map = self.map.lock().unwrap_or_else(|p| p.into_inner());
        Ok(map.get(&who.key()).cloned())
    }

    fn save(&self, who: &ChatUser, session: &Session) -> Result<(), SessionError> {
        let mut map = self.map.lock().unwrap_or_else(|p| p.into_inner());
        map.insert(who.key(), session.clone());
        Ok(())
    }
}

impl Dialogue {
    /// A short tag of the question the dialogue waits on; answer buttons carry it.
    pub fn step(&self) -> &'static str {
        match self {
            Dialogue::Idle => "idle",
            Dialogue::Register { role: None } => "role",
            Dialogue::Register { .. } => "reg-loc",
            Dialogue::Need { product: None, .. } => "product",
            Dialogue::Need { quantity: None, .. } => "need-qty",
            Dialogue::Need {
                within_days: None, ..
            } => "need-by",
            Dialogue::Need { .. } => "facility",
            Dialogue::Offer { quantity: None, .. } => "offer-qty",
            Dialogue::Offer { material: None, .. } => "material",
            Dialogue::Offer { .. } => "eta",
            Dialogue::Subscribe {
                radius_km: None, ..
            } => "radius",
            Dialogue::Subscribe { products: None, .. } => "products",
            Dialogue::Subscribe { .. } => "sub-loc",
            Dialogue::Nearby { .. } => "nearby",
            Dialogue::Symptoms => "symptoms",
            Dialogue::Listing { kind: None, .. } => "listing-kind",
            Dialogue::Listing { name: None, .. } => "listing-name",
            Dialogue::Listing { at: None, .. } => "listing-loc",
            Dialogue::Listing { .. } => "listing-phone",
        }
    }
}
