//! The care directory: spatial search over facility listings and imports of directory data.

pub mod export;
pub mod exporter;
pub mod finder;
pub mod geo_index;
pub mod hours;
pub mod import;
pub mod importer;
pub mod listings;
pub mod places;
mod rules;
pub mod search;
pub mod snapshot;
