//! Hatchet test engine (placeholder until filled in).
