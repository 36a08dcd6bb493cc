//! A person's health profile (docs/health.md §9): blood group, allergies, conditions,
//! medications and an emergency contact, kept by the holder or a guardian, sealed in sled.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::hid::HealthId;
use super::vault::{Vault, VaultError};
use crate::error::ServiceError;
use crate::store::{Space, Store, StoreError};

mod schema;

use schema::{blood_group_schema, contact_schema, entries_schema};

/// Entries per list (allergies, conditions, medications).
pub const MAX_ENTRIES: usize = 50;
/// Characters per entry, and of a text emergency contact.
pub const MAX_ENTRY_CHARS: usize = 200;

/// ABO group and Rh factor.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub enum BloodGroup {
    #[serde(rename = "A+")]
    APos,
    #[serde(rename = "A-")]
    ANeg,
    #[serde(rename = "B+")]
    BPos,
    #[serde(rename = "B-")]
    BNeg,
    #[serde(rename = "AB+")]
    AbPos,
    #[serde(rename = "AB-")]
    AbNeg,
    #[serde(rename = "O+")]
    OPos,
    #[serde(rename = "O-")]
    ONeg,
}

impl BloodGroup {
    /// Every group, in the order shown to people.
    pub const ALL: [BloodGroup; 8] = [
        BloodGroup::APos,
        BloodGroup::ANeg,
        BloodGroup::BPos,
        BloodGroup::BNeg,
        BloodGroup::AbPos,
        BloodGroup::AbNeg,
        BloodGroup::OPos,
        BloodGroup::ONeg,
    ];

    /// The usual notation, `AB+`.
    pub fn as_str(self) -> &'static str {
        match self {
            BloodGroup::APos => "A+",
            BloodGroup::ANeg => "A-",
            BloodGroup::BPos => "B+",
            BloodGroup::BNeg => "B-",
            BloodGroup::AbPos => "AB+",
            BloodGroup::AbNeg => "AB-",
            BloodGroup::OPos => "O+",
            BloodGroup::ONeg => "O-",
        }
    }

    /// Reads a group as people type it: `AB+`, `b positive`, `O -ve`, `a neg`.
    pub fn parse(text: &str) -> Option<Self> {
        let t = text.trim().to_lowercase().replace([' ', '_'], "");
        let (abo, rh) = if let Some(abo) = t.strip_suffix("positive").or(t.strip_suffix("pos")) {
            (abo, '+')
        } else if let Some(abo) = t.strip_suffix("negative").or(t.strip_suffix("neg")) {
            (abo, '-')
        } else if let Some(abo) = t.strip_suffix("+ve").or(t.strip_suffix('+')) {
            (abo, '+')
        } else if let Some(abo) = t.strip_suffix("-ve").or(t.strip_suffix('-')) {
            (abo, '-')
        } else {
            return None;
        };
        let wanted = format!("{}{rh}", abo.to_uppercase());
        Self::ALL.into_iter().find(|g| g.as_str() == wanted)
    }
}

/// Whom to call: a text line, or a person with a phone. Kept in the shape it was given.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(untagged)]
pub enum EmergencyContact {
    Text(String),
    Person {
        name: String,
        phone: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        relation: Option<String>,
    },
}

/// A stored profile; also the JSON of `GET .../profile`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Profile {
    pub blood_group: Option<BloodGroup>,
    pub allergies: Vec<String>,
    pub conditions: Vec<String>,
    pub medications: Vec<String>,
    pub emergency_contact: Option<EmergencyContact>,
}

/// The body of `PUT .../profile`: the whole profile; an absent field is empty.
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfileInput {
    /// A, B, AB or O with + or -; empty or null for none.
    #[serde(default)]
    #[schema(schema_with = blood_group_schema)]
    pub blood_group: Option<String>,
    #[serde(default)]
    #[schema(schema_with = entries_schema)]
    pub allergies: Vec<String>,
    #[serde(default)]
    #[schema(schema_with = entries_schema)]
    pub conditions: Vec<String>,
    #[serde(default)]
    #[schema(schema_with = entries_schema)]
    pub medications: Vec<String>,
    /// A text line, or `{name, phone, relation?}`.
    #[serde(default)]
    #[schema(schema_with = contact_schema)]
    pub emergency_contact: Option<EmergencyContact>,
}

