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

/// What every command gets: settings, output, and (built on demand) the service.
pub struct Context {
    pub settings: Settings,
    pub out: Output,
}

impl Context {
    pub fn service(&self) -> Result<SessionService> {
        crate::backend::service(&self.settings)
    }

    pub fn zone(&self) -> Tz {
        self.settings.timezone
    }

    /// The zone of new sessions that name none. A zone given explicitly (`--timezone`,
    /// `ATTCTL_TIMEZONE`, a profile) is used as given; otherwise the school's
    /// (`attctl school set --timezone`, kept with the data, so every machine agrees) rather
    /// than the machine's, which on a server is UTC. Only that case asks the store.
    pub async fn session_zone(&self, service: &SessionService) -> Result<Tz> {
        let configured = self
            .settings
            .source_of("timezone")
            .is_some_and(|s| *s != Source::Default);
        if configured {
            return Ok(self.settings.timezone);
        }
        match service.store().school().await?.timezone {
            None => Ok(self.settings.timezone),
            Some(name) => crate::clock::parse_zone(&name).map_err(|e| {
                crate::error::Error::Schema(format!(
                    "the school's time zone in the store is not usable ({e}): set it again \
                     with `attctl school set --timezone ZONE`"
                ))
            }),
        }
    }

    pub fn today(&self) -> chrono::NaiveDate {
        crate::clock::today_in(self.zone(), Utc::now())
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
    let mut ctx = Context { settings, out };
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
