//! The embedded store (placeholder while it is being written).
