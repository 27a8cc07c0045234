# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_attctl_worker_global_optspecs
    string join \n config= profile= backend= supabase-url= data-file= timezone= debug sweep-interval= h/help V/version
end

function __fish_attctl_worker_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_attctl_worker_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_attctl_worker_using_subcommand
    set -l cmd (__fish_attctl_worker_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c attctl-worker -n "__fish_attctl_worker_needs_command" -l config -d 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]' -r -F
complete -c attctl-worker -n "__fish_attctl_worker_needs_command" -l profile -d 'Profile of the config file to use' -r
complete -c attctl-worker -n "__fish_attctl_worker_needs_command" -l backend -d 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]' -r -f -a "supabase\t''
local\t''"
complete -c attctl-worker -n "__fish_attctl_worker_needs_command" -l supabase-url -d 'Supabase project URL (the key is read from the environment, never from flags)' -r
complete -c attctl-worker -n "__fish_attctl_worker_needs_command" -l data-file -d 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]' -r -F
complete -c attctl-worker -n "__fish_attctl_worker_needs_command" -l timezone -d 'IANA timezone of session times [default: the school\'s (attctl school set), else the machine\'s]' -r
complete -c attctl-worker -n "__fish_attctl_worker_needs_command" -l sweep-interval -d 'Seconds between reconciliation sweeps' -r
complete -c attctl-worker -n "__fish_attctl_worker_needs_command" -l debug -d 'Log debug details to stderr (or set RUST_LOG)'
complete -c attctl-worker -n "__fish_attctl_worker_needs_command" -s h -l help -d 'Print help'
complete -c attctl-worker -n "__fish_attctl_worker_needs_command" -s V -l version -d 'Print version'
complete -c attctl-worker -n "__fish_attctl_worker_needs_command" -f -a "run" -d 'Run the daemon (the default)'
complete -c attctl-worker -n "__fish_attctl_worker_needs_command" -f -a "sweep" -d 'Reconcile the database (close overdue sessions, schedule missing runs)'
complete -c attctl-worker -n "__fish_attctl_worker_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c attctl-worker -n "__fish_attctl_worker_using_subcommand run" -l name -d 'Worker name shown in Hatchet [default: attctl-worker-<hostname>]' -r
complete -c attctl-worker -n "__fish_attctl_worker_using_subcommand run" -l slots -d 'Runs this worker executes at once' -r
complete -c attctl-worker -n "__fish_attctl_worker_using_subcommand run" -l config -d 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]' -r -F
complete -c attctl-worker -n "__fish_attctl_worker_using_subcommand run" -l profile -d 'Profile of the config file to use' -r
complete -c attctl-worker -n "__fish_attctl_worker_using_subcommand run" -l backend -d 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]' -r -f -a "supabase\t''
local\t''"
complete -c attctl-worker -n "__fish_attctl_worker_using_subcommand run" -l supabase-url -d 'Supabase project URL (the key is read from the environment, never from flags)' -r
complete -c attctl-worker -n "__fish_attctl_worker_using_subcommand run" -l data-file -d 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]' -r -F
complete -c attctl-worker -n "__fish_attctl_worker_using_subcommand run" -l timezone -d 'IANA timezone of session times [default: the school\'s (attctl school set), else the machine\'s]' -r
complete -c attctl-worker -n "__fish_attctl_worker_using_subcommand run" -l sweep-interval -d 'Seconds between reconciliation sweeps' -r
complete -c attctl-worker -n "__fish_attctl_worker_using_subcommand run" -l no-legacy-workflow -d 'Do not serve the original app\'s workflow close-session-workflow, served by default so that the runs the original app schedules close their sessions (or set the variable to false)'
complete -c attctl-worker -n "__fish_attctl_worker_using_subcommand run" -l debug -d 'Log debug details to stderr (or set RUST_LOG)'
complete -c attctl-worker -n "__fish_attctl_worker_using_subcommand run" -s h -l help -d 'Print help'
complete -c attctl-worker -n "__fish_attctl_worker_using_subcommand sweep" -l config -d 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]' -r -F
complete -c attctl-worker -n "__fish_attctl_worker_using_subcommand sweep" -l profile -d 'Profile of the config file to use' -r
complete -c attctl-worker -n "__fish_attctl_worker_using_subcommand sweep" -l backend -d 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]' -r -f -a "supabase\t''
local\t''"
complete -c attctl-worker -n "__fish_attctl_worker_using_subcommand sweep" -l supabase-url -d 'Supabase project URL (the key is read from the environment, never from flags)' -r
complete -c attctl-worker -n "__fish_attctl_worker_using_subcommand sweep" -l data-file -d 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]' -r -F
complete -c attctl-worker -n "__fish_attctl_worker_using_subcommand sweep" -l timezone -d 'IANA timezone of session times [default: the school\'s (attctl school set), else the machine\'s]' -r
complete -c attctl-worker -n "__fish_attctl_worker_using_subcommand sweep" -l sweep-interval -d 'Seconds between reconciliation sweeps' -r
complete -c attctl-worker -n "__fish_attctl_worker_using_subcommand sweep" -l once -d 'Do one sweep and exit (for cron)'
complete -c attctl-worker -n "__fish_attctl_worker_using_subcommand sweep" -l debug -d 'Log debug details to stderr (or set RUST_LOG)'
complete -c attctl-worker -n "__fish_attctl_worker_using_subcommand sweep" -s h -l help -d 'Print help'
complete -c attctl-worker -n "__fish_attctl_worker_using_subcommand help; and not __fish_seen_subcommand_from run sweep help" -f -a "run" -d 'Run the daemon (the default)'
complete -c attctl-worker -n "__fish_attctl_worker_using_subcommand help; and not __fish_seen_subcommand_from run sweep help" -f -a "sweep" -d 'Reconcile the database (close overdue sessions, schedule missing runs)'
complete -c attctl-worker -n "__fish_attctl_worker_using_subcommand help; and not __fish_seen_subcommand_from run sweep help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
