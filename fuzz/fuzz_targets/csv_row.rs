//! Facility CSV files, row by row, as `caremesh import` reads them.
#![no_main]
#![allow(unused)]

use libfuzzer_sys::fuzz_target;

// The node's parser modules, compiled from node/src as the node compiles them (the node
// crate is no dependency: see Cargo.toml). Their entry points are in node/src/fuzzing.rs.
#[path = "../../node/src/catalog.rs"]
mod catalog;
#[path = "../../node/src/config.rs"]
mod config;
#[path = "../../node/src/directory"]
mod directory {
    pub mod import;
}
#[path = "../../node/src/fuzzing.rs"]
mod fuzzing;

fuzz_target!(|data: &[u8]| fuzzing::csv_rows(data));
