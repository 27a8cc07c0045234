//! One module per subcommand. Each turns parsed arguments into service calls and hands the
//! results to [`crate::output`]; none prints data itself or decides an exit code.

pub(crate) mod assets;
pub(crate) mod class;
pub(crate) mod config;
pub mod doctor;
pub(crate) mod events;
pub(crate) mod holiday;
pub(crate) mod report;
pub(crate) mod school;
pub(crate) mod session;
pub(crate) mod staff;
pub(crate) mod status;
pub(crate) mod timetable;

use chrono::Utc;
use chrono_tz::Tz;

use crate::cli::{Cli, Command};
use crate::config::{Environment, Settings, Source};
use crate::error::Result;
use crate::output::{Output, Row, Style};
use crate::service::SessionService;

/// What every command gets: settings, output, and (built on demand, once) the service.
pub struct Context {
    pub settings: Settings,
    pub out: Output,
    service: std::sync::OnceLock<SessionService>,
    /// Where [`Context::zone`] came from; see [`Context::adopt_school_zone`].
    zone_origin: ZoneOrigin,
}

/// Where the zone that dates like `today` and new sessions use came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ZoneOrigin {
    /// `--timezone`, `ATTCTL_TIMEZONE` or a profile: used as given.
    Configured,
    /// The school's settings in the store (`attctl school set --timezone`).
    School,
    /// Neither: the machine's own zone.
    Machine,
}

impl Context {
    fn new(settings: Settings, out: Output) -> Context {
        let configured = settings
            .source_of("timezone")
            .is_some_and(|s| *s != Source::Default);
        Context {
            settings,
            out,
            service: std::sync::OnceLock::new(),
            zone_origin: if configured {
                ZoneOrigin::Configured
            } else {
                ZoneOrigin::Machine
            },
        }
    }

    /// The store and scheduler, built on first use and shared by the rest of the command
    /// (one connection, one sign-in check).
    pub fn service(&self) -> Result<SessionService> {
        if let Some(service) = self.service.get() {
            return Ok(service.clone());
        }
        let service = crate::backend::service(&self.settings)?;
        Ok(self.service.get_or_init(|| service).clone())
    }

    /// The zone of dates like `today` and of new sessions that name none. A zone given
    /// explicitly (`--timezone`, `ATTCTL_TIMEZONE`, a profile) is used as given, without
    /// asking the store (a create stays one request; `doctor` compares it with the
    /// school's); otherwise the school's (once [`Context::adopt_school_zone`] has read it),
    /// kept with the data so every machine agrees, rather than the machine's, which on a
    /// server is UTC.
    pub fn zone(&self) -> Tz {
        self.settings.timezone
    }

    /// Reads the school's zone when no zone is configured, so that every command of this
    /// process (dates like `today`, `--since`, new sessions) uses it rather than the
    /// machine's; says once per machine when they differ or the school has none.
    async fn adopt_school_zone(&mut self) -> Result<()> {
        if self.zone_origin == ZoneOrigin::Configured {
            return Ok(());
        }
        let service = self.service()?;
        let school = match school_zone(&service).await {
            Ok(zone) => zone,
            // A store from before the school's settings: the machine's zone, as before;
            // doctor names the missing migration.
            Err(crate::error::Error::Schema(_)) => return Ok(()),
            Err(e) => return Err(e),
        };
        self.note_zone_once(school);
        if let Some(zone) = school {
            self.settings.timezone = zone;
            self.zone_origin = ZoneOrigin::School;
        }
        Ok(())
    }

    /// Notes, once per machine and pair of zones, a school zone that is not this
    /// machine's (or a school without one): a note that came with every command would be
    /// read by nobody.
    fn note_zone_once(&self, school: Option<Tz>) {
        let here = self.settings.timezone;
        let (key, message) = match school {
            Some(school) if school == here => return,
            Some(school) => (
                format!("machine zone {here}, school {school}"),
                format!(
                    "dates and new sessions use the school's time zone, {school} (this \
                     machine's is {here})"
                ),
            ),
            None => (
                format!("machine zone {here}, school none"),
                format!(
                    "the school has no time zone, so this machine's ({here}) is used for \
                     dates and new sessions; set the school's once with `attctl school set \
                     --timezone ZONE`"
                ),
            ),
        };
        if crate::config::first_time(&key) {
            self.out.note(&format!("note: {message}"));
        }
    }

    /// Tables of a command that does not adopt the school's zone (the class commands)
    /// still show instants on the school's clock: it is read when a table will be drawn
    /// and no zone is configured. A zone that cannot be read leaves the machine's: a
    /// listing is never failed for a clock.
    pub async fn use_school_zone(&mut self, service: &SessionService) {
        if self.out.format() != crate::cli::OutputFormat::Table
            || self.zone_origin != ZoneOrigin::Machine
        {
            return;
        }
        if let Ok(Some(zone)) = school_zone(service).await {
            self.out.set_zone(zone);
        }
    }

    pub fn today(&self) -> chrono::NaiveDate {
        crate::clock::today_in(self.zone(), Utc::now())
    }
}

