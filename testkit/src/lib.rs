//! Test harness (placeholder until filled in).
