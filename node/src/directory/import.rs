//! Imports of directory data: facility lists as CSV and OpenStreetMap extracts as GeoJSON.
//!
//! Parsing only: every accepted row becomes an [`ImportedFacility`] (the facility fields plus
//! the row's stable id in its source), every refused row a [`RowError`] that names the row and
//! the field. The caller stores the facilities, with ids from [`import_id`] so that importing
//! the same file again updates the same listings instead of duplicating them.

mod csv;
mod fields;
mod geojson;

use std::collections::HashSet;
use std::path::Path;

use caremesh_federation::object::{
    Facility, FacilityKind, MAX_TEXT, Meta, Ownership, find_bidi_control, to_e7,
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub use self::csv::{CsvSummary, parse_csv};
pub use self::geojson::{GeoJsonImport, osm_specialty, parse_geojson, visit_geojson};

/// The millisecond part shared by every imported id: fixed, so ids depend on the source
/// reference alone.
pub(crate) const IMPORT_ID_MS: u64 = 0x0100_0000_0000;

/// One facility read from a file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportedFacility {
    /// The row's stable id in its source: the CSV `id` column, the OSM id (`node/123`), or a
    /// hash of the row's content when the source has none.
    pub source_ref: String,
    /// The facility as read, its [`Meta`] left empty: the importer gives it one.
    pub facility: Facility,
}

impl ImportedFacility {
    /// The deterministic object id for this row, see [`import_id`].
    pub fn id(&self) -> String {
        import_id(&self.source_ref)
    }

    /// The full facility, with the given meta.
    pub fn into_facility(self, meta: Meta) -> Facility {
        Facility {
            meta,
            ..self.facility
        }
    }
}

/// A deterministic ULID for a source reference: a fixed timestamp and 80 bits of the
/// SHA-256 of the reference. The same reference always gives the same id. References from
/// different datasets can collide (two CSV files both with `id` 1): prefix them with a
/// dataset name first when mixing sources.
pub fn import_id(source_ref: &str) -> String {
    ulid::Ulid::from_parts(IMPORT_ID_MS, ref_hash(source_ref) & ((1u128 << 80) - 1)).to_string()
}

/// The first 16 bytes of the SHA-256 of `text`.
fn ref_hash(text: &str) -> u128 {
    let digest = Sha256::digest(text.as_bytes());
    let mut first = [0u8; 16];
    first.copy_from_slice(&digest[..16]);
    u128::from_be_bytes(first)
}

/// A row or feature that was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("row {row}{}: field `{field}` {problem}", source_ref.as_ref().map(|r| format!(" ({r})")).unwrap_or_default())]
pub struct RowError {
    /// 1-based data row (CSV, header excluded) or feature index (GeoJSON).
    pub row: usize,
    /// The row's id in its source, when it has one.
    pub source_ref: Option<String>,
    /// The column or tag at fault.
    pub field: &'static str,
    /// What is wrong with it.
    pub problem: String,
}

/// A file that cannot be read at all (as opposed to single refused rows).
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// Reading the input failed.
    #[error("cannot read the {format} input: {source}")]
    Read {
        format: &'static str,
        #[source]
        source: std::io::Error,
    },
    /// The CSV has no header naming the required columns and is not the known headerless
    /// layout.
    #[error("CSV header lacks required column `{column}` (found: {found})")]
    MissingColumn { column: &'static str, found: String },
    /// The GeoJSON is not JSON.
    #[error("GeoJSON is not valid JSON: {source}")]
    Json {
        #[source]
        source: serde_json::Error,
    },
    /// The GeoJSON is JSON but not a FeatureCollection.
    #[error("GeoJSON is not a FeatureCollection: {problem}")]
    NotFeatureCollection { problem: String },
}

/// A file format the importer reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// Comma-separated values, with a header or in the `gen_facilities.py` layout.
    Csv,
    /// A GeoJSON FeatureCollection with OpenStreetMap tags.
    GeoJson,
}

impl Format {
    /// The format named by a file's extension (`.csv`, `.geojson`, `.json`), any case.
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "csv" => Some(Format::Csv),
            "geojson" | "json" => Some(Format::GeoJson),
            _ => None,
        }
    }
}

/// The checks both formats share. `row` and `source_ref` are carried into errors.
pub(crate) struct RowCheck<'a> {
    pub row: usize,
    pub source_ref: Option<&'a str>,
}

impl RowCheck<'_> {
    pub fn error(&self, field: &'static str, problem: impl Into<String>) -> RowError {
        RowError {
            row: self.row,
            source_ref: self.source_ref.map(str::to_owned),
            field,
            problem: problem.into(),
        }
    }

    /// A non-empty name (see [`RowCheck::text`]).
    pub fn name(&self, value: &str) -> Result<String, RowError> {
        let name = value.trim();
        if name.is_empty() {
            return Err(self.error("name", "is empty"));
        }
        self.text("name", name)
    }

    /// Optional text of at most [`MAX_TEXT`] bytes, without bidirectional controls (peers
    /// refuse a facility whose text holds one, so the import must too).
    pub fn text(&self, field: &'static str, value: &str) -> Result<String, RowError> {
        let value = value.trim();
        if value.len() > MAX_TEXT {
            return Err(self.error(field, format!("is longer than {MAX_TEXT} bytes")));
        }
        if let Some(found) = find_bidi_control(value) {
            let problem = format!("holds a bidirectional control character ({found}); remove it");
            return Err(self.error(field, problem));
        }
        Ok(value.to_owned())
    }

    /// Degrees in range, to fixed point.
    pub fn coords(&self, lat: f64, lon: f64) -> Result<(i32, i32), RowError> {
        if !lat.is_finite() || !(-90.0..=90.0).contains(&lat) {
            return Err(self.error("lat", format!("{lat} is outside -90..90")));
        }
        if !lon.is_finite() || !(-180.0..=180.0).contains(&lon) {
            return Err(self.error("lon", format!("{lon} is outside -180..180")));
        }
        Ok((to_e7(lat), to_e7(lon)))
    }
}

