//! Triage (being written).
