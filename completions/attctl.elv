
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
            cand --timezone 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]'
            cand -v 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
            cand --verbose 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
            cand --debug 'Log debug details to stderr (or set RUST_LOG)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand session 'Create, list, close, reschedule and delete teaching sessions'
            cand class 'List, create, rename and delete classes'
            cand status 'Today at a glance: sessions open now, the next closes, overdue ones, the worker'
            cand holiday 'School holidays: no session is generated on them'
            cand school 'The school''s settings kept with its data: its time zone, its default session type'
            cand doctor 'Check configuration, connectivity, schema and the worker'
            cand report 'Closure analytics: who closes sessions, how late, and what is still open'
            cand login 'Sign in as yourself (a staff machine has SUPABASE_URL and the anon key only)'
            cand logout 'Sign out: revoke this machine''s session at Supabase Auth and forget it'
            cand whoami 'Who is signed in here: email, user id, role and classes'
            cand staff 'Staff accounts: who may sign in, as teacher (their classes) or admin (everything)'
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
            cand --timezone 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]'
            cand -v 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
            cand --verbose 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
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
            cand generate 'Create a class''s sessions for a term: weekdays or an RRULE, holidays skipped'
            cand import 'Create sessions from a CSV or iCalendar file (all rows valid, or nothing written)'
            cand export 'Write sessions to stdout as CSV (re-importable) or iCalendar'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'attctl;session;create'= {
            cand --class 'Class: id or name (any case when unique); id:N or name:NAME to be explicit (a class named "42" is name:42). Prompted on a terminal when missing'
            cand --date 'Date: YYYY-MM-DD, today, tomorrow or yesterday'
            cand --start 'Start time: HH:MM, H:MM or HH:MM:SS'
            cand --end 'End time: HH:MM, H:MM or HH:MM:SS, after the start'
            cand --type 'Session type on the original app''s database (its teaching_sessions.session_type) [default: the school''s, see `attctl school set --session-type`]'
            cand -o 'Output format [default: table on a terminal, json otherwise]'
            cand --output 'Output format [default: table on a terminal, json otherwise]'
            cand --color 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]'
            cand --profile 'Profile of the config file to use'
            cand --backend 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]'
            cand --supabase-url 'Supabase project URL (the key is read from the environment, never from flags)'
            cand --data-file 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]'
            cand --timezone 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]'
            cand --allow-overlap 'Let this session overlap other sessions of its class (refused otherwise, exit 4)'
            cand --dry-run 'Print the requests it would make; change nothing'
            cand -v 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
            cand --verbose 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
            cand --debug 'Log debug details to stderr (or set RUST_LOG)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'attctl;session;list'= {
            cand --class 'Only this class: id or name (any case when unique); id:N or name:NAME to be explicit'
            cand --date 'Only this date (YYYY-MM-DD, today, tomorrow, yesterday)'
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
            cand --timezone 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]'
            cand --all 'Every matching session, page by page (ignores --limit)'
            cand -v 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
            cand --verbose 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
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
            cand --timezone 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]'
            cand -v 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
            cand --verbose 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
            cand --debug 'Log debug details to stderr (or set RUST_LOG)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'attctl;session;close'= {
            cand --class 'Only this class (id or exact name)'
            cand --from 'From this date, inclusive'
            cand --to 'Up to this date, inclusive'
            cand -o 'Output format [default: table on a terminal, json otherwise]'
            cand --output 'Output format [default: table on a terminal, json otherwise]'
            cand --color 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]'
            cand --profile 'Profile of the config file to use'
            cand --backend 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]'
            cand --supabase-url 'Supabase project URL (the key is read from the environment, never from flags)'
            cand --data-file 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]'
            cand --timezone 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]'
            cand -y 'With a filter: do not ask for confirmation (required when not on a terminal)'
            cand --yes 'With a filter: do not ask for confirmation (required when not on a terminal)'
            cand --strict 'Fail if a session is already closed'
            cand --dry-run 'Print the requests it would make; change nothing'
            cand -v 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
            cand --verbose 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
            cand --debug 'Log debug details to stderr (or set RUST_LOG)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'attctl;session;delete'= {
            cand --class 'Only this class (id or exact name)'
            cand --from 'From this date, inclusive'
            cand --to 'Up to this date, inclusive'
            cand --status 'With a filter: only Open or Closed sessions'
            cand -o 'Output format [default: table on a terminal, json otherwise]'
            cand --output 'Output format [default: table on a terminal, json otherwise]'
            cand --color 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]'
            cand --profile 'Profile of the config file to use'
            cand --backend 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]'
            cand --supabase-url 'Supabase project URL (the key is read from the environment, never from flags)'
            cand --data-file 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]'
            cand --timezone 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]'
            cand -y 'Do not ask for confirmation (required when not on a terminal)'
            cand --yes 'Do not ask for confirmation (required when not on a terminal)'
            cand --dry-run 'Print the requests it would make; change nothing'
            cand -v 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
            cand --verbose 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
            cand --debug 'Log debug details to stderr (or set RUST_LOG)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'attctl;session;reschedule'= {
            cand --date 'New date (YYYY-MM-DD, today, tomorrow, yesterday)'
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
            cand --timezone 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]'
            cand --reopen 'Reopen a Closed session whose new end is in the future'
            cand --dry-run 'Print the requests it would make; change nothing'
            cand -v 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
            cand --verbose 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
            cand --debug 'Log debug details to stderr (or set RUST_LOG)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'attctl;session;generate'= {
            cand --class 'Class id or exact name'
            cand --days 'Weekdays it meets: mon,tue,wed,thu,fri,sat,sun'
            cand --every 'Every N weeks, counted from the week of --from'
            cand --rrule 'An RFC 5545 rule instead of --days/--every, e.g. ''FREQ=WEEKLY;BYDAY=MO,WE;INTERVAL=2'''
            cand --from 'First date (YYYY-MM-DD, today, tomorrow)'
            cand --to 'Last date, inclusive'
            cand --until 'Last date, inclusive'
            cand --start 'Start time of every session (wall clock in --timezone)'
            cand --end 'End time of every session'
            cand --type 'Session type on the original app''s database (its teaching_sessions.session_type) [default: the school''s, see `attctl school set --session-type`]'
            cand -o 'Output format [default: table on a terminal, json otherwise]'
            cand --output 'Output format [default: table on a terminal, json otherwise]'
            cand --color 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]'
            cand --profile 'Profile of the config file to use'
            cand --backend 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]'
            cand --supabase-url 'Supabase project URL (the key is read from the environment, never from flags)'
            cand --data-file 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]'
            cand --timezone 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]'
            cand --include-past 'Also create occurrences that have already ended'
            cand --dry-run 'Show the plan; change nothing'
            cand -v 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
            cand --verbose 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
            cand --debug 'Log debug details to stderr (or set RUST_LOG)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'attctl;session;import'= {
            cand --format 'File format [default: from the extension]'
            cand --class 'Class of every session (id or exact name), instead of the file''s'
            cand --delimiter 'CSV delimiter [default: ; when the header has ; and no comma, else ,]'
            cand --type 'Session type on the original app''s database (its teaching_sessions.session_type) [default: the school''s, see `attctl school set --session-type`]'
            cand -o 'Output format [default: table on a terminal, json otherwise]'
            cand --output 'Output format [default: table on a terminal, json otherwise]'
            cand --color 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]'
            cand --profile 'Profile of the config file to use'
            cand --backend 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]'
            cand --supabase-url 'Supabase project URL (the key is read from the environment, never from flags)'
            cand --data-file 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]'
            cand --timezone 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]'
            cand --dry-run 'Validate and show the plan; change nothing'
            cand --skip-holidays 'Skip Open sessions on a holiday, reason `holiday` (the default; Closed history rows are always imported)'
            cand --no-skip-holidays 'Import every row, holidays or not'
            cand -v 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
            cand --verbose 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
            cand --debug 'Log debug details to stderr (or set RUST_LOG)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'attctl;session;export'= {
            cand --format 'csv (every session field plus class_name) or ics (iCalendar)'
            cand --class 'Only this class (id or exact name)'
            cand --date 'Only this date (YYYY-MM-DD, today, tomorrow)'
            cand --from 'From this date, inclusive'
            cand --to 'Up to this date, inclusive'
            cand --status 'Only Open or Closed sessions'
            cand -o 'Output format [default: table on a terminal, json otherwise]'
            cand --output 'Output format [default: table on a terminal, json otherwise]'
            cand --color 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]'
            cand --profile 'Profile of the config file to use'
            cand --backend 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]'
            cand --supabase-url 'Supabase project URL (the key is read from the environment, never from flags)'
            cand --data-file 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]'
            cand --timezone 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]'
            cand --all 'Every session (needed when no filter is given)'
            cand -v 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
            cand --verbose 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
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
            cand generate 'Create a class''s sessions for a term: weekdays or an RRULE, holidays skipped'
            cand import 'Create sessions from a CSV or iCalendar file (all rows valid, or nothing written)'
            cand export 'Write sessions to stdout as CSV (re-importable) or iCalendar'
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
        &'attctl;session;help;generate'= {
        }
        &'attctl;session;help;import'= {
        }
        &'attctl;session;help;export'= {
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
            cand --timezone 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]'
            cand -v 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
            cand --verbose 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
            cand --debug 'Log debug details to stderr (or set RUST_LOG)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'List classes'
            cand create 'Create a class'
            cand update 'Change a class''s settings: its email recipients'
            cand rename 'Rename a class (its sessions keep it)'
            cand delete 'Delete a class; refused while it has sessions, unless --cascade --yes'
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
            cand --timezone 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]'
            cand -v 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
            cand --verbose 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
            cand --debug 'Log debug details to stderr (or set RUST_LOG)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'attctl;class;create'= {
            cand --name 'Class name (unique), as a flag'
            cand --notify-email 'Email the class''s session events (closed, closing soon) to these addresses too, besides ATTCTL_MAIL_TO: comma-separated'
            cand -o 'Output format [default: table on a terminal, json otherwise]'
            cand --output 'Output format [default: table on a terminal, json otherwise]'
            cand --color 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]'
            cand --profile 'Profile of the config file to use'
            cand --backend 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]'
            cand --supabase-url 'Supabase project URL (the key is read from the environment, never from flags)'
            cand --data-file 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]'
            cand --timezone 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]'
            cand -v 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
            cand --verbose 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
            cand --debug 'Log debug details to stderr (or set RUST_LOG)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'attctl;class;update'= {
            cand --notify-email 'Replace the class''s email recipients with these addresses (comma-separated)'
            cand -o 'Output format [default: table on a terminal, json otherwise]'
            cand --output 'Output format [default: table on a terminal, json otherwise]'
            cand --color 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]'
            cand --profile 'Profile of the config file to use'
            cand --backend 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]'
            cand --supabase-url 'Supabase project URL (the key is read from the environment, never from flags)'
            cand --data-file 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]'
            cand --timezone 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]'
            cand --clear-notify-email 'Remove every email recipient of the class (ATTCTL_MAIL_TO still gets its mail)'
            cand -v 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
            cand --verbose 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
            cand --debug 'Log debug details to stderr (or set RUST_LOG)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'attctl;class;rename'= {
            cand --name 'The new name (unique)'
            cand -o 'Output format [default: table on a terminal, json otherwise]'
            cand --output 'Output format [default: table on a terminal, json otherwise]'
            cand --color 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]'
            cand --profile 'Profile of the config file to use'
            cand --backend 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]'
            cand --supabase-url 'Supabase project URL (the key is read from the environment, never from flags)'
            cand --data-file 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]'
            cand --timezone 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]'
            cand -v 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
            cand --verbose 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
            cand --debug 'Log debug details to stderr (or set RUST_LOG)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'attctl;class;delete'= {
            cand -o 'Output format [default: table on a terminal, json otherwise]'
            cand --output 'Output format [default: table on a terminal, json otherwise]'
            cand --color 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]'
            cand --profile 'Profile of the config file to use'
            cand --backend 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]'
            cand --supabase-url 'Supabase project URL (the key is read from the environment, never from flags)'
            cand --data-file 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]'
            cand --timezone 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]'
            cand --cascade 'Also delete the class''s sessions, cancelling their automatic closes'
            cand -y 'Confirm --cascade (it cannot be undone)'
            cand --yes 'Confirm --cascade (it cannot be undone)'
            cand -v 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
            cand --verbose 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
            cand --debug 'Log debug details to stderr (or set RUST_LOG)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'attctl;class;help'= {
            cand list 'List classes'
            cand create 'Create a class'
            cand update 'Change a class''s settings: its email recipients'
            cand rename 'Rename a class (its sessions keep it)'
            cand delete 'Delete a class; refused while it has sessions, unless --cascade --yes'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'attctl;class;help;list'= {
        }
        &'attctl;class;help;create'= {
        }
        &'attctl;class;help;update'= {
        }
        &'attctl;class;help;rename'= {
        }
        &'attctl;class;help;delete'= {
        }
        &'attctl;class;help;help'= {
        }
        &'attctl;status'= {
            cand -o 'Output format [default: table on a terminal, json otherwise]'
            cand --output 'Output format [default: table on a terminal, json otherwise]'
            cand --color 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]'
            cand --profile 'Profile of the config file to use'
            cand --backend 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]'
            cand --supabase-url 'Supabase project URL (the key is read from the environment, never from flags)'
            cand --data-file 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]'
            cand --timezone 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]'
            cand -v 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
            cand --verbose 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
            cand --debug 'Log debug details to stderr (or set RUST_LOG)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'attctl;holiday'= {
            cand -o 'Output format [default: table on a terminal, json otherwise]'
            cand --output 'Output format [default: table on a terminal, json otherwise]'
            cand --color 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]'
            cand --profile 'Profile of the config file to use'
            cand --backend 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]'
            cand --supabase-url 'Supabase project URL (the key is read from the environment, never from flags)'
            cand --data-file 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]'
            cand --timezone 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]'
            cand -v 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
            cand --verbose 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
            cand --debug 'Log debug details to stderr (or set RUST_LOG)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand add 'Add a holiday (one day, or --from to --to inclusive). Open sessions already planned on it are named on stderr; --delete-sessions deletes them (their closes cancelled)'
            cand list 'List holidays'
            cand delete 'Delete a holiday'
            cand import 'Add the all-day events of an iCalendar file as holidays'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'attctl;holiday;add'= {
            cand --from 'First day (YYYY-MM-DD)'
            cand --date 'First day (YYYY-MM-DD)'
            cand --to 'Last day, inclusive [default: --from]'
            cand --name 'Name, e.g. "Half term"'
            cand -o 'Output format [default: table on a terminal, json otherwise]'
            cand --output 'Output format [default: table on a terminal, json otherwise]'
            cand --color 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]'
            cand --profile 'Profile of the config file to use'
            cand --backend 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]'
            cand --supabase-url 'Supabase project URL (the key is read from the environment, never from flags)'
            cand --data-file 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]'
            cand --timezone 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]'
            cand --delete-sessions 'Also delete the Open sessions planned on the holiday, cancelling their closes'
            cand -y 'With --delete-sessions: do not ask (required when not on a terminal)'
            cand --yes 'With --delete-sessions: do not ask (required when not on a terminal)'
            cand -v 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
            cand --verbose 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
            cand --debug 'Log debug details to stderr (or set RUST_LOG)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'attctl;holiday;list'= {
            cand --from 'Holidays ending on or after this date'
            cand --to 'Holidays starting on or before this date'
            cand -o 'Output format [default: table on a terminal, json otherwise]'
            cand --output 'Output format [default: table on a terminal, json otherwise]'
            cand --color 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]'
            cand --profile 'Profile of the config file to use'
            cand --backend 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]'
            cand --supabase-url 'Supabase project URL (the key is read from the environment, never from flags)'
            cand --data-file 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]'
            cand --timezone 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]'
            cand -v 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
            cand --verbose 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
            cand --debug 'Log debug details to stderr (or set RUST_LOG)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'attctl;holiday;delete'= {
            cand -o 'Output format [default: table on a terminal, json otherwise]'
            cand --output 'Output format [default: table on a terminal, json otherwise]'
            cand --color 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]'
            cand --profile 'Profile of the config file to use'
            cand --backend 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]'
            cand --supabase-url 'Supabase project URL (the key is read from the environment, never from flags)'
            cand --data-file 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]'
            cand --timezone 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]'
            cand -v 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
            cand --verbose 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
            cand --debug 'Log debug details to stderr (or set RUST_LOG)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'attctl;holiday;import'= {
            cand -o 'Output format [default: table on a terminal, json otherwise]'
            cand --output 'Output format [default: table on a terminal, json otherwise]'
            cand --color 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]'
            cand --profile 'Profile of the config file to use'
            cand --backend 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]'
            cand --supabase-url 'Supabase project URL (the key is read from the environment, never from flags)'
            cand --data-file 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]'
            cand --timezone 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]'
            cand --dry-run 'Show what would be added; change nothing'
            cand -v 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
            cand --verbose 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
            cand --debug 'Log debug details to stderr (or set RUST_LOG)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'attctl;holiday;help'= {
            cand add 'Add a holiday (one day, or --from to --to inclusive). Open sessions already planned on it are named on stderr; --delete-sessions deletes them (their closes cancelled)'
            cand list 'List holidays'
            cand delete 'Delete a holiday'
            cand import 'Add the all-day events of an iCalendar file as holidays'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'attctl;holiday;help;add'= {
        }
        &'attctl;holiday;help;list'= {
        }
        &'attctl;holiday;help;delete'= {
        }
        &'attctl;holiday;help;import'= {
        }
        &'attctl;holiday;help;help'= {
        }
        &'attctl;school'= {
            cand -o 'Output format [default: table on a terminal, json otherwise]'
            cand --output 'Output format [default: table on a terminal, json otherwise]'
            cand --color 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]'
            cand --profile 'Profile of the config file to use'
            cand --backend 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]'
            cand --supabase-url 'Supabase project URL (the key is read from the environment, never from flags)'
            cand --data-file 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]'
            cand --timezone 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]'
            cand -v 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
            cand --verbose 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
            cand --debug 'Log debug details to stderr (or set RUST_LOG)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand show 'Show the school''s settings'
            cand set 'Change the school''s settings: `--timezone ZONE` (the zone of every new session that names none, whoever creates it) and `--session-type TYPE`'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'attctl;school;show'= {
            cand -o 'Output format [default: table on a terminal, json otherwise]'
            cand --output 'Output format [default: table on a terminal, json otherwise]'
            cand --color 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]'
            cand --profile 'Profile of the config file to use'
            cand --backend 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]'
            cand --supabase-url 'Supabase project URL (the key is read from the environment, never from flags)'
            cand --data-file 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]'
            cand --timezone 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]'
            cand -v 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
            cand --verbose 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
            cand --debug 'Log debug details to stderr (or set RUST_LOG)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'attctl;school;set'= {
            cand --session-type 'Session type of new sessions on the original app''s database'
            cand -o 'Output format [default: table on a terminal, json otherwise]'
            cand --output 'Output format [default: table on a terminal, json otherwise]'
            cand --color 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]'
            cand --profile 'Profile of the config file to use'
            cand --backend 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]'
            cand --supabase-url 'Supabase project URL (the key is read from the environment, never from flags)'
            cand --data-file 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]'
            cand --timezone 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]'
            cand -v 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
            cand --verbose 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
            cand --debug 'Log debug details to stderr (or set RUST_LOG)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'attctl;school;help'= {
            cand show 'Show the school''s settings'
            cand set 'Change the school''s settings: `--timezone ZONE` (the zone of every new session that names none, whoever creates it) and `--session-type TYPE`'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'attctl;school;help;show'= {
        }
        &'attctl;school;help;set'= {
        }
        &'attctl;school;help;help'= {
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
            cand --timezone 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]'
            cand --repair 'Also repair old rows where the fix has one meaning (status case, closes_at)'
            cand --dry-run 'With --repair: list what would be repaired; change nothing'
            cand -v 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
            cand --verbose 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
            cand --debug 'Log debug details to stderr (or set RUST_LOG)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'attctl;report'= {
            cand -o 'Output format [default: table on a terminal, json otherwise]'
            cand --output 'Output format [default: table on a terminal, json otherwise]'
            cand --color 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]'
            cand --profile 'Profile of the config file to use'
            cand --backend 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]'
            cand --supabase-url 'Supabase project URL (the key is read from the environment, never from flags)'
            cand --data-file 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]'
            cand --timezone 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]'
            cand -v 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
            cand --verbose 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
            cand --debug 'Log debug details to stderr (or set RUST_LOG)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand closures 'Closures per group: manual, automatic and sweep closes, automatic-close lag, early manual closes, sessions still open (computed in the database)'
            cand open-past-end 'Sessions still Open past their end plus a grace; exits 1 when there are any (for cron and monitoring)'
            cand registers 'The register of each closed session on the original app''s database: enrolled, marked (present, late, absent), marked absent at close, and whether it was taken (computed in the database); registers not taken first'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'attctl;report;closures'= {
            cand --from 'From this session date, inclusive (YYYY-MM-DD, today, tomorrow)'
            cand --to 'Up to this session date, inclusive'
            cand --class 'Only this class (id or exact name)'
            cand --by 'Group by class, by the weekday, ISO week or month of the session''s own date, or by who closed it'
            cand --svg 'Also write an SVG chart to FILE: a stacked bar per group and the automatic-close lag. An existing FILE is replaced only with --force, and only if it is an SVG'
            cand -o 'Output format [default: table on a terminal, json otherwise]'
            cand --output 'Output format [default: table on a terminal, json otherwise]'
            cand --color 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]'
            cand --profile 'Profile of the config file to use'
            cand --backend 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]'
            cand --supabase-url 'Supabase project URL (the key is read from the environment, never from flags)'
            cand --data-file 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]'
            cand --timezone 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]'
            cand --chart 'Also draw a bar chart of who closed the sessions of each group (table output)'
            cand --force 'Replace the file of --svg if it exists (a file that is not an SVG is never replaced)'
            cand -v 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
            cand --verbose 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
            cand --debug 'Log debug details to stderr (or set RUST_LOG)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'attctl;report;open-past-end'= {
            cand --class 'Only this class (id or exact name)'
            cand --grace 'How long past its end a session may stay Open before it counts: 90s, 5m, 2h, 1d (a bare number is seconds)'
            cand -o 'Output format [default: table on a terminal, json otherwise]'
            cand --output 'Output format [default: table on a terminal, json otherwise]'
            cand --color 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]'
            cand --profile 'Profile of the config file to use'
            cand --backend 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]'
            cand --supabase-url 'Supabase project URL (the key is read from the environment, never from flags)'
            cand --data-file 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]'
            cand --timezone 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]'
            cand -v 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
            cand --verbose 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
            cand --debug 'Log debug details to stderr (or set RUST_LOG)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'attctl;report;registers'= {
            cand --from 'From this session date, inclusive (YYYY-MM-DD, today, tomorrow)'
            cand --to 'Up to this session date, inclusive'
            cand --class 'Only this class (id or exact name)'
            cand --by 'One row per session, or one per teacher of the classes (where the database says who teaches a class)'
            cand -o 'Output format [default: table on a terminal, json otherwise]'
            cand --output 'Output format [default: table on a terminal, json otherwise]'
            cand --color 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]'
            cand --profile 'Profile of the config file to use'
            cand --backend 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]'
            cand --supabase-url 'Supabase project URL (the key is read from the environment, never from flags)'
            cand --data-file 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]'
            cand --timezone 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]'
            cand --missing 'Exit 1 when any register was not taken (for cron), after printing the report'
            cand -v 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
            cand --verbose 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
            cand --debug 'Log debug details to stderr (or set RUST_LOG)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'attctl;report;help'= {
            cand closures 'Closures per group: manual, automatic and sweep closes, automatic-close lag, early manual closes, sessions still open (computed in the database)'
            cand open-past-end 'Sessions still Open past their end plus a grace; exits 1 when there are any (for cron and monitoring)'
            cand registers 'The register of each closed session on the original app''s database: enrolled, marked (present, late, absent), marked absent at close, and whether it was taken (computed in the database); registers not taken first'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'attctl;report;help;closures'= {
        }
        &'attctl;report;help;open-past-end'= {
        }
        &'attctl;report;help;registers'= {
        }
        &'attctl;report;help;help'= {
        }
        &'attctl;login'= {
            cand --email 'The email of your Supabase Auth account (asked for at a terminal when left out)'
            cand -o 'Output format [default: table on a terminal, json otherwise]'
            cand --output 'Output format [default: table on a terminal, json otherwise]'
            cand --color 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]'
            cand --profile 'Profile of the config file to use'
            cand --backend 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]'
            cand --supabase-url 'Supabase project URL (the key is read from the environment, never from flags)'
            cand --data-file 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]'
            cand --timezone 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]'
            cand --password-stdin 'Read the password from standard input (one line), as `docker login` does'
            cand --otp 'Sign in with a one-time code mailed to you instead of a password: sends the code, then asks for it (off a terminal, finish with --otp-code-stdin)'
            cand --otp-code-stdin 'Read the mailed one-time code from standard input and sign in with it'
            cand -v 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
            cand --verbose 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
            cand --debug 'Log debug details to stderr (or set RUST_LOG)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'attctl;logout'= {
            cand -o 'Output format [default: table on a terminal, json otherwise]'
            cand --output 'Output format [default: table on a terminal, json otherwise]'
            cand --color 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]'
            cand --profile 'Profile of the config file to use'
            cand --backend 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]'
            cand --supabase-url 'Supabase project URL (the key is read from the environment, never from flags)'
            cand --data-file 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]'
            cand --timezone 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]'
            cand --everywhere 'Revoke every session of your account (other machines too), not only this one'
            cand -v 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
            cand --verbose 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
            cand --debug 'Log debug details to stderr (or set RUST_LOG)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'attctl;whoami'= {
            cand -o 'Output format [default: table on a terminal, json otherwise]'
            cand --output 'Output format [default: table on a terminal, json otherwise]'
            cand --color 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]'
            cand --profile 'Profile of the config file to use'
            cand --backend 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]'
            cand --supabase-url 'Supabase project URL (the key is read from the environment, never from flags)'
            cand --data-file 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]'
            cand --timezone 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]'
            cand -v 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
            cand --verbose 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
            cand --debug 'Log debug details to stderr (or set RUST_LOG)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'attctl;staff'= {
            cand -o 'Output format [default: table on a terminal, json otherwise]'
            cand --output 'Output format [default: table on a terminal, json otherwise]'
            cand --color 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]'
            cand --profile 'Profile of the config file to use'
            cand --backend 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]'
            cand --supabase-url 'Supabase project URL (the key is read from the environment, never from flags)'
            cand --data-file 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]'
            cand --timezone 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]'
            cand -v 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
            cand --verbose 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
            cand --debug 'Log debug details to stderr (or set RUST_LOG)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand add 'Add a staff member by the email of their Supabase Auth account (invite them first), or change their role; --class adds classes they teach'
            cand list 'List staff members, their roles and classes'
            cand remove 'Remove a staff member: they keep their account but may no longer touch anything'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'attctl;staff;add'= {
            cand --role 'teacher: the sessions of their classes; admin: everything, classes, holidays, staff'
            cand --class 'A class they teach (exact name or id:N); repeat for several'
            cand -o 'Output format [default: table on a terminal, json otherwise]'
            cand --output 'Output format [default: table on a terminal, json otherwise]'
            cand --color 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]'
            cand --profile 'Profile of the config file to use'
            cand --backend 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]'
            cand --supabase-url 'Supabase project URL (the key is read from the environment, never from flags)'
            cand --data-file 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]'
            cand --timezone 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]'
            cand -v 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
            cand --verbose 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
            cand --debug 'Log debug details to stderr (or set RUST_LOG)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'attctl;staff;list'= {
            cand -o 'Output format [default: table on a terminal, json otherwise]'
            cand --output 'Output format [default: table on a terminal, json otherwise]'
            cand --color 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]'
            cand --profile 'Profile of the config file to use'
            cand --backend 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]'
            cand --supabase-url 'Supabase project URL (the key is read from the environment, never from flags)'
            cand --data-file 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]'
            cand --timezone 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]'
            cand -v 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
            cand --verbose 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
            cand --debug 'Log debug details to stderr (or set RUST_LOG)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'attctl;staff;remove'= {
            cand -o 'Output format [default: table on a terminal, json otherwise]'
            cand --output 'Output format [default: table on a terminal, json otherwise]'
            cand --color 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]'
            cand --profile 'Profile of the config file to use'
            cand --backend 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]'
            cand --supabase-url 'Supabase project URL (the key is read from the environment, never from flags)'
            cand --data-file 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]'
            cand --timezone 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]'
            cand --yes 'Do not ask for confirmation (needed when not at a terminal)'
            cand -v 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
            cand --verbose 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
            cand --debug 'Log debug details to stderr (or set RUST_LOG)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'attctl;staff;help'= {
            cand add 'Add a staff member by the email of their Supabase Auth account (invite them first), or change their role; --class adds classes they teach'
            cand list 'List staff members, their roles and classes'
            cand remove 'Remove a staff member: they keep their account but may no longer touch anything'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'attctl;staff;help;add'= {
        }
        &'attctl;staff;help;list'= {
        }
        &'attctl;staff;help;remove'= {
        }
        &'attctl;staff;help;help'= {
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
            cand --timezone 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]'
            cand -v 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
            cand --verbose 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
            cand --debug 'Log debug details to stderr (or set RUST_LOG)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand show 'Show the resolved settings and where each came from (secrets masked)'
            cand path 'Print the config file''s path (plainly; -o json for {"path", "exists"})'
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
            cand --timezone 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]'
            cand -v 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
            cand --verbose 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
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
            cand --timezone 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]'
            cand -v 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
            cand --verbose 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
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
            cand --timezone 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]'
            cand --force 'Overwrite an existing file'
            cand -v 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
            cand --verbose 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
            cand --debug 'Log debug details to stderr (or set RUST_LOG)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'attctl;config;help'= {
            cand show 'Show the resolved settings and where each came from (secrets masked)'
            cand path 'Print the config file''s path (plainly; -o json for {"path", "exists"})'
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
            cand --timezone 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]'
            cand -v 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
            cand --verbose 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
            cand --debug 'Log debug details to stderr (or set RUST_LOG)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'List recorded events with their delivery state: newest first in a table, oldest first in JSON, NDJSON and CSV'
            cand retry 'Deliver again: one event by id, or every failed one'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'attctl;events;list'= {
            cand --since 'Only events since: a duration back from now (30s, 10m, 1h, 2d), a date (YYYY-MM-DD, today) or an RFC 3339 instant'
            cand --type 'Only this type, e.g. session.closed'
            cand --state 'Only this delivery state (skipped: no channel takes the type; expired: a warning its session''s end made useless)'
            cand --limit 'Most events shown, 1 to 1000 (narrow with --since, --type and --state to see others)'
            cand -o 'Output format [default: table on a terminal, json otherwise]'
            cand --output 'Output format [default: table on a terminal, json otherwise]'
            cand --color 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]'
            cand --profile 'Profile of the config file to use'
            cand --backend 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]'
            cand --supabase-url 'Supabase project URL (the key is read from the environment, never from flags)'
            cand --data-file 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]'
            cand --timezone 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]'
            cand -v 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
            cand --verbose 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
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
            cand --timezone 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]'
            cand --failed 'Every failed event'
            cand -v 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
            cand --verbose 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
            cand --debug 'Log debug details to stderr (or set RUST_LOG)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'attctl;events;help'= {
            cand list 'List recorded events with their delivery state: newest first in a table, oldest first in JSON, NDJSON and CSV'
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
            cand --timezone 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]'
            cand -v 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
            cand --verbose 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
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
            cand --timezone 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]'
            cand -v 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
            cand --verbose 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
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
            cand --timezone 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]'
            cand -v 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
            cand --verbose 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
            cand --debug 'Log debug details to stderr (or set RUST_LOG)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'attctl;help'= {
            cand session 'Create, list, close, reschedule and delete teaching sessions'
            cand class 'List, create, rename and delete classes'
            cand status 'Today at a glance: sessions open now, the next closes, overdue ones, the worker'
            cand holiday 'School holidays: no session is generated on them'
            cand school 'The school''s settings kept with its data: its time zone, its default session type'
            cand doctor 'Check configuration, connectivity, schema and the worker'
            cand report 'Closure analytics: who closes sessions, how late, and what is still open'
            cand login 'Sign in as yourself (a staff machine has SUPABASE_URL and the anon key only)'
            cand logout 'Sign out: revoke this machine''s session at Supabase Auth and forget it'
            cand whoami 'Who is signed in here: email, user id, role and classes'
            cand staff 'Staff accounts: who may sign in, as teacher (their classes) or admin (everything)'
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
            cand generate 'Create a class''s sessions for a term: weekdays or an RRULE, holidays skipped'
            cand import 'Create sessions from a CSV or iCalendar file (all rows valid, or nothing written)'
            cand export 'Write sessions to stdout as CSV (re-importable) or iCalendar'
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
        &'attctl;help;session;generate'= {
        }
        &'attctl;help;session;import'= {
        }
        &'attctl;help;session;export'= {
        }
        &'attctl;help;class'= {
            cand list 'List classes'
            cand create 'Create a class'
            cand update 'Change a class''s settings: its email recipients'
            cand rename 'Rename a class (its sessions keep it)'
            cand delete 'Delete a class; refused while it has sessions, unless --cascade --yes'
        }
        &'attctl;help;class;list'= {
        }
        &'attctl;help;class;create'= {
        }
        &'attctl;help;class;update'= {
        }
        &'attctl;help;class;rename'= {
        }
        &'attctl;help;class;delete'= {
        }
        &'attctl;help;status'= {
        }
        &'attctl;help;holiday'= {
            cand add 'Add a holiday (one day, or --from to --to inclusive). Open sessions already planned on it are named on stderr; --delete-sessions deletes them (their closes cancelled)'
            cand list 'List holidays'
            cand delete 'Delete a holiday'
            cand import 'Add the all-day events of an iCalendar file as holidays'
        }
        &'attctl;help;holiday;add'= {
        }
        &'attctl;help;holiday;list'= {
        }
        &'attctl;help;holiday;delete'= {
        }
        &'attctl;help;holiday;import'= {
        }
        &'attctl;help;school'= {
            cand show 'Show the school''s settings'
            cand set 'Change the school''s settings: `--timezone ZONE` (the zone of every new session that names none, whoever creates it) and `--session-type TYPE`'
        }
        &'attctl;help;school;show'= {
        }
        &'attctl;help;school;set'= {
        }
        &'attctl;help;doctor'= {
        }
        &'attctl;help;report'= {
            cand closures 'Closures per group: manual, automatic and sweep closes, automatic-close lag, early manual closes, sessions still open (computed in the database)'
            cand open-past-end 'Sessions still Open past their end plus a grace; exits 1 when there are any (for cron and monitoring)'
            cand registers 'The register of each closed session on the original app''s database: enrolled, marked (present, late, absent), marked absent at close, and whether it was taken (computed in the database); registers not taken first'
        }
        &'attctl;help;report;closures'= {
        }
        &'attctl;help;report;open-past-end'= {
        }
        &'attctl;help;report;registers'= {
        }
        &'attctl;help;login'= {
        }
        &'attctl;help;logout'= {
        }
        &'attctl;help;whoami'= {
        }
        &'attctl;help;staff'= {
            cand add 'Add a staff member by the email of their Supabase Auth account (invite them first), or change their role; --class adds classes they teach'
            cand list 'List staff members, their roles and classes'
            cand remove 'Remove a staff member: they keep their account but may no longer touch anything'
        }
        &'attctl;help;staff;add'= {
        }
        &'attctl;help;staff;list'= {
        }
        &'attctl;help;staff;remove'= {
        }
        &'attctl;help;config'= {
            cand show 'Show the resolved settings and where each came from (secrets masked)'
            cand path 'Print the config file''s path (plainly; -o json for {"path", "exists"})'
            cand init 'Write a commented config file (mode 0600)'
        }
        &'attctl;help;config;show'= {
        }
        &'attctl;help;config;path'= {
        }
        &'attctl;help;config;init'= {
        }
        &'attctl;help;events'= {
            cand list 'List recorded events with their delivery state: newest first in a table, oldest first in JSON, NDJSON and CSV'
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
