//! Directory imports (being written).
