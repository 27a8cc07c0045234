//! `attctl events …` and `attctl notify test`: the outbox as people and scripts see it, and
//! a sample sent through the configured channels.

use chrono::{DateTime, Utc};
use comfy_table::Cell;
use serde::Serialize;

use super::Context;
use crate::cli::{EventsCommand, EventsListArgs, NotifyCommand};
use crate::error::{Error, Result};
use crate::notify::ChannelAnswer;
use crate::notify::outbox::REQUEST_TIMEOUT;
use crate::notify::send::send_to;
use crate::output::{Column, Row, Style, printable};
use crate::store::events::{EVENT_TYPES, EventFilter, EventRecord, RetrySelection};

pub(crate) async fn run(cmd: EventsCommand, ctx: &mut Context) -> Result<()> {
    match cmd {
        EventsCommand::List(args) => list(args, ctx).await,
        EventsCommand::Retry(args) => {
            let which = match (args.id, args.failed) {
                (Some(id), _) => {
                    let id = id.trim().to_ascii_lowercase();
                    if uuid::Uuid::parse_str(&id).is_err() {
                        return Err(Error::invalid(format!(
                            "event id {id:?} is not a UUID (see `attctl events list`)"
                        )));
                    }
                    RetrySelection::One(id)
                }
                (None, _) => RetrySelection::AllFailed,
            };
            let ids = ctx.service()?.store().retry_events(&which).await?;
            if let RetrySelection::One(id) = &which
                && ids.is_empty()
            {
                return Err(Error::NotFound {
                    what: "event",
                    id: id.clone(),
                });
            }
            let rows: Vec<Retried> = ids.into_iter().map(|id| Retried { id }).collect();
            ctx.out.note(&format!(
                "{} event(s) queued for delivery again",
                rows.len()
            ));
            ctx.out.list(&rows)
        }
    }
}

async fn list(args: EventsListArgs, ctx: &mut Context) -> Result<()> {
    let since = args
        .since
        .as_deref()
        .map(|d| parse_since(d, ctx))
        .transpose()?;
    if let Some(kind) = &args.kind
        && !EVENT_TYPES.contains(&kind.as_str())
    {
        return Err(Error::invalid(format!(
            "--type {kind:?} is not an event type; use one of {}",
            EVENT_TYPES.join(", ")
        )));
    }
    // Supabase answers at most 1,000 rows a request: a larger --limit would be cut there
    // without a word. Refused on both stores, so a script behaves the same on either.
    if !(1..=MAX_LIMIT).contains(&args.limit) {
        return Err(Error::invalid(format!(
            "--limit {}: give 1 to {MAX_LIMIT}; to see other events, narrow the list with \
             --since, --type or --state",
            args.limit
        )));
    }
    // People read the latest first; JSON keeps its order (oldest first), which scripts
    // page through with --since.
    let table = ctx.out.format() == crate::cli::OutputFormat::Table;
    let filter = EventFilter {
        since,
        kind: args.kind,
        state: args.state.map(|s| s.as_str().to_string()),
        newest_first: table,
    };
    let service = ctx.service()?;
    let events = service.store().list_events(&filter, args.limit).await?;
    ctx.out.list(&events)
}

/// The most events one `events list` shows: Supabase's cap on the rows of one answer.
const MAX_LIMIT: usize = 1000;

