
use builtin;
use str;

set edit:completion:arg-completer[attctl-worker] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'attctl-worker'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'attctl-worker'= {
            cand --config 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]'
            cand --profile 'Profile of the config file to use'
            cand --backend 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]'
            cand --supabase-url 'Supabase project URL (the key is read from the environment, never from flags)'
            cand --data-file 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]'
            cand --timezone 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]'
            cand --sweep-interval 'Seconds between reconciliation sweeps'
            cand --debug 'Log debug details to stderr (or set RUST_LOG)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand run 'Run the daemon (the default)'
            cand sweep 'Reconcile the database (close overdue sessions, schedule missing runs)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'attctl-worker;run'= {
            cand --name 'Worker name shown in Hatchet [default: attctl-worker-<hostname>]'
            cand --slots 'Runs this worker executes at once'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]'
            cand --profile 'Profile of the config file to use'
            cand --backend 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]'
            cand --supabase-url 'Supabase project URL (the key is read from the environment, never from flags)'
            cand --data-file 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]'
            cand --timezone 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]'
            cand --sweep-interval 'Seconds between reconciliation sweeps'
            cand --no-legacy-workflow 'Do not serve the original app''s workflow close-session-workflow, served by default so that the runs the original app schedules close their sessions (or set the variable to false)'
            cand --debug 'Log debug details to stderr (or set RUST_LOG)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'attctl-worker;sweep'= {
            cand --config 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]'
            cand --profile 'Profile of the config file to use'
            cand --backend 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]'
            cand --supabase-url 'Supabase project URL (the key is read from the environment, never from flags)'
            cand --data-file 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]'
            cand --timezone 'IANA timezone of session times [default: the school''s (attctl school set), else the machine''s]'
            cand --sweep-interval 'Seconds between reconciliation sweeps'
            cand --once 'Do one sweep and exit (for cron)'
            cand --debug 'Log debug details to stderr (or set RUST_LOG)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'attctl-worker;help'= {
            cand run 'Run the daemon (the default)'
            cand sweep 'Reconcile the database (close overdue sessions, schedule missing runs)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'attctl-worker;help;run'= {
        }
        &'attctl-worker;help;sweep'= {
        }
        &'attctl-worker;help;help'= {
        }
    ]
    $completions[$command]
}
