//! GeoJSON FeatureCollections (OpenStreetMap extracts), feature by feature.
#![no_main]
#![allow(unused)]

use libfuzzer_sys::fuzz_target;

include!("node_modules.rs");

fuzz_target!(|data: &[u8]| fuzzing::geojson_rows(data));