/// `--since`: a duration back from now, a date (midnight in the configured zone), or an
/// RFC 3339 instant; never before 1970, where no event can be (and where a duration of
/// millions of days would leave the range of dates a store can hold).
fn parse_since(raw: &str, ctx: &Context) -> Result<DateTime<Utc>> {
    let raw = raw.trim();
    let back = |d: Option<chrono::Duration>| -> Result<DateTime<Utc>> {
        d.and_then(|d| Utc::now().checked_sub_signed(d))
            .filter(|t| *t >= DateTime::<Utc>::UNIX_EPOCH)
            .ok_or_else(|| {
                Error::invalid(format!(
                    "--since {raw}: reaches back before 1970; leave --since out to list from \
                     the first event"
                ))
            })
    };
    if let Some(days) = raw.strip_suffix('d').and_then(|n| n.parse::<i64>().ok())
        && days > 0
    {
        return back(chrono::Duration::try_days(days));
    }
    if let Some(d) = crate::config::notify::parse_duration(raw) {
        return back(chrono::Duration::from_std(d).ok());
    }
    let earliest = |t: DateTime<Utc>| -> Result<DateTime<Utc>> {
        if t < DateTime::<Utc>::UNIX_EPOCH {
            Err(Error::invalid(format!(
                "--since {raw}: is before 1970; leave --since out to list from the first event"
            )))
        } else {
            Ok(t)
        }
    };
    if let Ok(t) = DateTime::parse_from_rfc3339(raw) {
        return earliest(t.with_timezone(&Utc));
    }
    match crate::clock::parse_date(raw, ctx.today()) {
        Ok(date) => {
            let start = crate::clock::instant_of(date, chrono::NaiveTime::MIN, ctx.zone());
            if let Ok(t) = start {
                return earliest(t);
            }
        }
        // A date's shape with a day that does not exist (2028-02-31): say that.
        Err(e) if crate::clock::has_date_shape(raw.trim()) => {
            return Err(Error::invalid(format!("--since: {e}")));
        }
        Err(_) => {}
    }
    Err(Error::invalid(format!(
        "--since {raw:?} is not a duration (30s, 10m, 1h, 2d), a date (YYYY-MM-DD, today) \
         or an RFC 3339 instant"
    )))
}

#[derive(Debug, Serialize)]
struct Retried {
    id: String,
}

impl Row for Retried {
    fn headers() -> &'static [&'static str] {
        &["ID"]
    }
    fn cells(&self, _style: &Style) -> Vec<Cell> {
        vec![Cell::new(&self.id)]
    }
}

impl Row for EventRecord {
    fn headers() -> &'static [&'static str] {
        &[
            "ID",
            "TYPE",
            "SESSION",
            "OCCURRED",
            "STATE",
            "ATTEMPTS",
            "LAST ERROR",
        ]
    }
    fn cells(&self, _style: &Style) -> Vec<Cell> {
        vec![
            Cell::new(&self.id),
            Cell::new(&self.kind),
            Cell::new(self.session_id),
            Cell::new(
                self.occurred_at
                    .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            ),
            Cell::new(&self.state),
            Cell::new(self.attempts),
            // A receiver's answer, as stored: it may hold anything.
            Cell::new(printable(self.last_error.as_deref().unwrap_or(""))),
        ]
    }
    /// The event's id (a UUID, for `events retry`) only with `-o wide`; when it occurred
    /// as a person says it (`3 h ago`), or with `-o wide` on the school's clock.
    fn columns(style: &Style) -> Vec<Column> {
        let mut columns = vec![
            Column::fixed("TYPE"),
            Column::fixed("SESSION"),
            Column::fixed("OCCURRED"),
            Column::fixed("STATE"),
            Column::fixed("ATTEMPTS"),
            Column::truncate("LAST ERROR"),
        ];
        if style.wide {
            columns.insert(0, Column::fixed("ID"));
        }
        columns
    }
    fn table_cells(&self, style: &Style) -> Vec<Cell> {
        let mut cells = self.cells(style);
        let occurred = if style.wide {
            style.instant(self.occurred_at, None)
        } else {
            style.relative(self.occurred_at)
        };
        cells[3] = Cell::new(occurred);
        if !style.wide {
            cells.remove(0);
        }
        cells
    }
}

impl Row for ChannelAnswer {
    fn headers() -> &'static [&'static str] {
        &["CHANNEL", "OK", "STATUS", "ANSWER"]
    }
    fn cells(&self, _style: &Style) -> Vec<Cell> {
        vec![
            Cell::new(self.channel),
            Cell::new(if self.ok { "yes" } else { "no" }),
            Cell::new(self.status.map(|s| s.to_string()).unwrap_or_default()),
            // The receiver's or mail server's own words.
            Cell::new(printable(&self.detail)),
        ]
    }
}

