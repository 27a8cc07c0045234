//! attctl-worker's log for a person at a terminal: one short line per event, the time in
//! the school's zone, no module path, the level only when it is not INFO, and only the
//! fields that the message does not already say. Off a terminal the log stays JSON lines
//! (journald, files), whatever this module does.

use std::fmt::{self, Write as _};
use std::sync::RwLock;

use chrono::Utc;
use chrono_tz::Tz;
use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::fmt::format::Writer;
use tracing_subscriber::fmt::{FmtContext, FormatEvent, FormatFields};
use tracing_subscriber::registry::LookupSpan;

/// The zone of the lines' times: the configured zone at start, the school's once read.
static LOG_ZONE: RwLock<Option<Tz>> = RwLock::new(None);

/// Sets the zone the human log lines show times in.
pub fn set_log_zone(zone: Tz) {
    if let Ok(mut z) = LOG_ZONE.write() {
        *z = Some(zone);
    }
}

fn log_zone() -> Tz {
    LOG_ZONE.read().ok().and_then(|z| *z).unwrap_or(Tz::UTC)
}

/// The line format (see the module's doc). `targets`: name the module too (with `--debug`
/// or `RUST_LOG`, where it says which part spoke).
pub(crate) struct HumanLine {
    pub(crate) targets: bool,
}

#[derive(Default)]
struct Fields {
    message: String,
    others: Vec<(&'static str, String)>,
}

impl Visit for Fields {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.message = value.to_string();
        } else {
            self.others.push((field.name(), value.to_string()));
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        let text = format!("{value:?}");
        if field.name() == "message" {
            self.message = text;
        } else {
            // A Debug string keeps its quotes: `channel="webhook"` reads as `webhook`.
            let text = text
                .strip_prefix('"')
                .and_then(|t| t.strip_suffix('"'))
                .map_or(text.clone(), str::to_string);
            self.others.push((field.name(), text));
        }
    }
}

impl<S, N> FormatEvent<S, N> for HumanLine
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    N: for<'a> FormatFields<'a> + 'static,
{
    fn format_event(
        &self,
        _ctx: &FmtContext<'_, S, N>,
        mut writer: Writer<'_>,
        event: &Event<'_>,
    ) -> fmt::Result {
        let ansi = writer.has_ansi_escapes();
        let paint = |code: &str, text: &str| {
            if ansi {
                format!("\x1b[{code}m{text}\x1b[0m")
            } else {
                text.to_string()
            }
        };
        let time = Utc::now().with_timezone(&log_zone());
        write!(
            writer,
            "{} ",
            paint("2", &time.format("%b %d %H:%M:%S").to_string())
        )?;
        let meta = event.metadata();
        match *meta.level() {
            Level::INFO => {}
            Level::WARN => write!(writer, "{} ", paint("33", "warning:"))?,
            Level::ERROR => write!(writer, "{} ", paint("31", "error:"))?,
            level => write!(writer, "{} ", paint("2", &level.as_str().to_lowercase()))?,
        }
        if self.targets {
            write!(writer, "{} ", paint("2", meta.target()))?;
        }
        let mut fields = Fields::default();
        event.record(&mut fields);
        writer.write_str(&fields.message)?;
        let mut rest = String::new();
        for (name, value) in &fields.others {
            if !value.is_empty() && fields.message.contains(value.as_str()) {
                continue;
            }
            let _ = write!(rest, " {name}={value}");
        }
        if !rest.is_empty() {
            writer.write_str(&paint("2", &rest))?;
        }
        writeln!(writer)
    }
}

/// `3 ms`, `4.2 s`, `12 min`, `5 h 10 min`, `42 days`: a delay as a person says it.
pub fn human_delay(ms: i64) -> String {
    let ms = ms.max(0);
    let (s, m, h) = (ms / 1000, ms / 60_000, ms / 3_600_000);
    if ms < 1000 {
        format!("{ms} ms")
    } else if s < 60 {
        format!("{}.{} s", s, (ms % 1000) / 100)
    } else if m < 60 {
        format!("{m} min")
    } else if h < 48 {
        match m % 60 {
            0 => format!("{h} h"),
            rest => format!("{h} h {rest} min"),
        }
    } else {
        format!("{} days", h / 24)
    }
}

#[cfg(test)]
mod tests {
    use super::human_delay;

    #[test]
    fn delays_read_as_people_say_them() {
        assert_eq!(human_delay(3), "3 ms");
        assert_eq!(human_delay(4_230), "4.2 s");
        assert_eq!(human_delay(12 * 60_000 + 5_000), "12 min");
        assert_eq!(human_delay(5 * 3_600_000 + 10 * 60_000), "5 h 10 min");
        assert_eq!(human_delay(3_637_910_111), "42 days");
        assert_eq!(human_delay(-5), "0 ms");
    }
}