/// Our facility kind for a name such as `hospital`, `Nursing Home` or `blood-bank`.
pub fn parse_kind(value: &str) -> Option<FacilityKind> {
    let kind = match slugify(value).as_str() {
        "hospital" => FacilityKind::Hospital,
        "clinic" => FacilityKind::Clinic,
        "nursing_home" => FacilityKind::NursingHome,
        "lab" | "laboratory" => FacilityKind::Lab,
        "pharmacy" => FacilityKind::Pharmacy,
        "blood_bank" => FacilityKind::BloodBank,
        "maker_hub" | "makerspace" | "hackerspace" => FacilityKind::MakerHub,
        _ => return None,
    };
    Some(kind)
}

/// Our ownership for a name such as `government`, `Public-Private` or `NGO`.
pub fn parse_ownership(value: &str) -> Option<Ownership> {
    let ownership = match slugify(value).as_str() {
        "government" | "govt" | "military" => Ownership::Government,
        "private" => Ownership::Private,
        "public" => Ownership::Public,
        "public_private" | "ppp" | "consortium" => Ownership::PublicPrivate,
        "charity" | "charitable" | "ngo" | "trust" | "religious" | "community"
        | "private_non_profit" | "non_profit" => Ownership::Charity,
        _ => return None,
    };
    Some(ownership)
}

/// Lowercase, with spaces and hyphens as underscores.
fn slugify(value: &str) -> String {
    value
        .trim()
        .chars()
        .map(|c| {
            if c == ' ' || c == '-' {
                '_'
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect()
}

/// Remembers the source references seen in one file, as 128-bit hashes so that a million
/// rows cost megabytes, not the rows themselves.
#[derive(Default)]
pub(crate) struct SeenRefs(HashSet<u128>);

impl SeenRefs {
    /// False if `source_ref` was seen before.
    pub fn insert(&mut self, source_ref: &str) -> bool {
        self.0.insert(ref_hash(source_ref))
    }
}

/// A source reference made from a row's content, for sources without ids.
pub(crate) fn content_ref(parts: &[&str]) -> String {
    let hash = ref_hash(&parts.join("\u{1F}"));
    format!("sha256:{:016x}", hash >> 64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn import_ids_are_deterministic_ulids() {
        let a = import_id("node/123");
        assert_eq!(a, import_id("node/123"));
        assert_ne!(a, import_id("node/124"));
        assert!(ulid::Ulid::from_string(&a).is_ok());
        assert_eq!(
            ulid::Ulid::from_string(&a).map(|u| u.timestamp_ms()).ok(),
            Some(IMPORT_ID_MS)
        );
    }

    /// Found by the `csv_row` fuzz property once peers began refusing bidi controls: an
    /// import accepted rows that every peer then refused.
    #[test]
    fn text_with_a_bidi_control_is_refused_naming_the_field() {
        let check = RowCheck {
            row: 3,
            source_ref: Some("h1"),
        };
        let e = check.name("City \u{202E}latipsoH").unwrap_err();
        assert_eq!((e.row, e.field), (3, "name"));
        assert!(e.problem.contains("U+202E"), "{e}");
        let e = check.text("contact", "+91 \u{2066}0987").unwrap_err();
        assert_eq!(e.field, "contact");
        assert_eq!(check.text("city", " पुणे ").as_deref(), Ok("पुणे"));
    }

    #[test]
    fn import_format_from_path() {
        assert_eq!(Format::from_path(Path::new("a/b.CSV")), Some(Format::Csv));
        assert_eq!(
            Format::from_path(Path::new("osm.geojson")),
            Some(Format::GeoJson)
        );
        assert_eq!(
            Format::from_path(Path::new("x.json")),
            Some(Format::GeoJson)
        );
        assert_eq!(Format::from_path(Path::new("x.xlsx")), None);
        assert_eq!(Format::from_path(Path::new("noext")), None);
    }

    #[test]
    fn import_kinds_and_ownership_parse_loosely() {
        assert_eq!(
            parse_kind(" Nursing Home "),
            Some(FacilityKind::NursingHome)
        );
        assert_eq!(parse_kind("blood-bank"), Some(FacilityKind::BloodBank));
        assert_eq!(parse_kind("spa"), None);
        assert_eq!(
            parse_ownership("Public-Private"),
            Some(Ownership::PublicPrivate)
        );
        assert_eq!(parse_ownership("NGO"), Some(Ownership::Charity));
        assert_eq!(parse_ownership("alien"), None);
    }
}
