
use builtin;
use str;

set edit:completion:arg-completer[attctl] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'attctl'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'attctl'= {
            cand -o 'Output format [default: table on a terminal, json otherwise]'
            cand --output 'Output format [default: table on a terminal, json otherwise]'
            cand --color 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]'
            cand --profile 'Profile of the config file to use'
            cand --backend 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]'
            cand --supabase-url 'Supabase project URL (the key is read from the environment, never from flags)'
            cand --data-file 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]'
            cand --timezone 'IANA timezone of session times [default: the machine''s]'
            cand --debug 'Log debug details to stderr (or set RUST_LOG)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand session 'Create, list, close, reschedule and delete teaching sessions'
            cand class 'List and create classes'
            cand doctor 'Check configuration, connectivity, schema and the worker'
            cand config 'Show, locate or create the config file'
            cand events 'List session events (the outbox of notifications) and retry failed deliveries'
            cand notify 'Send a sample notification to the configured channels'
            cand completions 'Print a shell completion script to stdout'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'attctl;session'= {
            cand -o 'Output format [default: table on a terminal, json otherwise]'
            cand --output 'Output format [default: table on a terminal, json otherwise]'
            cand --color 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]'
            cand --profile 'Profile of the config file to use'
            cand --backend 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]'
            cand --supabase-url 'Supabase project URL (the key is read from the environment, never from flags)'
            cand --data-file 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]'
            cand --timezone 'IANA timezone of session times [default: the machine''s]'
            cand --debug 'Log debug details to stderr (or set RUST_LOG)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand create 'Create a session; its automatic close is scheduled at its end'
            cand list 'List sessions, ordered by date then start time'
            cand show 'Show one session'
            cand close 'Close sessions now (a closed session is reported, not an error, unless --strict)'
            cand delete 'Delete sessions and cancel their automatic close'
            cand reschedule 'Move a session to new times and schedule its close again'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'attctl;session;create'= {
            cand --class 'Class id or exact name (prompted on a terminal when missing)'
            cand --date 'Date: YYYY-MM-DD, today or tomorrow'
            cand --start 'Start time: HH:MM or HH:MM:SS'
            cand --end 'End time: HH:MM or HH:MM:SS, after the start'
            cand -o 'Output format [default: table on a terminal, json otherwise]'
            cand --output 'Output format [default: table on a terminal, json otherwise]'
            cand --color 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]'
            cand --profile 'Profile of the config file to use'
            cand --backend 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]'
            cand --supabase-url 'Supabase project URL (the key is read from the environment, never from flags)'
            cand --data-file 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]'
            cand --timezone 'IANA timezone of session times [default: the machine''s]'
            cand --dry-run 'Print the requests it would make; change nothing'
            cand --debug 'Log debug details to stderr (or set RUST_LOG)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'attctl;session;list'= {
            cand --class 'Only this class (id or exact name)'
            cand --date 'Only this date (YYYY-MM-DD, today, tomorrow)'
            cand --from 'From this date, inclusive'
            cand --to 'Up to this date, inclusive'
            cand --status 'Only Open or Closed sessions'
            cand --limit 'At most this many sessions'
            cand -o 'Output format [default: table on a terminal, json otherwise]'
            cand --output 'Output format [default: table on a terminal, json otherwise]'
            cand --color 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]'
            cand --profile 'Profile of the config file to use'
            cand --backend 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]'
            cand --supabase-url 'Supabase project URL (the key is read from the environment, never from flags)'
            cand --data-file 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]'
            cand --timezone 'IANA timezone of session times [default: the machine''s]'
            cand --all 'Every matching session, page by page (ignores --limit)'
            cand --debug 'Log debug details to stderr (or set RUST_LOG)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'attctl;session;show'= {
            cand -o 'Output format [default: table on a terminal, json otherwise]'
            cand --output 'Output format [default: table on a terminal, json otherwise]'
            cand --color 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]'
            cand --profile 'Profile of the config file to use'
            cand --backend 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]'
            cand --supabase-url 'Supabase project URL (the key is read from the environment, never from flags)'
            cand --data-file 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]'
            cand --timezone 'IANA timezone of session times [default: the machine''s]'
            cand --debug 'Log debug details to stderr (or set RUST_LOG)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'attctl;session;close'= {
            cand -o 'Output format [default: table on a terminal, json otherwise]'
            cand --output 'Output format [default: table on a terminal, json otherwise]'
            cand --color 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]'
            cand --profile 'Profile of the config file to use'
            cand --backend 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]'
            cand --supabase-url 'Supabase project URL (the key is read from the environment, never from flags)'
            cand --data-file 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]'
            cand --timezone 'IANA timezone of session times [default: the machine''s]'
            cand --strict 'Fail if a session is already closed'
            cand --dry-run 'Print the requests it would make; change nothing'
            cand --debug 'Log debug details to stderr (or set RUST_LOG)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'attctl;session;delete'= {
            cand -o 'Output format [default: table on a terminal, json otherwise]'
            cand --output 'Output format [default: table on a terminal, json otherwise]'
            cand --color 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]'
            cand --profile 'Profile of the config file to use'
            cand --backend 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]'
            cand --supabase-url 'Supabase project URL (the key is read from the environment, never from flags)'
            cand --data-file 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]'
            cand --timezone 'IANA timezone of session times [default: the machine''s]'
            cand -y 'Do not ask for confirmation (required when not on a terminal)'
            cand --yes 'Do not ask for confirmation (required when not on a terminal)'
            cand --dry-run 'Print the requests it would make; change nothing'
            cand --debug 'Log debug details to stderr (or set RUST_LOG)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'attctl;session;reschedule'= {
            cand --date 'New date (YYYY-MM-DD, today, tomorrow)'
            cand --start 'New start time'
            cand --end 'New end time'
            cand -o 'Output format [default: table on a terminal, json otherwise]'
            cand --output 'Output format [default: table on a terminal, json otherwise]'
            cand --color 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]'
            cand --profile 'Profile of the config file to use'
            cand --backend 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]'
            cand --supabase-url 'Supabase project URL (the key is read from the environment, never from flags)'
            cand --data-file 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]'
            cand --timezone 'IANA timezone of session times [default: the machine''s]'
            cand --reopen 'Reopen a Closed session whose new end is in the future'
            cand --dry-run 'Print the requests it would make; change nothing'
            cand --debug 'Log debug details to stderr (or set RUST_LOG)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'attctl;session;help'= {
            cand create 'Create a session; its automatic close is scheduled at its end'
            cand list 'List sessions, ordered by date then start time'
            cand show 'Show one session'
            cand close 'Close sessions now (a closed session is reported, not an error, unless --strict)'
            cand delete 'Delete sessions and cancel their automatic close'
            cand reschedule 'Move a session to new times and schedule its close again'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'attctl;session;help;create'= {
        }
        &'attctl;session;help;list'= {
        }
        &'attctl;session;help;show'= {
        }
        &'attctl;session;help;close'= {
        }
        &'attctl;session;help;delete'= {
        }
        &'attctl;session;help;reschedule'= {
        }
        &'attctl;session;help;help'= {
        }
        &'attctl;class'= {
            cand -o 'Output format [default: table on a terminal, json otherwise]'
            cand --output 'Output format [default: table on a terminal, json otherwise]'
            cand --color 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]'
            cand --profile 'Profile of the config file to use'
            cand --backend 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]'
            cand --supabase-url 'Supabase project URL (the key is read from the environment, never from flags)'
            cand --data-file 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]'
            cand --timezone 'IANA timezone of session times [default: the machine''s]'
            cand --debug 'Log debug details to stderr (or set RUST_LOG)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'List classes'
            cand create 'Create a class'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'attctl;class;list'= {
            cand -o 'Output format [default: table on a terminal, json otherwise]'
            cand --output 'Output format [default: table on a terminal, json otherwise]'
            cand --color 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]'
            cand --profile 'Profile of the config file to use'
            cand --backend 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]'
            cand --supabase-url 'Supabase project URL (the key is read from the environment, never from flags)'
            cand --data-file 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]'
            cand --timezone 'IANA timezone of session times [default: the machine''s]'
            cand --debug 'Log debug details to stderr (or set RUST_LOG)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'attctl;class;create'= {
            cand --name 'Class name (unique)'
            cand -o 'Output format [default: table on a terminal, json otherwise]'
            cand --output 'Output format [default: table on a terminal, json otherwise]'
            cand --color 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]'
            cand --profile 'Profile of the config file to use'
            cand --backend 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]'
            cand --supabase-url 'Supabase project URL (the key is read from the environment, never from flags)'
            cand --data-file 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]'
            cand --timezone 'IANA timezone of session times [default: the machine''s]'
            cand --debug 'Log debug details to stderr (or set RUST_LOG)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'attctl;class;help'= {
            cand list 'List classes'
            cand create 'Create a class'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'attctl;class;help;list'= {
        }
        &'attctl;class;help;create'= {
        }
        &'attctl;class;help;help'= {
        }
        &'attctl;doctor'= {
            cand -o 'Output format [default: table on a terminal, json otherwise]'
            cand --output 'Output format [default: table on a terminal, json otherwise]'
            cand --color 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]'
            cand --profile 'Profile of the config file to use'
            cand --backend 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]'
            cand --supabase-url 'Supabase project URL (the key is read from the environment, never from flags)'
            cand --data-file 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]'
            cand --timezone 'IANA timezone of session times [default: the machine''s]'
            cand --repair 'Also repair old rows where the fix has one meaning (status case, closes_at)'
            cand --dry-run 'With --repair: list what would be repaired; change nothing'
            cand --debug 'Log debug details to stderr (or set RUST_LOG)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'attctl;config'= {
            cand -o 'Output format [default: table on a terminal, json otherwise]'
            cand --output 'Output format [default: table on a terminal, json otherwise]'
            cand --color 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]'
            cand --profile 'Profile of the config file to use'
            cand --backend 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]'
            cand --supabase-url 'Supabase project URL (the key is read from the environment, never from flags)'
            cand --data-file 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]'
            cand --timezone 'IANA timezone of session times [default: the machine''s]'
            cand --debug 'Log debug details to stderr (or set RUST_LOG)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand show 'Show the resolved settings and where each came from (secrets masked)'
            cand path 'Print the config file''s path'
            cand init 'Write a commented config file (mode 0600)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'attctl;config;show'= {
            cand -o 'Output format [default: table on a terminal, json otherwise]'
            cand --output 'Output format [default: table on a terminal, json otherwise]'
            cand --color 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]'
            cand --profile 'Profile of the config file to use'
            cand --backend 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]'
            cand --supabase-url 'Supabase project URL (the key is read from the environment, never from flags)'
            cand --data-file 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]'
            cand --timezone 'IANA timezone of session times [default: the machine''s]'
            cand --debug 'Log debug details to stderr (or set RUST_LOG)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'attctl;config;path'= {
            cand -o 'Output format [default: table on a terminal, json otherwise]'
            cand --output 'Output format [default: table on a terminal, json otherwise]'
            cand --color 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]'
            cand --profile 'Profile of the config file to use'
            cand --backend 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]'
            cand --supabase-url 'Supabase project URL (the key is read from the environment, never from flags)'
            cand --data-file 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]'
            cand --timezone 'IANA timezone of session times [default: the machine''s]'
            cand --debug 'Log debug details to stderr (or set RUST_LOG)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'attctl;config;init'= {
            cand -o 'Output format [default: table on a terminal, json otherwise]'
            cand --output 'Output format [default: table on a terminal, json otherwise]'
            cand --color 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]'
            cand --profile 'Profile of the config file to use'
            cand --backend 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]'
            cand --supabase-url 'Supabase project URL (the key is read from the environment, never from flags)'
            cand --data-file 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]'
            cand --timezone 'IANA timezone of session times [default: the machine''s]'
            cand --force 'Overwrite an existing file'
            cand --debug 'Log debug details to stderr (or set RUST_LOG)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'attctl;config;help'= {
            cand show 'Show the resolved settings and where each came from (secrets masked)'
            cand path 'Print the config file''s path'
            cand init 'Write a commented config file (mode 0600)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'attctl;config;help;show'= {
        }
        &'attctl;config;help;path'= {
        }
        &'attctl;config;help;init'= {
        }
        &'attctl;config;help;help'= {
        }
        &'attctl;events'= {
            cand -o 'Output format [default: table on a terminal, json otherwise]'
            cand --output 'Output format [default: table on a terminal, json otherwise]'
            cand --color 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]'
            cand --profile 'Profile of the config file to use'
            cand --backend 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]'
            cand --supabase-url 'Supabase project URL (the key is read from the environment, never from flags)'
            cand --data-file 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]'
            cand --timezone 'IANA timezone of session times [default: the machine''s]'
            cand --debug 'Log debug details to stderr (or set RUST_LOG)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'List recorded events, oldest first, with their delivery state'
            cand retry 'Deliver again: one event by id, or every failed one'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'attctl;events;list'= {
            cand --since 'Only events since: a duration back from now (30s, 10m, 1h, 2d), a date (YYYY-MM-DD, today) or an RFC 3339 instant'
            cand --type 'Only this type, e.g. session.closed'
            cand --state 'Only this delivery state'
            cand --limit 'Most events shown'
            cand -o 'Output format [default: table on a terminal, json otherwise]'
            cand --output 'Output format [default: table on a terminal, json otherwise]'
            cand --color 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]'
            cand --profile 'Profile of the config file to use'
            cand --backend 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]'
            cand --supabase-url 'Supabase project URL (the key is read from the environment, never from flags)'
            cand --data-file 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]'
            cand --timezone 'IANA timezone of session times [default: the machine''s]'
            cand --debug 'Log debug details to stderr (or set RUST_LOG)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'attctl;events;retry'= {
            cand -o 'Output format [default: table on a terminal, json otherwise]'
            cand --output 'Output format [default: table on a terminal, json otherwise]'
            cand --color 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]'
            cand --profile 'Profile of the config file to use'
            cand --backend 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]'
            cand --supabase-url 'Supabase project URL (the key is read from the environment, never from flags)'
            cand --data-file 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]'
            cand --timezone 'IANA timezone of session times [default: the machine''s]'
            cand --failed 'Every failed event'
            cand --debug 'Log debug details to stderr (or set RUST_LOG)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'attctl;events;help'= {
            cand list 'List recorded events, oldest first, with their delivery state'
            cand retry 'Deliver again: one event by id, or every failed one'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'attctl;events;help;list'= {
        }
        &'attctl;events;help;retry'= {
        }
        &'attctl;events;help;help'= {
        }
        &'attctl;notify'= {
            cand -o 'Output format [default: table on a terminal, json otherwise]'
            cand --output 'Output format [default: table on a terminal, json otherwise]'
            cand --color 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]'
            cand --profile 'Profile of the config file to use'
            cand --backend 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]'
            cand --supabase-url 'Supabase project URL (the key is read from the environment, never from flags)'
            cand --data-file 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]'
            cand --timezone 'IANA timezone of session times [default: the machine''s]'
            cand --debug 'Log debug details to stderr (or set RUST_LOG)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand test 'Send a sample event and report each receiver''s answer'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'attctl;notify;test'= {
            cand --channel 'Only this channel (default: every configured one)'
            cand -o 'Output format [default: table on a terminal, json otherwise]'
            cand --output 'Output format [default: table on a terminal, json otherwise]'
            cand --color 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]'
            cand --profile 'Profile of the config file to use'
            cand --backend 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]'
            cand --supabase-url 'Supabase project URL (the key is read from the environment, never from flags)'
            cand --data-file 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]'
            cand --timezone 'IANA timezone of session times [default: the machine''s]'
            cand --debug 'Log debug details to stderr (or set RUST_LOG)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'attctl;notify;help'= {
            cand test 'Send a sample event and report each receiver''s answer'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'attctl;notify;help;test'= {
        }
        &'attctl;notify;help;help'= {
        }
        &'attctl;completions'= {
            cand -o 'Output format [default: table on a terminal, json otherwise]'
            cand --output 'Output format [default: table on a terminal, json otherwise]'
            cand --color 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]'
            cand --profile 'Profile of the config file to use'
            cand --backend 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]'
            cand --supabase-url 'Supabase project URL (the key is read from the environment, never from flags)'
            cand --data-file 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]'
            cand --timezone 'IANA timezone of session times [default: the machine''s]'
            cand --debug 'Log debug details to stderr (or set RUST_LOG)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'attctl;help'= {
            cand session 'Create, list, close, reschedule and delete teaching sessions'
            cand class 'List and create classes'
            cand doctor 'Check configuration, connectivity, schema and the worker'
            cand config 'Show, locate or create the config file'
            cand events 'List session events (the outbox of notifications) and retry failed deliveries'
            cand notify 'Send a sample notification to the configured channels'
            cand completions 'Print a shell completion script to stdout'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'attctl;help;session'= {
            cand create 'Create a session; its automatic close is scheduled at its end'
            cand list 'List sessions, ordered by date then start time'
            cand show 'Show one session'
            cand close 'Close sessions now (a closed session is reported, not an error, unless --strict)'
            cand delete 'Delete sessions and cancel their automatic close'
            cand reschedule 'Move a session to new times and schedule its close again'
        }
        &'attctl;help;session;create'= {
        }
        &'attctl;help;session;list'= {
        }
        &'attctl;help;session;show'= {
        }
        &'attctl;help;session;close'= {
        }
        &'attctl;help;session;delete'= {
        }
        &'attctl;help;session;reschedule'= {
        }
        &'attctl;help;class'= {
            cand list 'List classes'
            cand create 'Create a class'
        }
        &'attctl;help;class;list'= {
        }
        &'attctl;help;class;create'= {
        }
        &'attctl;help;doctor'= {
        }
        &'attctl;help;config'= {
            cand show 'Show the resolved settings and where each came from (secrets masked)'
            cand path 'Print the config file''s path'
            cand init 'Write a commented config file (mode 0600)'
        }
        &'attctl;help;config;show'= {
        }
        &'attctl;help;config;path'= {
        }
        &'attctl;help;config;init'= {
        }
        &'attctl;help;events'= {
            cand list 'List recorded events, oldest first, with their delivery state'
            cand retry 'Deliver again: one event by id, or every failed one'
        }
        &'attctl;help;events;list'= {
        }
        &'attctl;help;events;retry'= {
        }
        &'attctl;help;notify'= {
            cand test 'Send a sample event and report each receiver''s answer'
        }
        &'attctl;help;notify;test'= {
        }
        &'attctl;help;completions'= {
        }
        &'attctl;help;help'= {
        }
    ]
    $completions[$command]
}
