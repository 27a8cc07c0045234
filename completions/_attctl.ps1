
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
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'IANA timezone of session times [default: the machine''s]')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Log debug details to stderr (or set RUST_LOG)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('session', 'session', [CompletionResultType]::ParameterValue, 'Create, list, close, reschedule and delete teaching sessions')
            [CompletionResult]::new('class', 'class', [CompletionResultType]::ParameterValue, 'List and create classes')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check configuration, connectivity, schema and the worker')
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
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'IANA timezone of session times [default: the machine''s]')
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
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'attctl;session;create' {
            [CompletionResult]::new('--class', '--class', [CompletionResultType]::ParameterName, 'Class id or exact name (prompted on a terminal when missing)')
            [CompletionResult]::new('--date', '--date', [CompletionResultType]::ParameterName, 'Date: YYYY-MM-DD, today or tomorrow')
            [CompletionResult]::new('--start', '--start', [CompletionResultType]::ParameterName, 'Start time: HH:MM or HH:MM:SS')
            [CompletionResult]::new('--end', '--end', [CompletionResultType]::ParameterName, 'End time: HH:MM or HH:MM:SS, after the start')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use')
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]')
            [CompletionResult]::new('--supabase-url', '--supabase-url', [CompletionResultType]::ParameterName, 'Supabase project URL (the key is read from the environment, never from flags)')
            [CompletionResult]::new('--data-file', '--data-file', [CompletionResultType]::ParameterName, 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]')
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'IANA timezone of session times [default: the machine''s]')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the requests it would make; change nothing')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Log debug details to stderr (or set RUST_LOG)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'attctl;session;list' {
            [CompletionResult]::new('--class', '--class', [CompletionResultType]::ParameterName, 'Only this class (id or exact name)')
            [CompletionResult]::new('--date', '--date', [CompletionResultType]::ParameterName, 'Only this date (YYYY-MM-DD, today, tomorrow)')
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
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'IANA timezone of session times [default: the machine''s]')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Every matching session, page by page (ignores --limit)')
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
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'IANA timezone of session times [default: the machine''s]')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Log debug details to stderr (or set RUST_LOG)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'attctl;session;close' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use')
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]')
            [CompletionResult]::new('--supabase-url', '--supabase-url', [CompletionResultType]::ParameterName, 'Supabase project URL (the key is read from the environment, never from flags)')
            [CompletionResult]::new('--data-file', '--data-file', [CompletionResultType]::ParameterName, 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]')
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'IANA timezone of session times [default: the machine''s]')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Fail if a session is already closed')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the requests it would make; change nothing')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Log debug details to stderr (or set RUST_LOG)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'attctl;session;delete' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use')
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]')
            [CompletionResult]::new('--supabase-url', '--supabase-url', [CompletionResultType]::ParameterName, 'Supabase project URL (the key is read from the environment, never from flags)')
            [CompletionResult]::new('--data-file', '--data-file', [CompletionResultType]::ParameterName, 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]')
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'IANA timezone of session times [default: the machine''s]')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (required when not on a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (required when not on a terminal)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the requests it would make; change nothing')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Log debug details to stderr (or set RUST_LOG)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'attctl;session;reschedule' {
            [CompletionResult]::new('--date', '--date', [CompletionResultType]::ParameterName, 'New date (YYYY-MM-DD, today, tomorrow)')
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
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'IANA timezone of session times [default: the machine''s]')
            [CompletionResult]::new('--reopen', '--reopen', [CompletionResultType]::ParameterName, 'Reopen a Closed session whose new end is in the future')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the requests it would make; change nothing')
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
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'IANA timezone of session times [default: the machine''s]')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Log debug details to stderr (or set RUST_LOG)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List classes')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a class')
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
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'IANA timezone of session times [default: the machine''s]')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Log debug details to stderr (or set RUST_LOG)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'attctl;class;create' {
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Class name (unique)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use')
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]')
            [CompletionResult]::new('--supabase-url', '--supabase-url', [CompletionResultType]::ParameterName, 'Supabase project URL (the key is read from the environment, never from flags)')
            [CompletionResult]::new('--data-file', '--data-file', [CompletionResultType]::ParameterName, 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]')
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'IANA timezone of session times [default: the machine''s]')
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
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'attctl;class;help;list' {
            break
        }
        'attctl;class;help;create' {
            break
        }
        'attctl;class;help;help' {
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
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'IANA timezone of session times [default: the machine''s]')
            [CompletionResult]::new('--repair', '--repair', [CompletionResultType]::ParameterName, 'Also repair old rows where the fix has one meaning (status case, closes_at)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'With --repair: list what would be repaired; change nothing')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Log debug details to stderr (or set RUST_LOG)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
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
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'IANA timezone of session times [default: the machine''s]')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Log debug details to stderr (or set RUST_LOG)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show the resolved settings and where each came from (secrets masked)')
            [CompletionResult]::new('path', 'path', [CompletionResultType]::ParameterValue, 'Print the config file''s path')
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
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'IANA timezone of session times [default: the machine''s]')
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
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'IANA timezone of session times [default: the machine''s]')
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
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'IANA timezone of session times [default: the machine''s]')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Overwrite an existing file')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Log debug details to stderr (or set RUST_LOG)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'attctl;config;help' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show the resolved settings and where each came from (secrets masked)')
            [CompletionResult]::new('path', 'path', [CompletionResultType]::ParameterValue, 'Print the config file''s path')
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
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'IANA timezone of session times [default: the machine''s]')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Log debug details to stderr (or set RUST_LOG)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List recorded events, oldest first, with their delivery state')
            [CompletionResult]::new('retry', 'retry', [CompletionResultType]::ParameterValue, 'Deliver again: one event by id, or every failed one')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'attctl;events;list' {
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only events since: a duration back from now (30s, 10m, 1h, 2d), a date (YYYY-MM-DD, today) or an RFC 3339 instant')
            [CompletionResult]::new('--type', '--type', [CompletionResultType]::ParameterName, 'Only this type, e.g. session.closed')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'Only this delivery state')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'Most events shown')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table on a terminal, json otherwise]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use')
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]')
            [CompletionResult]::new('--supabase-url', '--supabase-url', [CompletionResultType]::ParameterName, 'Supabase project URL (the key is read from the environment, never from flags)')
            [CompletionResult]::new('--data-file', '--data-file', [CompletionResultType]::ParameterName, 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]')
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'IANA timezone of session times [default: the machine''s]')
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
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'IANA timezone of session times [default: the machine''s]')
            [CompletionResult]::new('--failed', '--failed', [CompletionResultType]::ParameterName, 'Every failed event')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Log debug details to stderr (or set RUST_LOG)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'attctl;events;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List recorded events, oldest first, with their delivery state')
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
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'IANA timezone of session times [default: the machine''s]')
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
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'IANA timezone of session times [default: the machine''s]')
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
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'IANA timezone of session times [default: the machine''s]')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Log debug details to stderr (or set RUST_LOG)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'attctl;help' {
            [CompletionResult]::new('session', 'session', [CompletionResultType]::ParameterValue, 'Create, list, close, reschedule and delete teaching sessions')
            [CompletionResult]::new('class', 'class', [CompletionResultType]::ParameterValue, 'List and create classes')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check configuration, connectivity, schema and the worker')
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
        'attctl;help;class' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List classes')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a class')
            break
        }
        'attctl;help;class;list' {
            break
        }
        'attctl;help;class;create' {
            break
        }
        'attctl;help;doctor' {
            break
        }
        'attctl;help;config' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show the resolved settings and where each came from (secrets masked)')
            [CompletionResult]::new('path', 'path', [CompletionResultType]::ParameterValue, 'Print the config file''s path')
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
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List recorded events, oldest first, with their delivery state')
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
