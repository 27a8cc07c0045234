//! What both binaries take: the settings flags ([`GlobalArgs`]), and attctl's output format
//! and colour choices.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use crate::config::{BackendKind, Overrides};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Aligned columns for people (default on a terminal), fitted to its width: one line a
    /// row, long names cut with …, internal ids (run and event ids) left out.
    Table,
    /// The table with every column (run and event ids, exact instants) and every cell whole.
    Wide,
    /// One JSON document (default when piped).
    Json,
    /// One JSON object per line, streamed.
    Ndjson,
    /// Comma-separated values with a header row (reports; lists print their table columns).
    Csv,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}

/// Settings flags shared by attctl and attctl-worker.
#[derive(Debug, Clone, Args, Default)]
pub struct GlobalArgs {
    /// Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]
    #[arg(
        long,
        global = true,
        help_heading = "Global options",
        value_name = "FILE"
    )]
    pub config: Option<PathBuf>,
    /// Profile of the config file to use
    #[arg(
        long,
        global = true,
        help_heading = "Global options",
        value_name = "NAME"
    )]
    pub profile: Option<String>,
    /// Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]
    #[arg(long, global = true, help_heading = "Global options", value_enum)]
    pub backend: Option<BackendKind>,
    /// Supabase project URL (the key is read from the environment, never from flags)
    #[arg(
        long,
        global = true,
        help_heading = "Global options",
        value_name = "URL"
    )]
    pub supabase_url: Option<String>,
    /// SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]
    #[arg(
        long,
        global = true,
        help_heading = "Global options",
        value_name = "FILE"
    )]
    pub data_file: Option<PathBuf>,
    /// IANA timezone of session times [default: the school's (attctl school set), else the
    /// machine's]
    #[arg(
        long,
        global = true,
        help_heading = "Global options",
        value_name = "ZONE"
    )]
    pub timezone: Option<String>,
    /// Log debug details to stderr (or set RUST_LOG)
    #[arg(long, global = true, help_heading = "Global options")]
    pub debug: bool,
}

impl GlobalArgs {
    pub fn overrides(&self) -> Overrides {
        Overrides {
            config_file: self.config.clone(),
            profile: self.profile.clone(),
            backend: self.backend,
            supabase_url: self.supabase_url.clone(),
            data_file: self.data_file.clone(),
            timezone: self.timezone.clone(),
        }
    }
}
