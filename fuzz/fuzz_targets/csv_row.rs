//! Facility CSV files, row by row, as `caremesh import` reads them.
#![no_main]
#![allow(unused)]

use libfuzzer_sys::fuzz_target;

include!("node_modules.rs");

fuzz_target!(|data: &[u8]| fuzzing::csv_rows(data));
