//! `attctl school …`: the school's settings, kept with its data (both stores).

use serde::Serialize;

use super::Context;
use crate::cli::SchoolCommand;
use crate::error::{Error, Result};
use crate::output::{Detail, Style};
use crate::session::{SchoolSettings, SchoolUpdate};

pub(crate) async fn run(
    cmd: SchoolCommand,
    zone_flag: Option<String>,
    ctx: &mut Context,
) -> Result<()> {
    let service = ctx.service()?;
    let settings = match cmd {
        SchoolCommand::Show => service.store().school().await?,
        SchoolCommand::Set { session_type } => {
            // The global --timezone names the zone to keep; resolving the settings has
            // already refused a name that is not an IANA zone.
            let timezone = zone_flag.map(|_| ctx.zone().name().to_string());
            if timezone.is_none() && session_type.is_none() {
                return Err(Error::invalid(
                    "nothing to set: give --timezone ZONE (e.g. Europe/London) and/or \
                     --session-type TYPE",
                ));
            }
            service
                .store()
                .set_school(&SchoolUpdate {
                    timezone,
                    session_type,
                })
                .await?
        }
    };
    ctx.out.detail(&SchoolView::from(settings))
}

/// `school show`'s answer: `{"timezone", "session_type", "updated_at"}`, `null` where unset.
#[derive(Debug, Serialize)]
struct SchoolView {
    timezone: Option<String>,
    session_type: Option<String>,
    updated_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl From<SchoolSettings> for SchoolView {
    fn from(s: SchoolSettings) -> Self {
        SchoolView {
            timezone: s.timezone,
            session_type: s.session_type,
            updated_at: s.updated_at,
        }
    }
}

impl Detail for SchoolView {
    fn fields(&self, _style: &Style) -> Vec<(&'static str, comfy_table::Cell)> {
        let or_unset = |v: &Option<String>, hint: &str| {
            v.clone().unwrap_or_else(|| format!("(not set: {hint})"))
        };
        vec![
            (
                "timezone",
                comfy_table::Cell::new(or_unset(
                    &self.timezone,
                    "new sessions take --timezone, ATTCTL_TIMEZONE or the machine's zone",
                )),
            ),
            (
                "session_type",
                comfy_table::Cell::new(or_unset(
                    &self.session_type,
                    "theory, on the original app's database",
                )),
            ),
            (
                "updated_at",
                comfy_table::Cell::new(
                    self.updated_at
                        .map_or_else(|| "-".to_string(), |t| t.to_rfc3339()),
                ),
            ),
        ]
    }
}
