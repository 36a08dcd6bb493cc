//! `config.toml`: the node's config parser and its checks.
#![no_main]
#![allow(unused)]

use libfuzzer_sys::fuzz_target;

include!("node_modules.rs");

fuzz_target!(|data: &[u8]| fuzzing::config(data));
