
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'attctl' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'attctl'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'attctl' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use')
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]')
            [CompletionResult]::new('--supabase-url', '--supabase-url', [CompletionResultType]::ParameterName, 'Supabase project URL (the key is read from the environment, never from flags)')
            [CompletionResult]::new('--data-file', '--data-file', [CompletionResultType]::ParameterName, 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]')
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Log debug details to stderr (or set RUST_LOG)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('session', 'session', [CompletionResultType]::ParameterValue, 'Create, list, close, reschedule and delete teaching sessions')
            [CompletionResult]::new('class', 'class', [CompletionResultType]::ParameterValue, 'List, create, rename and delete classes')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Today at a glance: sessions open now, the next closes, overdue ones, the worker')
            [CompletionResult]::new('holiday', 'holiday', [CompletionResultType]::ParameterValue, 'School holidays: no session is generated on them')
            [CompletionResult]::new('school', 'school', [CompletionResultType]::ParameterValue, 'The school''s settings kept with its data: its time zone, its default session type')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check configuration, connectivity, schema and the worker')
            [CompletionResult]::new('report', 'report', [CompletionResultType]::ParameterValue, 'Closure analytics: who closes sessions, how late, and what is still open')
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Sign in as yourself (a staff machine has SUPABASE_URL and the anon key only)')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'Sign out: revoke this machine''s session at Supabase Auth and forget it')
            [CompletionResult]::new('whoami', 'whoami', [CompletionResultType]::ParameterValue, 'Who is signed in here: email, user id, role and classes')
            [CompletionResult]::new('staff', 'staff', [CompletionResultType]::ParameterValue, 'Staff accounts: who may sign in, as teacher (their classes) or admin (everything)')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Show, locate or create the config file')
            [CompletionResult]::new('events', 'events', [CompletionResultType]::ParameterValue, 'List session events (the outbox of notifications) and retry failed deliveries')
            [CompletionResult]::new('notify', 'notify', [CompletionResultType]::ParameterValue, 'Send a sample notification to the configured channels')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script to stdout')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'attctl;session' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use')
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]')
            [CompletionResult]::new('--supabase-url', '--supabase-url', [CompletionResultType]::ParameterName, 'Supabase project URL (the key is read from the environment, never from flags)')
            [CompletionResult]::new('--data-file', '--data-file', [CompletionResultType]::ParameterName, 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]')
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Log debug details to stderr (or set RUST_LOG)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a session; its automatic close is scheduled at its end')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List sessions, ordered by date then start time')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one session')
            [CompletionResult]::new('close', 'close', [CompletionResultType]::ParameterValue, 'Close sessions now (a closed session is reported, not an error, unless --strict)')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete sessions and cancel their automatic close')
            [CompletionResult]::new('reschedule', 'reschedule', [CompletionResultType]::ParameterValue, 'Move a session to new times and schedule its close again')
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Create a class''s sessions for a term: weekdays or an RRULE, holidays skipped')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Create sessions from a CSV or iCalendar file (all rows valid, or nothing written)')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Write sessions to stdout as CSV (re-importable) or iCalendar')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'attctl;session;create' {
            [CompletionResult]::new('--class', '--class', [CompletionResultType]::ParameterName, 'Class: id or name (any case when unique); id:N or name:NAME to be explicit (a class named "42" is name:42). Prompted on a terminal when missing')
            [CompletionResult]::new('--date', '--date', [CompletionResultType]::ParameterName, 'Date: YYYY-MM-DD, today, tomorrow or yesterday')
            [CompletionResult]::new('--start', '--start', [CompletionResultType]::ParameterName, 'Start time: HH:MM, H:MM or HH:MM:SS')
            [CompletionResult]::new('--end', '--end', [CompletionResultType]::ParameterName, 'End time: HH:MM, H:MM or HH:MM:SS, after the start')
            [CompletionResult]::new('--type', '--type', [CompletionResultType]::ParameterName, 'Session type on the original app''s database (its teaching_sessions.session_type) [default: the school''s, see `attctl school set --session-type`]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use')
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]')
            [CompletionResult]::new('--supabase-url', '--supabase-url', [CompletionResultType]::ParameterName, 'Supabase project URL (the key is read from the environment, never from flags)')
            [CompletionResult]::new('--data-file', '--data-file', [CompletionResultType]::ParameterName, 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]')
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]')
            [CompletionResult]::new('--allow-overlap', '--allow-overlap', [CompletionResultType]::ParameterName, 'Let this session overlap other sessions of its class (refused otherwise, exit 4)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the requests it would make; change nothing')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Log debug details to stderr (or set RUST_LOG)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'attctl;session;list' {
            [CompletionResult]::new('--class', '--class', [CompletionResultType]::ParameterName, 'Only this class: id or name (any case when unique); id:N or name:NAME to be explicit')
            [CompletionResult]::new('--date', '--date', [CompletionResultType]::ParameterName, 'Only this date (YYYY-MM-DD, today, tomorrow, yesterday)')
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'From this date, inclusive')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Up to this date, inclusive')
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'Only Open or Closed sessions')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'At most this many sessions')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use')
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]')
            [CompletionResult]::new('--supabase-url', '--supabase-url', [CompletionResultType]::ParameterName, 'Supabase project URL (the key is read from the environment, never from flags)')
            [CompletionResult]::new('--data-file', '--data-file', [CompletionResultType]::ParameterName, 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]')
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Every matching session, page by page (ignores --limit)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Log debug details to stderr (or set RUST_LOG)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'attctl;session;show' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use')
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]')
            [CompletionResult]::new('--supabase-url', '--supabase-url', [CompletionResultType]::ParameterName, 'Supabase project URL (the key is read from the environment, never from flags)')
            [CompletionResult]::new('--data-file', '--data-file', [CompletionResultType]::ParameterName, 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]')
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Log debug details to stderr (or set RUST_LOG)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'attctl;session;close' {
            [CompletionResult]::new('--class', '--class', [CompletionResultType]::ParameterName, 'Only this class (id or exact name)')
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'From this date, inclusive')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Up to this date, inclusive')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use')
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]')
            [CompletionResult]::new('--supabase-url', '--supabase-url', [CompletionResultType]::ParameterName, 'Supabase project URL (the key is read from the environment, never from flags)')
            [CompletionResult]::new('--data-file', '--data-file', [CompletionResultType]::ParameterName, 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]')
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'With a filter: do not ask for confirmation (required when not on a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'With a filter: do not ask for confirmation (required when not on a terminal)')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Fail if a session is already closed')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the requests it would make; change nothing')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Log debug details to stderr (or set RUST_LOG)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'attctl;session;delete' {
            [CompletionResult]::new('--class', '--class', [CompletionResultType]::ParameterName, 'Only this class (id or exact name)')
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'From this date, inclusive')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Up to this date, inclusive')
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'With a filter: only Open or Closed sessions')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use')
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]')
            [CompletionResult]::new('--supabase-url', '--supabase-url', [CompletionResultType]::ParameterName, 'Supabase project URL (the key is read from the environment, never from flags)')
            [CompletionResult]::new('--data-file', '--data-file', [CompletionResultType]::ParameterName, 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]')
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (required when not on a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (required when not on a terminal)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the requests it would make; change nothing')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Log debug details to stderr (or set RUST_LOG)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'attctl;session;reschedule' {
            [CompletionResult]::new('--date', '--date', [CompletionResultType]::ParameterName, 'New date (YYYY-MM-DD, today, tomorrow, yesterday)')
            [CompletionResult]::new('--start', '--start', [CompletionResultType]::ParameterName, 'New start time')
            [CompletionResult]::new('--end', '--end', [CompletionResultType]::ParameterName, 'New end time')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use')
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]')
            [CompletionResult]::new('--supabase-url', '--supabase-url', [CompletionResultType]::ParameterName, 'Supabase project URL (the key is read from the environment, never from flags)')
            [CompletionResult]::new('--data-file', '--data-file', [CompletionResultType]::ParameterName, 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]')
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]')
            [CompletionResult]::new('--reopen', '--reopen', [CompletionResultType]::ParameterName, 'Reopen a Closed session whose new end is in the future')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the requests it would make; change nothing')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Log debug details to stderr (or set RUST_LOG)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'attctl;session;generate' {
            [CompletionResult]::new('--class', '--class', [CompletionResultType]::ParameterName, 'Class id or exact name')
            [CompletionResult]::new('--days', '--days', [CompletionResultType]::ParameterName, 'Weekdays it meets: mon,tue,wed,thu,fri,sat,sun')
            [CompletionResult]::new('--every', '--every', [CompletionResultType]::ParameterName, 'Every N weeks, counted from the week of --from')
            [CompletionResult]::new('--rrule', '--rrule', [CompletionResultType]::ParameterName, 'An RFC 5545 rule instead of --days/--every, e.g. ''FREQ=WEEKLY;BYDAY=MO,WE;INTERVAL=2''')
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'First date (YYYY-MM-DD, today, tomorrow)')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Last date, inclusive')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Last date, inclusive')
            [CompletionResult]::new('--start', '--start', [CompletionResultType]::ParameterName, 'Start time of every session (wall clock in --timezone)')
            [CompletionResult]::new('--end', '--end', [CompletionResultType]::ParameterName, 'End time of every session')
            [CompletionResult]::new('--type', '--type', [CompletionResultType]::ParameterName, 'Session type on the original app''s database (its teaching_sessions.session_type) [default: the school''s, see `attctl school set --session-type`]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use')
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]')
            [CompletionResult]::new('--supabase-url', '--supabase-url', [CompletionResultType]::ParameterName, 'Supabase project URL (the key is read from the environment, never from flags)')
            [CompletionResult]::new('--data-file', '--data-file', [CompletionResultType]::ParameterName, 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]')
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]')
            [CompletionResult]::new('--include-past', '--include-past', [CompletionResultType]::ParameterName, 'Also create occurrences that have already ended')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show the plan; change nothing')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Log debug details to stderr (or set RUST_LOG)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'attctl;session;import' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'File format [default: from the extension]')
            [CompletionResult]::new('--class', '--class', [CompletionResultType]::ParameterName, 'Class of every session (id or exact name), instead of the file''s')
            [CompletionResult]::new('--delimiter', '--delimiter', [CompletionResultType]::ParameterName, 'CSV delimiter [default: ; when the header has ; and no comma, else ,]')
            [CompletionResult]::new('--type', '--type', [CompletionResultType]::ParameterName, 'Session type on the original app''s database (its teaching_sessions.session_type) [default: the school''s, see `attctl school set --session-type`]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use')
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]')
            [CompletionResult]::new('--supabase-url', '--supabase-url', [CompletionResultType]::ParameterName, 'Supabase project URL (the key is read from the environment, never from flags)')
            [CompletionResult]::new('--data-file', '--data-file', [CompletionResultType]::ParameterName, 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]')
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Validate and show the plan; change nothing')
            [CompletionResult]::new('--skip-holidays', '--skip-holidays', [CompletionResultType]::ParameterName, 'Skip Open sessions on a holiday, reason `holiday` (the default; Closed history rows are always imported)')
            [CompletionResult]::new('--no-skip-holidays', '--no-skip-holidays', [CompletionResultType]::ParameterName, 'Import every row, holidays or not')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Log debug details to stderr (or set RUST_LOG)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'attctl;session;export' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'csv (every session field plus class_name) or ics (iCalendar)')
            [CompletionResult]::new('--class', '--class', [CompletionResultType]::ParameterName, 'Only this class (id or exact name)')
            [CompletionResult]::new('--date', '--date', [CompletionResultType]::ParameterName, 'Only this date (YYYY-MM-DD, today, tomorrow)')
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'From this date, inclusive')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Up to this date, inclusive')
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'Only Open or Closed sessions')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use')
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]')
            [CompletionResult]::new('--supabase-url', '--supabase-url', [CompletionResultType]::ParameterName, 'Supabase project URL (the key is read from the environment, never from flags)')
            [CompletionResult]::new('--data-file', '--data-file', [CompletionResultType]::ParameterName, 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]')
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Every session (needed when no filter is given)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Log debug details to stderr (or set RUST_LOG)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'attctl;session;help' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a session; its automatic close is scheduled at its end')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List sessions, ordered by date then start time')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one session')
            [CompletionResult]::new('close', 'close', [CompletionResultType]::ParameterValue, 'Close sessions now (a closed session is reported, not an error, unless --strict)')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete sessions and cancel their automatic close')
            [CompletionResult]::new('reschedule', 'reschedule', [CompletionResultType]::ParameterValue, 'Move a session to new times and schedule its close again')
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Create a class''s sessions for a term: weekdays or an RRULE, holidays skipped')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Create sessions from a CSV or iCalendar file (all rows valid, or nothing written)')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Write sessions to stdout as CSV (re-importable) or iCalendar')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'attctl;session;help;create' {
            break
        }
        'attctl;session;help;list' {
            break
        }
        'attctl;session;help;show' {
            break
        }
        'attctl;session;help;close' {
            break
        }
        'attctl;session;help;delete' {
            break
        }
        'attctl;session;help;reschedule' {
            break
        }
        'attctl;session;help;generate' {
            break
        }
        'attctl;session;help;import' {
            break
        }
        'attctl;session;help;export' {
            break
        }
        'attctl;session;help;help' {
            break
        }
        'attctl;class' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use')
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]')
            [CompletionResult]::new('--supabase-url', '--supabase-url', [CompletionResultType]::ParameterName, 'Supabase project URL (the key is read from the environment, never from flags)')
            [CompletionResult]::new('--data-file', '--data-file', [CompletionResultType]::ParameterName, 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]')
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Log debug details to stderr (or set RUST_LOG)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List classes')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a class')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Change a class''s settings: its email recipients')
            [CompletionResult]::new('rename', 'rename', [CompletionResultType]::ParameterValue, 'Rename a class (its sessions keep it)')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a class; refused while it has sessions, unless --cascade --yes')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'attctl;class;list' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use')
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]')
            [CompletionResult]::new('--supabase-url', '--supabase-url', [CompletionResultType]::ParameterName, 'Supabase project URL (the key is read from the environment, never from flags)')
            [CompletionResult]::new('--data-file', '--data-file', [CompletionResultType]::ParameterName, 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]')
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Log debug details to stderr (or set RUST_LOG)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'attctl;class;create' {
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Class name (unique), as a flag')
            [CompletionResult]::new('--notify-email', '--notify-email', [CompletionResultType]::ParameterName, 'Email the class''s session events (closed, closing soon) to these addresses too, besides ATTCTL_MAIL_TO: comma-separated')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use')
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]')
            [CompletionResult]::new('--supabase-url', '--supabase-url', [CompletionResultType]::ParameterName, 'Supabase project URL (the key is read from the environment, never from flags)')
            [CompletionResult]::new('--data-file', '--data-file', [CompletionResultType]::ParameterName, 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]')
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Log debug details to stderr (or set RUST_LOG)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'attctl;class;update' {
            [CompletionResult]::new('--notify-email', '--notify-email', [CompletionResultType]::ParameterName, 'Replace the class''s email recipients with these addresses (comma-separated)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use')
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]')
            [CompletionResult]::new('--supabase-url', '--supabase-url', [CompletionResultType]::ParameterName, 'Supabase project URL (the key is read from the environment, never from flags)')
            [CompletionResult]::new('--data-file', '--data-file', [CompletionResultType]::ParameterName, 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]')
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]')
            [CompletionResult]::new('--clear-notify-email', '--clear-notify-email', [CompletionResultType]::ParameterName, 'Remove every email recipient of the class (ATTCTL_MAIL_TO still gets its mail)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Log debug details to stderr (or set RUST_LOG)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'attctl;class;rename' {
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'The new name (unique)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use')
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]')
            [CompletionResult]::new('--supabase-url', '--supabase-url', [CompletionResultType]::ParameterName, 'Supabase project URL (the key is read from the environment, never from flags)')
            [CompletionResult]::new('--data-file', '--data-file', [CompletionResultType]::ParameterName, 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]')
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Log debug details to stderr (or set RUST_LOG)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'attctl;class;delete' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use')
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]')
            [CompletionResult]::new('--supabase-url', '--supabase-url', [CompletionResultType]::ParameterName, 'Supabase project URL (the key is read from the environment, never from flags)')
            [CompletionResult]::new('--data-file', '--data-file', [CompletionResultType]::ParameterName, 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]')
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]')
            [CompletionResult]::new('--cascade', '--cascade', [CompletionResultType]::ParameterName, 'Also delete the class''s sessions, cancelling their automatic closes')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Confirm --cascade (it cannot be undone)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Confirm --cascade (it cannot be undone)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Log debug details to stderr (or set RUST_LOG)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'attctl;class;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List classes')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a class')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Change a class''s settings: its email recipients')
            [CompletionResult]::new('rename', 'rename', [CompletionResultType]::ParameterValue, 'Rename a class (its sessions keep it)')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a class; refused while it has sessions, unless --cascade --yes')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'attctl;class;help;list' {
            break
        }
        'attctl;class;help;create' {
            break
        }
        'attctl;class;help;update' {
            break
        }
        'attctl;class;help;rename' {
            break
        }
        'attctl;class;help;delete' {
            break
        }
        'attctl;class;help;help' {
            break
        }
        'attctl;status' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use')
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]')
            [CompletionResult]::new('--supabase-url', '--supabase-url', [CompletionResultType]::ParameterName, 'Supabase project URL (the key is read from the environment, never from flags)')
            [CompletionResult]::new('--data-file', '--data-file', [CompletionResultType]::ParameterName, 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]')
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Log debug details to stderr (or set RUST_LOG)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'attctl;holiday' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use')
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]')
            [CompletionResult]::new('--supabase-url', '--supabase-url', [CompletionResultType]::ParameterName, 'Supabase project URL (the key is read from the environment, never from flags)')
            [CompletionResult]::new('--data-file', '--data-file', [CompletionResultType]::ParameterName, 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]')
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Log debug details to stderr (or set RUST_LOG)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a holiday (one day, or --from to --to inclusive). Open sessions already planned on it are named on stderr; --delete-sessions deletes them (their closes cancelled)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List holidays')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a holiday')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Add the all-day events of an iCalendar file as holidays')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'attctl;holiday;add' {
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'First day (YYYY-MM-DD)')
            [CompletionResult]::new('--date', '--date', [CompletionResultType]::ParameterName, 'First day (YYYY-MM-DD)')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Last day, inclusive [default: --from]')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Name, e.g. "Half term"')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use')
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]')
            [CompletionResult]::new('--supabase-url', '--supabase-url', [CompletionResultType]::ParameterName, 'Supabase project URL (the key is read from the environment, never from flags)')
            [CompletionResult]::new('--data-file', '--data-file', [CompletionResultType]::ParameterName, 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]')
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]')
            [CompletionResult]::new('--delete-sessions', '--delete-sessions', [CompletionResultType]::ParameterName, 'Also delete the Open sessions planned on the holiday, cancelling their closes')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'With --delete-sessions: do not ask (required when not on a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'With --delete-sessions: do not ask (required when not on a terminal)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Log debug details to stderr (or set RUST_LOG)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'attctl;holiday;list' {
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Holidays ending on or after this date')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Holidays starting on or before this date')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use')
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]')
            [CompletionResult]::new('--supabase-url', '--supabase-url', [CompletionResultType]::ParameterName, 'Supabase project URL (the key is read from the environment, never from flags)')
            [CompletionResult]::new('--data-file', '--data-file', [CompletionResultType]::ParameterName, 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]')
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Log debug details to stderr (or set RUST_LOG)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'attctl;holiday;delete' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use')
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]')
            [CompletionResult]::new('--supabase-url', '--supabase-url', [CompletionResultType]::ParameterName, 'Supabase project URL (the key is read from the environment, never from flags)')
            [CompletionResult]::new('--data-file', '--data-file', [CompletionResultType]::ParameterName, 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]')
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Log debug details to stderr (or set RUST_LOG)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'attctl;holiday;import' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use')
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]')
            [CompletionResult]::new('--supabase-url', '--supabase-url', [CompletionResultType]::ParameterName, 'Supabase project URL (the key is read from the environment, never from flags)')
            [CompletionResult]::new('--data-file', '--data-file', [CompletionResultType]::ParameterName, 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]')
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would be added; change nothing')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Log debug details to stderr (or set RUST_LOG)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'attctl;holiday;help' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a holiday (one day, or --from to --to inclusive). Open sessions already planned on it are named on stderr; --delete-sessions deletes them (their closes cancelled)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List holidays')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a holiday')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Add the all-day events of an iCalendar file as holidays')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'attctl;holiday;help;add' {
            break
        }
        'attctl;holiday;help;list' {
            break
        }
        'attctl;holiday;help;delete' {
            break
        }
        'attctl;holiday;help;import' {
            break
        }
        'attctl;holiday;help;help' {
            break
        }
        'attctl;school' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use')
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]')
            [CompletionResult]::new('--supabase-url', '--supabase-url', [CompletionResultType]::ParameterName, 'Supabase project URL (the key is read from the environment, never from flags)')
            [CompletionResult]::new('--data-file', '--data-file', [CompletionResultType]::ParameterName, 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]')
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Log debug details to stderr (or set RUST_LOG)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show the school''s settings')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Change the school''s settings: `--timezone ZONE` (the zone of every new session that names none, whoever creates it) and `--session-type TYPE`')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'attctl;school;show' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use')
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]')
            [CompletionResult]::new('--supabase-url', '--supabase-url', [CompletionResultType]::ParameterName, 'Supabase project URL (the key is read from the environment, never from flags)')
            [CompletionResult]::new('--data-file', '--data-file', [CompletionResultType]::ParameterName, 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]')
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Log debug details to stderr (or set RUST_LOG)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'attctl;school;set' {
            [CompletionResult]::new('--session-type', '--session-type', [CompletionResultType]::ParameterName, 'Session type of new sessions on the original app''s database')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use')
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]')
            [CompletionResult]::new('--supabase-url', '--supabase-url', [CompletionResultType]::ParameterName, 'Supabase project URL (the key is read from the environment, never from flags)')
            [CompletionResult]::new('--data-file', '--data-file', [CompletionResultType]::ParameterName, 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]')
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Log debug details to stderr (or set RUST_LOG)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'attctl;school;help' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show the school''s settings')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Change the school''s settings: `--timezone ZONE` (the zone of every new session that names none, whoever creates it) and `--session-type TYPE`')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'attctl;school;help;show' {
            break
        }
        'attctl;school;help;set' {
            break
        }
        'attctl;school;help;help' {
            break
        }
        'attctl;doctor' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use')
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]')
            [CompletionResult]::new('--supabase-url', '--supabase-url', [CompletionResultType]::ParameterName, 'Supabase project URL (the key is read from the environment, never from flags)')
            [CompletionResult]::new('--data-file', '--data-file', [CompletionResultType]::ParameterName, 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]')
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]')
            [CompletionResult]::new('--repair', '--repair', [CompletionResultType]::ParameterName, 'Also repair old rows where the fix has one meaning (status case, closes_at)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'With --repair: list what would be repaired; change nothing')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Log debug details to stderr (or set RUST_LOG)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'attctl;report' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use')
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]')
            [CompletionResult]::new('--supabase-url', '--supabase-url', [CompletionResultType]::ParameterName, 'Supabase project URL (the key is read from the environment, never from flags)')
            [CompletionResult]::new('--data-file', '--data-file', [CompletionResultType]::ParameterName, 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]')
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Log debug details to stderr (or set RUST_LOG)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('closures', 'closures', [CompletionResultType]::ParameterValue, 'Closures per group: manual, automatic and sweep closes, automatic-close lag, early manual closes, sessions still open (computed in the database)')
            [CompletionResult]::new('open-past-end', 'open-past-end', [CompletionResultType]::ParameterValue, 'Sessions still Open past their end plus a grace; exits 1 when there are any (for cron and monitoring)')
            [CompletionResult]::new('registers', 'registers', [CompletionResultType]::ParameterValue, 'The register of each closed session on the original app''s database: enrolled, marked (present, late, absent), marked absent at close, and whether it was taken (computed in the database); registers not taken first')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'attctl;report;closures' {
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'From this session date, inclusive (YYYY-MM-DD, today, tomorrow)')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Up to this session date, inclusive')
            [CompletionResult]::new('--class', '--class', [CompletionResultType]::ParameterName, 'Only this class (id or exact name)')
            [CompletionResult]::new('--by', '--by', [CompletionResultType]::ParameterName, 'Group by class, by the weekday, ISO week or month of the session''s own date, or by who closed it')
            [CompletionResult]::new('--svg', '--svg', [CompletionResultType]::ParameterName, 'Also write an SVG chart to FILE: a stacked bar per group and the automatic-close lag. An existing FILE is replaced only with --force, and only if it is an SVG')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use')
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]')
            [CompletionResult]::new('--supabase-url', '--supabase-url', [CompletionResultType]::ParameterName, 'Supabase project URL (the key is read from the environment, never from flags)')
            [CompletionResult]::new('--data-file', '--data-file', [CompletionResultType]::ParameterName, 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]')
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]')
            [CompletionResult]::new('--chart', '--chart', [CompletionResultType]::ParameterName, 'Also draw a bar chart of who closed the sessions of each group (table output)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace the file of --svg if it exists (a file that is not an SVG is never replaced)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Log debug details to stderr (or set RUST_LOG)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'attctl;report;open-past-end' {
            [CompletionResult]::new('--class', '--class', [CompletionResultType]::ParameterName, 'Only this class (id or exact name)')
            [CompletionResult]::new('--grace', '--grace', [CompletionResultType]::ParameterName, 'How long past its end a session may stay Open before it counts: 90s, 5m, 2h, 1d (a bare number is seconds)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use')
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]')
            [CompletionResult]::new('--supabase-url', '--supabase-url', [CompletionResultType]::ParameterName, 'Supabase project URL (the key is read from the environment, never from flags)')
            [CompletionResult]::new('--data-file', '--data-file', [CompletionResultType]::ParameterName, 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]')
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Log debug details to stderr (or set RUST_LOG)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'attctl;report;registers' {
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'From this session date, inclusive (YYYY-MM-DD, today, tomorrow)')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Up to this session date, inclusive')
            [CompletionResult]::new('--class', '--class', [CompletionResultType]::ParameterName, 'Only this class (id or exact name)')
            [CompletionResult]::new('--by', '--by', [CompletionResultType]::ParameterName, 'One row per session, or one per teacher of the classes (where the database says who teaches a class)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use')
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]')
            [CompletionResult]::new('--supabase-url', '--supabase-url', [CompletionResultType]::ParameterName, 'Supabase project URL (the key is read from the environment, never from flags)')
            [CompletionResult]::new('--data-file', '--data-file', [CompletionResultType]::ParameterName, 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]')
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]')
            [CompletionResult]::new('--missing', '--missing', [CompletionResultType]::ParameterName, 'Exit 1 when any register was not taken (for cron), after printing the report')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Log debug details to stderr (or set RUST_LOG)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'attctl;report;help' {
            [CompletionResult]::new('closures', 'closures', [CompletionResultType]::ParameterValue, 'Closures per group: manual, automatic and sweep closes, automatic-close lag, early manual closes, sessions still open (computed in the database)')
            [CompletionResult]::new('open-past-end', 'open-past-end', [CompletionResultType]::ParameterValue, 'Sessions still Open past their end plus a grace; exits 1 when there are any (for cron and monitoring)')
            [CompletionResult]::new('registers', 'registers', [CompletionResultType]::ParameterValue, 'The register of each closed session on the original app''s database: enrolled, marked (present, late, absent), marked absent at close, and whether it was taken (computed in the database); registers not taken first')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'attctl;report;help;closures' {
            break
        }
        'attctl;report;help;open-past-end' {
            break
        }
        'attctl;report;help;registers' {
            break
        }
        'attctl;report;help;help' {
            break
        }
        'attctl;login' {
            [CompletionResult]::new('--email', '--email', [CompletionResultType]::ParameterName, 'The email of your Supabase Auth account (asked for at a terminal when left out)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use')
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]')
            [CompletionResult]::new('--supabase-url', '--supabase-url', [CompletionResultType]::ParameterName, 'Supabase project URL (the key is read from the environment, never from flags)')
            [CompletionResult]::new('--data-file', '--data-file', [CompletionResultType]::ParameterName, 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]')
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from standard input (one line), as `docker login` does')
            [CompletionResult]::new('--otp', '--otp', [CompletionResultType]::ParameterName, 'Sign in with a one-time code mailed to you instead of a password: sends the code, then asks for it (off a terminal, finish with --otp-code-stdin)')
            [CompletionResult]::new('--otp-code-stdin', '--otp-code-stdin', [CompletionResultType]::ParameterName, 'Read the mailed one-time code from standard input and sign in with it')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Log debug details to stderr (or set RUST_LOG)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'attctl;logout' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use')
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]')
            [CompletionResult]::new('--supabase-url', '--supabase-url', [CompletionResultType]::ParameterName, 'Supabase project URL (the key is read from the environment, never from flags)')
            [CompletionResult]::new('--data-file', '--data-file', [CompletionResultType]::ParameterName, 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]')
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]')
            [CompletionResult]::new('--everywhere', '--everywhere', [CompletionResultType]::ParameterName, 'Revoke every session of your account (other machines too), not only this one')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Log debug details to stderr (or set RUST_LOG)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'attctl;whoami' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use')
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]')
            [CompletionResult]::new('--supabase-url', '--supabase-url', [CompletionResultType]::ParameterName, 'Supabase project URL (the key is read from the environment, never from flags)')
            [CompletionResult]::new('--data-file', '--data-file', [CompletionResultType]::ParameterName, 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]')
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Log debug details to stderr (or set RUST_LOG)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'attctl;staff' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use')
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]')
            [CompletionResult]::new('--supabase-url', '--supabase-url', [CompletionResultType]::ParameterName, 'Supabase project URL (the key is read from the environment, never from flags)')
            [CompletionResult]::new('--data-file', '--data-file', [CompletionResultType]::ParameterName, 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]')
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Log debug details to stderr (or set RUST_LOG)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a staff member by the email of their Supabase Auth account (invite them first), or change their role; --class adds classes they teach')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List staff members, their roles and classes')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove a staff member: they keep their account but may no longer touch anything')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'attctl;staff;add' {
            [CompletionResult]::new('--role', '--role', [CompletionResultType]::ParameterName, 'teacher: the sessions of their classes; admin: everything, classes, holidays, staff')
            [CompletionResult]::new('--class', '--class', [CompletionResultType]::ParameterName, 'A class they teach (exact name or id:N); repeat for several')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use')
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]')
            [CompletionResult]::new('--supabase-url', '--supabase-url', [CompletionResultType]::ParameterName, 'Supabase project URL (the key is read from the environment, never from flags)')
            [CompletionResult]::new('--data-file', '--data-file', [CompletionResultType]::ParameterName, 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]')
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Log debug details to stderr (or set RUST_LOG)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'attctl;staff;list' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use')
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]')
            [CompletionResult]::new('--supabase-url', '--supabase-url', [CompletionResultType]::ParameterName, 'Supabase project URL (the key is read from the environment, never from flags)')
            [CompletionResult]::new('--data-file', '--data-file', [CompletionResultType]::ParameterName, 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]')
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Log debug details to stderr (or set RUST_LOG)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'attctl;staff;remove' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use')
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]')
            [CompletionResult]::new('--supabase-url', '--supabase-url', [CompletionResultType]::ParameterName, 'Supabase project URL (the key is read from the environment, never from flags)')
            [CompletionResult]::new('--data-file', '--data-file', [CompletionResultType]::ParameterName, 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]')
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed when not at a terminal)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Log debug details to stderr (or set RUST_LOG)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'attctl;staff;help' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a staff member by the email of their Supabase Auth account (invite them first), or change their role; --class adds classes they teach')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List staff members, their roles and classes')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove a staff member: they keep their account but may no longer touch anything')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'attctl;staff;help;add' {
            break
        }
        'attctl;staff;help;list' {
            break
        }
        'attctl;staff;help;remove' {
            break
        }
        'attctl;staff;help;help' {
            break
        }
        'attctl;config' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use')
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]')
            [CompletionResult]::new('--supabase-url', '--supabase-url', [CompletionResultType]::ParameterName, 'Supabase project URL (the key is read from the environment, never from flags)')
            [CompletionResult]::new('--data-file', '--data-file', [CompletionResultType]::ParameterName, 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]')
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Log debug details to stderr (or set RUST_LOG)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show the resolved settings and where each came from (secrets masked)')
            [CompletionResult]::new('path', 'path', [CompletionResultType]::ParameterValue, 'Print the config file''s path (plainly; -o json for {"path", "exists"})')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Write a commented config file (mode 0600)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'attctl;config;show' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use')
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]')
            [CompletionResult]::new('--supabase-url', '--supabase-url', [CompletionResultType]::ParameterName, 'Supabase project URL (the key is read from the environment, never from flags)')
            [CompletionResult]::new('--data-file', '--data-file', [CompletionResultType]::ParameterName, 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]')
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Log debug details to stderr (or set RUST_LOG)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'attctl;config;path' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use')
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]')
            [CompletionResult]::new('--supabase-url', '--supabase-url', [CompletionResultType]::ParameterName, 'Supabase project URL (the key is read from the environment, never from flags)')
            [CompletionResult]::new('--data-file', '--data-file', [CompletionResultType]::ParameterName, 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]')
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Log debug details to stderr (or set RUST_LOG)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'attctl;config;init' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use')
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]')
            [CompletionResult]::new('--supabase-url', '--supabase-url', [CompletionResultType]::ParameterName, 'Supabase project URL (the key is read from the environment, never from flags)')
            [CompletionResult]::new('--data-file', '--data-file', [CompletionResultType]::ParameterName, 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]')
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Overwrite an existing file')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Log debug details to stderr (or set RUST_LOG)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'attctl;config;help' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show the resolved settings and where each came from (secrets masked)')
            [CompletionResult]::new('path', 'path', [CompletionResultType]::ParameterValue, 'Print the config file''s path (plainly; -o json for {"path", "exists"})')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Write a commented config file (mode 0600)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'attctl;config;help;show' {
            break
        }
        'attctl;config;help;path' {
            break
        }
        'attctl;config;help;init' {
            break
        }
        'attctl;config;help;help' {
            break
        }
        'attctl;events' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use')
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]')
            [CompletionResult]::new('--supabase-url', '--supabase-url', [CompletionResultType]::ParameterName, 'Supabase project URL (the key is read from the environment, never from flags)')
            [CompletionResult]::new('--data-file', '--data-file', [CompletionResultType]::ParameterName, 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]')
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Log debug details to stderr (or set RUST_LOG)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List recorded events with their delivery state: newest first in a table, oldest first in JSON, NDJSON and CSV')
            [CompletionResult]::new('retry', 'retry', [CompletionResultType]::ParameterValue, 'Deliver again: one event by id, or every failed one')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'attctl;events;list' {
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only events since: a duration back from now (30s, 10m, 1h, 2d), a date (YYYY-MM-DD, today) or an RFC 3339 instant')
            [CompletionResult]::new('--type', '--type', [CompletionResultType]::ParameterName, 'Only this type, e.g. session.closed')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'Only this delivery state (skipped: no channel takes the type; expired: a warning its session''s end made useless)')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'Most events shown, 1 to 1000 (narrow with --since, --type and --state to see others)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use')
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]')
            [CompletionResult]::new('--supabase-url', '--supabase-url', [CompletionResultType]::ParameterName, 'Supabase project URL (the key is read from the environment, never from flags)')
            [CompletionResult]::new('--data-file', '--data-file', [CompletionResultType]::ParameterName, 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]')
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Log debug details to stderr (or set RUST_LOG)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'attctl;events;retry' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use')
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]')
            [CompletionResult]::new('--supabase-url', '--supabase-url', [CompletionResultType]::ParameterName, 'Supabase project URL (the key is read from the environment, never from flags)')
            [CompletionResult]::new('--data-file', '--data-file', [CompletionResultType]::ParameterName, 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]')
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]')
            [CompletionResult]::new('--failed', '--failed', [CompletionResultType]::ParameterName, 'Every failed event')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Log debug details to stderr (or set RUST_LOG)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'attctl;events;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List recorded events with their delivery state: newest first in a table, oldest first in JSON, NDJSON and CSV')
            [CompletionResult]::new('retry', 'retry', [CompletionResultType]::ParameterValue, 'Deliver again: one event by id, or every failed one')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'attctl;events;help;list' {
            break
        }
        'attctl;events;help;retry' {
            break
        }
        'attctl;events;help;help' {
            break
        }
        'attctl;notify' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use')
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]')
            [CompletionResult]::new('--supabase-url', '--supabase-url', [CompletionResultType]::ParameterName, 'Supabase project URL (the key is read from the environment, never from flags)')
            [CompletionResult]::new('--data-file', '--data-file', [CompletionResultType]::ParameterName, 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]')
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Log debug details to stderr (or set RUST_LOG)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('test', 'test', [CompletionResultType]::ParameterValue, 'Send a sample event and report each receiver''s answer')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'attctl;notify;test' {
            [CompletionResult]::new('--channel', '--channel', [CompletionResultType]::ParameterName, 'Only this channel (default: every configured one)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use')
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]')
            [CompletionResult]::new('--supabase-url', '--supabase-url', [CompletionResultType]::ParameterName, 'Supabase project URL (the key is read from the environment, never from flags)')
            [CompletionResult]::new('--data-file', '--data-file', [CompletionResultType]::ParameterName, 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]')
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Log debug details to stderr (or set RUST_LOG)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'attctl;notify;help' {
            [CompletionResult]::new('test', 'test', [CompletionResultType]::ParameterValue, 'Send a sample event and report each receiver''s answer')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'attctl;notify;help;test' {
            break
        }
        'attctl;notify;help;help' {
            break
        }
        'attctl;completions' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use')
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]')
            [CompletionResult]::new('--supabase-url', '--supabase-url', [CompletionResultType]::ParameterName, 'Supabase project URL (the key is read from the environment, never from flags)')
            [CompletionResult]::new('--data-file', '--data-file', [CompletionResultType]::ParameterName, 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]')
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Log debug details to stderr (or set RUST_LOG)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'attctl;help' {
            [CompletionResult]::new('session', 'session', [CompletionResultType]::ParameterValue, 'Create, list, close, reschedule and delete teaching sessions')
            [CompletionResult]::new('class', 'class', [CompletionResultType]::ParameterValue, 'List, create, rename and delete classes')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Today at a glance: sessions open now, the next closes, overdue ones, the worker')
            [CompletionResult]::new('holiday', 'holiday', [CompletionResultType]::ParameterValue, 'School holidays: no session is generated on them')
            [CompletionResult]::new('school', 'school', [CompletionResultType]::ParameterValue, 'The school''s settings kept with its data: its time zone, its default session type')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check configuration, connectivity, schema and the worker')
            [CompletionResult]::new('report', 'report', [CompletionResultType]::ParameterValue, 'Closure analytics: who closes sessions, how late, and what is still open')
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Sign in as yourself (a staff machine has SUPABASE_URL and the anon key only)')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'Sign out: revoke this machine''s session at Supabase Auth and forget it')
            [CompletionResult]::new('whoami', 'whoami', [CompletionResultType]::ParameterValue, 'Who is signed in here: email, user id, role and classes')
            [CompletionResult]::new('staff', 'staff', [CompletionResultType]::ParameterValue, 'Staff accounts: who may sign in, as teacher (their classes) or admin (everything)')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Show, locate or create the config file')
            [CompletionResult]::new('events', 'events', [CompletionResultType]::ParameterValue, 'List session events (the outbox of notifications) and retry failed deliveries')
            [CompletionResult]::new('notify', 'notify', [CompletionResultType]::ParameterValue, 'Send a sample notification to the configured channels')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script to stdout')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'attctl;help;session' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a session; its automatic close is scheduled at its end')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List sessions, ordered by date then start time')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one session')
            [CompletionResult]::new('close', 'close', [CompletionResultType]::ParameterValue, 'Close sessions now (a closed session is reported, not an error, unless --strict)')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete sessions and cancel their automatic close')
            [CompletionResult]::new('reschedule', 'reschedule', [CompletionResultType]::ParameterValue, 'Move a session to new times and schedule its close again')
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Create a class''s sessions for a term: weekdays or an RRULE, holidays skipped')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Create sessions from a CSV or iCalendar file (all rows valid, or nothing written)')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Write sessions to stdout as CSV (re-importable) or iCalendar')
            break
        }
        'attctl;help;session;create' {
            break
        }
        'attctl;help;session;list' {
            break
        }
        'attctl;help;session;show' {
            break
        }
        'attctl;help;session;close' {
            break
        }
        'attctl;help;session;delete' {
            break
        }
        'attctl;help;session;reschedule' {
            break
        }
        'attctl;help;session;generate' {
            break
        }
        'attctl;help;session;import' {
            break
        }
        'attctl;help;session;export' {
            break
        }
        'attctl;help;class' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List classes')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a class')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Change a class''s settings: its email recipients')
            [CompletionResult]::new('rename', 'rename', [CompletionResultType]::ParameterValue, 'Rename a class (its sessions keep it)')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a class; refused while it has sessions, unless --cascade --yes')
            break
        }
        'attctl;help;class;list' {
            break
        }
        'attctl;help;class;create' {
            break
        }
        'attctl;help;class;update' {
            break
        }
        'attctl;help;class;rename' {
            break
        }
        'attctl;help;class;delete' {
            break
        }
        'attctl;help;status' {
            break
        }
        'attctl;help;holiday' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a holiday (one day, or --from to --to inclusive). Open sessions already planned on it are named on stderr; --delete-sessions deletes them (their closes cancelled)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List holidays')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a holiday')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Add the all-day events of an iCalendar file as holidays')
            break
        }
        'attctl;help;holiday;add' {
            break
        }
        'attctl;help;holiday;list' {
            break
        }
        'attctl;help;holiday;delete' {
            break
        }
        'attctl;help;holiday;import' {
            break
        }
        'attctl;help;school' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show the school''s settings')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Change the school''s settings: `--timezone ZONE` (the zone of every new session that names none, whoever creates it) and `--session-type TYPE`')
            break
        }
        'attctl;help;school;show' {
            break
        }
        'attctl;help;school;set' {
            break
        }
        'attctl;help;doctor' {
            break
        }
        'attctl;help;report' {
            [CompletionResult]::new('closures', 'closures', [CompletionResultType]::ParameterValue, 'Closures per group: manual, automatic and sweep closes, automatic-close lag, early manual closes, sessions still open (computed in the database)')
            [CompletionResult]::new('open-past-end', 'open-past-end', [CompletionResultType]::ParameterValue, 'Sessions still Open past their end plus a grace; exits 1 when there are any (for cron and monitoring)')
            [CompletionResult]::new('registers', 'registers', [CompletionResultType]::ParameterValue, 'The register of each closed session on the original app''s database: enrolled, marked (present, late, absent), marked absent at close, and whether it was taken (computed in the database); registers not taken first')
            break
        }
        'attctl;help;report;closures' {
            break
        }
        'attctl;help;report;open-past-end' {
            break
        }
        'attctl;help;report;registers' {
            break
        }
        'attctl;help;login' {
            break
        }
        'attctl;help;logout' {
            break
        }
        'attctl;help;whoami' {
            break
        }
        'attctl;help;staff' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a staff member by the email of their Supabase Auth account (invite them first), or change their role; --class adds classes they teach')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List staff members, their roles and classes')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove a staff member: they keep their account but may no longer touch anything')
            break
        }
        'attctl;help;staff;add' {
            break
        }
        'attctl;help;staff;list' {
            break
        }
        'attctl;help;staff;remove' {
            break
        }
        'attctl;help;config' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show the resolved settings and where each came from (secrets masked)')
            [CompletionResult]::new('path', 'path', [CompletionResultType]::ParameterValue, 'Print the config file''s path (plainly; -o json for {"path", "exists"})')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Write a commented config file (mode 0600)')
            break
        }
        'attctl;help;config;show' {
            break
        }
        'attctl;help;config;path' {
            break
        }
        'attctl;help;config;init' {
            break
        }
        'attctl;help;events' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List recorded events with their delivery state: newest first in a table, oldest first in JSON, NDJSON and CSV')
            [CompletionResult]::new('retry', 'retry', [CompletionResultType]::ParameterValue, 'Deliver again: one event by id, or every failed one')
            break
        }
        'attctl;help;events;list' {
            break
        }
        'attctl;help;events;retry' {
            break
        }
        'attctl;help;notify' {
            [CompletionResult]::new('test', 'test', [CompletionResultType]::ParameterValue, 'Send a sample event and report each receiver''s answer')
            break
        }
        'attctl;help;notify;test' {
            break
        }
        'attctl;help;completions' {
            break
        }
        'attctl;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
