//! Every command-line definition of both binaries, in one place: the parsers, the shell
//! completions and the man pages are all generated from these types.
//!
//! `attctl`'s parser and subcommands are in `attctl` (`session`'s in `session`),
//! `attctl-worker`'s in `worker`, and the flags both take in `global`.

mod attctl;
mod global;
mod notify_settings;
mod session;
mod worker;

pub(crate) use attctl::attctl_command;
pub use attctl::{
    ClassCommand, Cli, ClosuresArgs, Command, ConfigCommand, DoctorArgs, EventState, EventsCommand,
    EventsListArgs, EventsRetryArgs, HolidayCommand, LoginArgs, LogoutArgs, NotifyChannel,
    NotifyCommand, OpenPastEndArgs, RegistersArgs, RegistersBy, ReportBy, ReportCommand,
    SchoolCommand, StaffCommand, StaffRole,
};
pub use global::{ColorChoice, GlobalArgs, OutputFormat};
pub(crate) use notify_settings::{NOTIFY_SETTINGS, notify_help, with_notify_help, wrap};
pub use session::{
    BulkFilterArgs, CloseArgs, CreateArgs, DeleteArgs, ExportArgs, FileFormat, GenerateArgs,
    ImportArgs, ListArgs, RescheduleArgs, SessionCommand,
};
pub use worker::{RunArgs, WorkerCli, WorkerCommand};