fn clean_text(field: &'static str, text: &str) -> Result<String, ServiceError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(ServiceError::invalid(field, "has an empty entry"));
    }
    if text.chars().count() > MAX_ENTRY_CHARS {
        return Err(ServiceError::invalid(
            field,
            format!("entries are limited to {MAX_ENTRY_CHARS} characters"),
        ));
    }
    if text.chars().any(char::is_control) {
        return Err(ServiceError::invalid(field, "holds a control character"));
    }
    Ok(text.to_owned())
}

fn clean_list(field: &'static str, items: &[String]) -> Result<Vec<String>, ServiceError> {
    if items.len() > MAX_ENTRIES {
        return Err(ServiceError::invalid(
            field,
            format!("holds {} entries; at most {MAX_ENTRIES}", items.len()),
        ));
    }
    items.iter().map(|item| clean_text(field, item)).collect()
}

fn clean_contact(contact: &EmergencyContact) -> Result<EmergencyContact, ServiceError> {
    const FIELD: &str = "emergency_contact";
    Ok(match contact {
        EmergencyContact::Text(text) => EmergencyContact::Text(clean_text(FIELD, text)?),
        EmergencyContact::Person {
            name,
            phone,
            relation,
        } => {
            let phone = clean_text(FIELD, phone)?;
            if !phone.chars().any(|c| c.is_ascii_digit()) {
                return Err(ServiceError::invalid(FIELD, "phone holds no digit"));
            }
            EmergencyContact::Person {
                name: clean_text(FIELD, name)?,
                phone,
                relation: relation
                    .as_deref()
                    .map(|r| clean_text(FIELD, r))
                    .transpose()?,
            }
        }
    })
}

impl ProfileInput {
    /// Checks every field, naming the first that breaks a rule.
    pub fn validate(&self) -> Result<Profile, ServiceError> {
        let blood_group = match self.blood_group.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(text) => Some(BloodGroup::parse(text).ok_or_else(|| {
                ServiceError::invalid(
                    "blood_group",
                    "must be one of A+, A-, B+, B-, AB+, AB-, O+, O-",
                )
            })?),
        };
        Ok(Profile {
            blood_group,
            allergies: clean_list("allergies", &self.allergies)?,
            conditions: clean_list("conditions", &self.conditions)?,
            medications: clean_list("medications", &self.medications)?,
            emergency_contact: self
                .emergency_contact
                .as_ref()
                .map(clean_contact)
                .transpose()?,
        })
    }
}

/// Profiles in the store, sealed with the vault, keyed by a blind of the health ID.
#[derive(Clone)]
pub struct Profiles {
    store: Arc<dyn Store>,
    vault: Vault,
}

pub(crate) fn vault_err(e: VaultError) -> ServiceError {
    match e {
        VaultError::Store(e) => ServiceError::Store(e),
        other => ServiceError::Store(StoreError::Corrupt {
            what: "sealed health value",
            key: String::new(),
            problem: other.to_string(),
        }),
    }
}

impl Profiles {
    /// Profiles kept in `store`, sealed by `vault`.
    pub fn new(store: Arc<dyn Store>, vault: Vault) -> Self {
        Self { store, vault }
    }

    fn key(&self, id: &HealthId) -> String {
        format!("profile:{}", self.vault.blind("hid", &id.digits()))
    }

    /// The profile of `id`; an empty one if none was saved.
    pub fn get(&self, id: &HealthId) -> Result<Profile, ServiceError> {
        let value = self
            .vault
            .get(self.store.as_ref(), Space::Health, "profile", &self.key(id))
            .map_err(vault_err)?;
        Ok(value.unwrap_or_default())
    }

    /// Replaces the profile of `id` after validating it; answers what was stored.
    pub fn put(&self, id: &HealthId, input: &ProfileInput) -> Result<Profile, ServiceError> {
        let profile = input.validate()?;
        self.vault
            .put(self.store.as_ref(), Space::Health, &self.key(id), &profile)
            .map_err(vault_err)?;
        Ok(profile)
    }

