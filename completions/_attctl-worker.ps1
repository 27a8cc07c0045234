
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'attctl-worker' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'attctl-worker'
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
        'attctl-worker' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use')
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]')
            [CompletionResult]::new('--supabase-url', '--supabase-url', [CompletionResultType]::ParameterName, 'Supabase project URL (the key is read from the environment, never from flags)')
            [CompletionResult]::new('--data-file', '--data-file', [CompletionResultType]::ParameterName, 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]')
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]')
            [CompletionResult]::new('--sweep-interval', '--sweep-interval', [CompletionResultType]::ParameterName, 'Seconds between reconciliation sweeps')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Log debug details to stderr (or set RUST_LOG)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Run the daemon (the default)')
            [CompletionResult]::new('sweep', 'sweep', [CompletionResultType]::ParameterValue, 'Reconcile the database (close overdue sessions, schedule missing runs)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'attctl-worker;run' {
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Worker name shown in Hatchet [default: attctl-worker-<hostname>]')
            [CompletionResult]::new('--slots', '--slots', [CompletionResultType]::ParameterName, 'Runs this worker executes at once')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use')
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]')
            [CompletionResult]::new('--supabase-url', '--supabase-url', [CompletionResultType]::ParameterName, 'Supabase project URL (the key is read from the environment, never from flags)')
            [CompletionResult]::new('--data-file', '--data-file', [CompletionResultType]::ParameterName, 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]')
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]')
            [CompletionResult]::new('--sweep-interval', '--sweep-interval', [CompletionResultType]::ParameterName, 'Seconds between reconciliation sweeps')
            [CompletionResult]::new('--no-legacy-workflow', '--no-legacy-workflow', [CompletionResultType]::ParameterName, 'Do not serve the original app''s workflow close-session-workflow, served by default so that the runs the original app schedules close their sessions (or set the variable to false)')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Log debug details to stderr (or set RUST_LOG)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'attctl-worker;sweep' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use')
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]')
            [CompletionResult]::new('--supabase-url', '--supabase-url', [CompletionResultType]::ParameterName, 'Supabase project URL (the key is read from the environment, never from flags)')
            [CompletionResult]::new('--data-file', '--data-file', [CompletionResultType]::ParameterName, 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]')
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]')
            [CompletionResult]::new('--sweep-interval', '--sweep-interval', [CompletionResultType]::ParameterName, 'Seconds between reconciliation sweeps')
            [CompletionResult]::new('--once', '--once', [CompletionResultType]::ParameterName, 'Do one sweep and exit (for cron)')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Log debug details to stderr (or set RUST_LOG)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'attctl-worker;help' {
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Run the daemon (the default)')
            [CompletionResult]::new('sweep', 'sweep', [CompletionResultType]::ParameterValue, 'Reconcile the database (close overdue sessions, schedule missing runs)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'attctl-worker;help;run' {
            break
        }
        'attctl-worker;help;sweep' {
            break
        }
        'attctl-worker;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
