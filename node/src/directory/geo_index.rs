//! Spatial index (being written).