/// `notify test`: one sample `session.closed` per channel; a channel that refuses it (or
/// does not answer within [`REQUEST_TIMEOUT`]) makes the command fail, after every answer
/// is shown.
pub(crate) async fn notify(cmd: NotifyCommand, ctx: &mut Context) -> Result<()> {
    let NotifyCommand::Test { channel } = cmd;
    let settings = &ctx.settings.notify;
    let configured = settings.channels();
    let channels: Vec<&'static str> = match channel {
        Some(c) => {
            if !configured.contains(&c.as_str()) {
                return Err(Error::Config(format!(
                    "the {} channel is not configured ({})",
                    c.as_str(),
                    channel_vars(c.as_str())
                )));
            }
            vec![c.as_str()]
        }
        None if configured.is_empty() => {
            return Err(Error::Config(
                "no notification channel is configured: set ATTCTL_WEBHOOK_URL, \
                 ATTCTL_SLACK_WEBHOOK_URL or ATTCTL_SMTP_URL"
                    .into(),
            ));
        }
        None => configured,
    };
    // The sample goes to ATTCTL_MAIL_TO only, never to a class's recipients.
    if channels.contains(&"email") && settings.email.as_ref().is_some_and(|e| e.to.is_empty()) {
        return Err(Error::invalid(
            "notify test sends the sample email to ATTCTL_MAIL_TO, which is not set: set it \
             (name@example.org), or test another channel with --channel",
        ));
    }
    let http = crate::http::channel_client(REQUEST_TIMEOUT)?;
    let sample = sample_event();
    // All channels at once, each within the one deadline: the command answers within
    // REQUEST_TIMEOUT whatever a receiver does (a mail server that greets and then says
    // nothing included).
    let answers = futures::future::join_all(
        channels
            .into_iter()
            .map(|ch| send_to(&http, settings, ch, &sample, &[], REQUEST_TIMEOUT)),
    )
    .await;
    ctx.out.list(&answers)?;
    match answers.iter().find(|a| !a.ok) {
        Some(a) => Err(Error::Unavailable(format!(
            "the {} channel did not accept the sample: {}",
            a.channel,
            match (a.channel, a.status) {
                ("email", _) | (_, None) => printable(&a.detail).into_owned(),
                (_, Some(s)) => format!("HTTP {s}"),
            }
        ))),
        None => Ok(()),
    }
}

fn channel_vars(channel: &str) -> &'static str {
    match channel {
        "webhook" => "set ATTCTL_WEBHOOK_URL and ATTCTL_WEBHOOK_SECRET",
        "slack" => "set ATTCTL_SLACK_WEBHOOK_URL",
        _ => "set ATTCTL_SMTP_URL, ATTCTL_MAIL_FROM and ATTCTL_MAIL_TO",
    }
}

/// A `session.closed` of a made-up session, with a fresh id so a receiver does not drop
/// it as a repeat.
fn sample_event() -> EventRecord {
    let now = Utc::now();
    EventRecord {
        id: uuid::Uuid::new_v4().to_string(),
        kind: "session.closed".into(),
        session_id: 0,
        occurred_at: now,
        payload: serde_json::json!({
            "session": {
                "id": 0, "class_id": 0, "class_name": "attctl notify test",
                "session_date": now.format("%Y-%m-%d").to_string(),
                "start_time": "09:00:00", "end_time": "10:00:00", "status": "Closed",
                "scheduled_task_id": null, "timezone": "UTC",
                "closes_at": now, "closed_at": now, "closed_by": "manual",
                "created_at": now, "updated_at": now,
            },
            "closed_by": "manual",
            "test": true,
        }),
        state: "pending".into(),
        deliveries: serde_json::json!({}),
        attempts: 0,
        next_attempt_at: now,
        last_error: None,
        delivered_at: None,
    }
}
