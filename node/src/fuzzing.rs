//! Entry points for the node's fuzz targets in `fuzz/` (cargo-fuzz, nightly) and for the
//! tests below that replay their corpora on stable, so both run the same code. Each takes
//! any bytes an operator's file could hold and panics only when a property below breaks; a
//! panic is a bug to fix at its cause.

use std::path::Path;

use caremesh_federation::object::{Meta, Object};
use caremesh_federation::origin;

use crate::config::Config;
use crate::directory::import::{ImportedFacility, RowError, parse_csv, visit_geojson};

/// Bytes as `config.toml`.
///
/// Properties: parsing and validation never panic; a config that passes validation has a
/// listen address, a public URL that passes the wire check for origins, peer and pin
/// origins that normalise, and durations the node can add to a clock without overflow.
pub fn config(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(config) = Config::parse_str(text, Path::new("/etc/caremesh")) else {
        return;
    };
    assert!(
        config.listen_addr().is_ok(),
        "a valid config has no address"
    );
    let public = config.public_url();
    assert!(
        origin::check(&public).is_ok(),
        "public URL {public:?} fails the wire check"
    );
    for peer in &config.federation.peers {
        assert!(origin::normalize(&peer.url).is_ok(), "peer {:?}", peer.url);
    }
    for pin in &config.health.prefix_pins {
        assert!(
            origin::normalize(&pin.origin).is_ok(),
            "pin {:?}",
            pin.origin
        );
    }
    assert!(config.data_dir().is_absolute(), "data dir not resolved");
    let cache = config.node.cache_mb.checked_mul(1 << 20);
    assert!(
        cache.is_some_and(|b| b > 0),
        "cache of {} MiB",
        config.node.cache_mb
    );
    let appointments = &config.appointments;
    for minutes in std::iter::once(&appointments.offer_hold_minutes)
        .chain(&appointments.reminder_leads_minutes)
    {
        let ms = minutes.checked_mul(60_000);
        let ms = ms.and_then(|ms| i64::try_from(ms).ok());
        assert!(
            ms.is_some_and(|ms| ms.checked_add(i64::MAX / 2).is_some()),
            "{minutes} minutes overflow a clock"
        );
    }
}

/// Bytes as a facility CSV file.
///
/// Properties: reading never panics; every accepted row becomes a facility that passes the
/// checks peers apply to it, and every refused row names a row and a field.
pub fn csv_rows(data: &[u8]) {
    let _ = parse_csv(data, check_row);
}

/// Bytes as a GeoJSON FeatureCollection (an OpenStreetMap extract).
///
/// Properties: as for [`csv_rows`].
pub fn geojson_rows(data: &[u8]) {
    let _ = visit_geojson(data, check_row);
}

fn check_row(row: Result<ImportedFacility, RowError>) {
    match row {
        Ok(imported) => {
            assert!(!imported.source_ref.is_empty(), "row without a reference");
            let meta = Meta {
                id: "01HZY3V5ZQ8K9W2J4N6P7R1S3T".into(),
                origin: "https://node.example.org".into(),
                version: 1,
                created_at: 1_795_000_000_000,
                updated_at: 1_795_000_000_000,
            };
            let facility = Object::Facility(imported.clone().into_facility(meta));
            if let Err(e) = facility.validate() {
                panic!("an imported facility fails the wire check: {e}: {imported:?}");
            }
        }
        Err(e) => {
            assert!(e.row >= 1, "a refused row without a number: {e}");
            assert!(!e.field.is_empty(), "a refused row names no field: {e}");
        }
    }
}

#[cfg(test)]
mod tests {
    use caremesh_federation::fuzzing::replay_corpus;

    use super::*;

    #[test]
    fn config_corpus() {
        replay_corpus("config", config);
    }

    #[test]
    fn csv_row_corpus() {
        replay_corpus("csv_row", csv_rows);
    }

    #[test]
    fn geojson_row_corpus() {
        replay_corpus("geojson_row", geojson_rows);
    }
}