    /// Removes the profile of `id` (erasure).
    pub fn delete(&self, id: &HealthId) -> Result<(), ServiceError> {
        self.store.delete(Space::Health, &self.key(id))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::health::vault::RecordsKey;
    use crate::store::memory::MemoryStore;

    fn profiles() -> (Profiles, Arc<MemoryStore>, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(MemoryStore::new());
        let vault = Vault::local(RecordsKey::generate(), dir.path()).unwrap();
        (Profiles::new(store.clone(), vault), store, dir)
    }

    fn field_of(err: ServiceError) -> &'static str {
        match err {
            ServiceError::Invalid { field, .. } => field,
            other => panic!("not a field error: {other}"),
        }
    }

    #[test]
    fn blood_groups_as_typed() {
        for (typed, want) in [
            ("AB+", BloodGroup::AbPos),
            ("b positive", BloodGroup::BPos),
            ("O -ve", BloodGroup::ONeg),
            ("a neg", BloodGroup::ANeg),
            (" o+ ", BloodGroup::OPos),
            ("Ab Negative", BloodGroup::AbNeg),
        ] {
            assert_eq!(BloodGroup::parse(typed), Some(want), "{typed}");
        }
        for bad in ["C+", "AB", "positive", "", "A+B"] {
            assert_eq!(BloodGroup::parse(bad), None, "{bad}");
        }
        let json = serde_json::to_string(&BloodGroup::AbNeg).unwrap();
        assert_eq!(json, "\"AB-\"");
    }

    #[test]
    fn bad_fields_are_named() {
        let input = |json: &str| {
            serde_json::from_str::<ProfileInput>(json)
                .unwrap()
                .validate()
        };
        let field = |json: &str| field_of(input(json).unwrap_err());
        assert_eq!(field(r#"{"blood_group": "Z+"}"#), "blood_group");
        assert_eq!(field(r#"{"allergies": ["  "]}"#), "allergies");
        let many = format!(r#"{{"conditions": {:?}}}"#, vec!["x"; 51]);
        assert_eq!(field(&many), "conditions");
        let long = format!(r#"{{"medications": ["{}"]}}"#, "m".repeat(201));
        assert_eq!(field(&long), "medications");
        let contact = r#"{"emergency_contact": {"name": "Ravi", "phone": "none"}}"#;
        assert_eq!(field(contact), "emergency_contact");
        let unknown = serde_json::from_str::<ProfileInput>(r#"{"blood_type": "A+"}"#);
        assert!(unknown.unwrap_err().to_string().contains("blood_type"));
    }

    #[test]
    fn profiles_are_sealed_and_kept_in_the_shape_given() {
        let (profiles, store, _dir) = profiles();
        let id = HealthId::from_parts(91000, 12_345_678).unwrap();
        assert_eq!(profiles.get(&id).unwrap(), Profile::default());
        let input: ProfileInput = serde_json::from_str(
            r#"{"blood_group": "b positive", "allergies": ["Penicillin"],
                "conditions": ["Type 2 diabetes"], "medications": ["Metformin 500 mg"],
                "emergency_contact": {"name": "Ravi", "phone": "+91 98 7654 3210", "relation": "son"}}"#,
        )
        .unwrap();
        let stored = profiles.put(&id, &input).unwrap();
        assert_eq!(stored.blood_group, Some(BloodGroup::BPos));
        assert_eq!(profiles.get(&id).unwrap(), stored);
        let json = serde_json::to_value(&stored).unwrap();
        assert_eq!(json["emergency_contact"]["relation"], "son");
        assert_eq!(json["blood_group"], "B+");
        for (key, value) in store.scan(Space::Health).unwrap() {
            assert!(!key.contains(&id.digits()), "{key}");
            let text = String::from_utf8_lossy(&value);
            assert!(!text.contains("Penicillin") && !text.contains("Ravi"));
        }
        let text: ProfileInput =
            serde_json::from_str(r#"{"emergency_contact": "Ravi, son, 98765 43210"}"#).unwrap();
        let stored = profiles.put(&id, &text).unwrap();
        assert_eq!(
            serde_json::to_value(&stored).unwrap()["emergency_contact"],
            "Ravi, son, 98765 43210"
        );
        profiles.delete(&id).unwrap();
        assert_eq!(profiles.get(&id).unwrap(), Profile::default());
    }
}