/// The school's zone in the store, if one is set.
async fn school_zone(service: &SessionService) -> Result<Option<Tz>> {
    match service.store().school().await?.timezone {
        None => Ok(None),
        Some(name) => crate::clock::parse_zone(&name).map(Some).map_err(|e| {
            crate::error::Error::Config(format!(
                "the school's time zone in the store is not usable ({e}): set it again with \
                 `attctl school set --timezone ZONE`"
            ))
        }),
    }
}

pub(crate) async fn dispatch(cli: Cli) -> Result<()> {
    let mut out = Output::new(cli.output, cli.color).verbose(cli.verbose);
    // Commands that need no settings run even when the configuration is broken.
    match &cli.command {
        Command::Completions { shell } => return assets::completions(*shell),
        Command::GenerateAssets { out_dir } => return assets::write_assets(out_dir),
        Command::Config(crate::cli::ConfigCommand::Path) => {
            return config::path(&cli.global.overrides(), &mut out);
        }
        Command::Config(crate::cli::ConfigCommand::Init { force }) => {
            return config::init(&cli.global.overrides(), *force, &mut out);
        }
        Command::Doctor(args) => return doctor::run(&cli.global.overrides(), args, &mut out).await,
        _ => {}
    }
    let env = Environment::load()?;
    let settings = crate::config::resolve(&cli.global.overrides(), &env)?;
    for warning in &settings.warnings {
        out.warn(warning);
    }
    // A register switch on a store without registers is refused before a session command
    // can close anything.
    if settings.registers.any() && matches!(cli.command, Command::Session(_)) {
        let store = crate::backend::open_store(&settings)?;
        crate::backend::check_registers(&settings, store.as_ref()).await?;
    }
    let zone_flag = cli.global.timezone.clone();
    let mut ctx = Context::new(settings, out);
    // Commands that read or write sessions take dates in the school's zone; the school's
    // own command and the sign-in commands have nothing to interpret.
    if matches!(
        cli.command,
        Command::Session(_)
            | Command::Report(_)
            | Command::Status
            | Command::Holiday(_)
            | Command::Events(_)
    ) {
        ctx.adopt_school_zone().await?;
    }
    // Tables show instants on the clock dates are read in.
    let zone = ctx.zone();
    ctx.out.set_zone(zone);
    match cli.command {
        Command::School(cmd) => school::run(cmd, zone_flag, &mut ctx).await,
        Command::Session(cmd) => session::run(cmd, &mut ctx).await,
        Command::Class(cmd) => class::run(cmd, &mut ctx).await,
        Command::Report(cmd) => report::run(cmd, &mut ctx).await,
        Command::Status => status::run(&mut ctx).await,
        Command::Holiday(cmd) => holiday::run(cmd, &mut ctx).await,
        Command::Config(cmd) => config::run(cmd, &mut ctx),
        Command::Events(cmd) => events::run(cmd, &mut ctx).await,
        Command::Notify(cmd) => events::notify(cmd, &mut ctx).await,
        Command::Login(args) => staff::login(args, &mut ctx).await,
        Command::Logout(args) => staff::logout(args, &mut ctx).await,
        Command::Whoami => staff::whoami(&mut ctx).await,
        Command::Staff(cmd) => staff::staff(cmd, &mut ctx).await,
        Command::Doctor(_) | Command::Completions { .. } | Command::GenerateAssets { .. } => Ok(()),
    }
}

/// Asks `question` (default no) on a terminal; elsewhere refuses with `refusal` unless
/// `yes` was given. A "no" is [`Error::Aborted`] with `declined`.
pub(crate) fn confirm(
    ctx: &Context,
    yes: bool,
    refusal: impl FnOnce() -> String,
    question: &str,
    declined: impl FnOnce() -> String,
) -> Result<()> {
    if yes {
        return Ok(());
    }
    if !ctx.out.interactive() {
        return Err(crate::error::Error::invalid(refusal()));
    }
    let ok = inquire::Confirm::new(question)
        .with_default(false)
        .prompt()
        .map_err(prompt_error)?;
    if ok {
        Ok(())
    } else {
        Err(crate::error::Error::Aborted(declined()))
    }
}

/// A prompt that could not be answered: cancelled (Esc, Ctrl-C) or no terminal.
pub(crate) fn prompt_error(e: inquire::InquireError) -> crate::error::Error {
    match e {
        inquire::InquireError::OperationCanceled | inquire::InquireError::OperationInterrupted => {
            crate::error::Error::Aborted("cancelled at the prompt".into())
        }
        other => crate::error::Error::io("prompt", std::io::Error::other(other.to_string())),
    }
}

/// A step of a `--dry-run` plan, as a table row.
impl Row for crate::service::dry_run::PlannedStep {
    fn headers() -> &'static [&'static str] {
        &["STEP", "METHOD", "TARGET", "NOTE"]
    }
    fn cells(&self, _style: &Style) -> Vec<comfy_table::Cell> {
        vec![
            comfy_table::Cell::new(self.step),
            comfy_table::Cell::new(&self.method),
            comfy_table::Cell::new(&self.target),
            comfy_table::Cell::new(&self.note),
        ]
    }
}
