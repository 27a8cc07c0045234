//! `attctl doctor` (being written).
use crate::config::Overrides;
use crate::error::{Error, Result};
use crate::output::Output;

pub async fn run(_overrides: &Overrides, _out: &mut Output) -> Result<()> {
    Err(Error::Config(
        "doctor is not available in this build yet".into(),
    ))
}
