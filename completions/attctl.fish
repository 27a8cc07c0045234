# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_attctl_global_optspecs
    string join \n o/output= color= config= profile= backend= supabase-url= data-file= timezone= debug h/help V/version
end

function __fish_attctl_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_attctl_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_attctl_using_subcommand
    set -l cmd (__fish_attctl_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c attctl -n "__fish_attctl_needs_command" -s o -l output -d 'Output format [default: table on a terminal, json otherwise]' -r -f -a "table\t'Aligned columns for people (default on a terminal)'
json\t'One JSON document (default when piped)'
ndjson\t'One JSON object per line, streamed'"
complete -c attctl -n "__fish_attctl_needs_command" -l color -d 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c attctl -n "__fish_attctl_needs_command" -l config -d 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]' -r -F
complete -c attctl -n "__fish_attctl_needs_command" -l profile -d 'Profile of the config file to use' -r
complete -c attctl -n "__fish_attctl_needs_command" -l backend -d 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]' -r -f -a "supabase\t''
local\t''"
complete -c attctl -n "__fish_attctl_needs_command" -l supabase-url -d 'Supabase project URL (the key is read from the environment, never from flags)' -r
complete -c attctl -n "__fish_attctl_needs_command" -l data-file -d 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]' -r -F
complete -c attctl -n "__fish_attctl_needs_command" -l timezone -d 'IANA timezone of session times [default: the machine\'s]' -r
complete -c attctl -n "__fish_attctl_needs_command" -l debug -d 'Log debug details to stderr (or set RUST_LOG)'
complete -c attctl -n "__fish_attctl_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c attctl -n "__fish_attctl_needs_command" -s V -l version -d 'Print version'
complete -c attctl -n "__fish_attctl_needs_command" -f -a "session" -d 'Create, list, close, reschedule and delete teaching sessions'
complete -c attctl -n "__fish_attctl_needs_command" -f -a "class" -d 'List and create classes'
complete -c attctl -n "__fish_attctl_needs_command" -f -a "doctor" -d 'Check configuration, connectivity, schema and the worker'
complete -c attctl -n "__fish_attctl_needs_command" -f -a "config" -d 'Show, locate or create the config file'
complete -c attctl -n "__fish_attctl_needs_command" -f -a "events" -d 'List session events (the outbox of notifications) and retry failed deliveries'
complete -c attctl -n "__fish_attctl_needs_command" -f -a "notify" -d 'Send a sample notification to the configured channels'
complete -c attctl -n "__fish_attctl_needs_command" -f -a "completions" -d 'Print a shell completion script to stdout'
complete -c attctl -n "__fish_attctl_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c attctl -n "__fish_attctl_using_subcommand session; and not __fish_seen_subcommand_from create list show close delete reschedule help" -s o -l output -d 'Output format [default: table on a terminal, json otherwise]' -r -f -a "table\t'Aligned columns for people (default on a terminal)'
json\t'One JSON document (default when piped)'
ndjson\t'One JSON object per line, streamed'"
complete -c attctl -n "__fish_attctl_using_subcommand session; and not __fish_seen_subcommand_from create list show close delete reschedule help" -l color -d 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c attctl -n "__fish_attctl_using_subcommand session; and not __fish_seen_subcommand_from create list show close delete reschedule help" -l config -d 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand session; and not __fish_seen_subcommand_from create list show close delete reschedule help" -l profile -d 'Profile of the config file to use' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and not __fish_seen_subcommand_from create list show close delete reschedule help" -l backend -d 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]' -r -f -a "supabase\t''
local\t''"
complete -c attctl -n "__fish_attctl_using_subcommand session; and not __fish_seen_subcommand_from create list show close delete reschedule help" -l supabase-url -d 'Supabase project URL (the key is read from the environment, never from flags)' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and not __fish_seen_subcommand_from create list show close delete reschedule help" -l data-file -d 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand session; and not __fish_seen_subcommand_from create list show close delete reschedule help" -l timezone -d 'IANA timezone of session times [default: the machine\'s]' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and not __fish_seen_subcommand_from create list show close delete reschedule help" -l debug -d 'Log debug details to stderr (or set RUST_LOG)'
complete -c attctl -n "__fish_attctl_using_subcommand session; and not __fish_seen_subcommand_from create list show close delete reschedule help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c attctl -n "__fish_attctl_using_subcommand session; and not __fish_seen_subcommand_from create list show close delete reschedule help" -s V -l version -d 'Print version'
complete -c attctl -n "__fish_attctl_using_subcommand session; and not __fish_seen_subcommand_from create list show close delete reschedule help" -f -a "create" -d 'Create a session; its automatic close is scheduled at its end'
complete -c attctl -n "__fish_attctl_using_subcommand session; and not __fish_seen_subcommand_from create list show close delete reschedule help" -f -a "list" -d 'List sessions, ordered by date then start time'
complete -c attctl -n "__fish_attctl_using_subcommand session; and not __fish_seen_subcommand_from create list show close delete reschedule help" -f -a "show" -d 'Show one session'
complete -c attctl -n "__fish_attctl_using_subcommand session; and not __fish_seen_subcommand_from create list show close delete reschedule help" -f -a "close" -d 'Close sessions now (a closed session is reported, not an error, unless --strict)'
complete -c attctl -n "__fish_attctl_using_subcommand session; and not __fish_seen_subcommand_from create list show close delete reschedule help" -f -a "delete" -d 'Delete sessions and cancel their automatic close'
complete -c attctl -n "__fish_attctl_using_subcommand session; and not __fish_seen_subcommand_from create list show close delete reschedule help" -f -a "reschedule" -d 'Move a session to new times and schedule its close again'
complete -c attctl -n "__fish_attctl_using_subcommand session; and not __fish_seen_subcommand_from create list show close delete reschedule help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from create" -l class -d 'Class id or exact name (prompted on a terminal when missing)' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from create" -l date -d 'Date: YYYY-MM-DD, today or tomorrow' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from create" -l start -d 'Start time: HH:MM or HH:MM:SS' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from create" -l end -d 'End time: HH:MM or HH:MM:SS, after the start' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from create" -s o -l output -d 'Output format [default: table on a terminal, json otherwise]' -r -f -a "table\t'Aligned columns for people (default on a terminal)'
json\t'One JSON document (default when piped)'
ndjson\t'One JSON object per line, streamed'"
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from create" -l color -d 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from create" -l config -d 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from create" -l profile -d 'Profile of the config file to use' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from create" -l backend -d 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]' -r -f -a "supabase\t''
local\t''"
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from create" -l supabase-url -d 'Supabase project URL (the key is read from the environment, never from flags)' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from create" -l data-file -d 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from create" -l timezone -d 'IANA timezone of session times [default: the machine\'s]' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from create" -l dry-run -d 'Print the requests it would make; change nothing'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from create" -l debug -d 'Log debug details to stderr (or set RUST_LOG)'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from create" -s V -l version -d 'Print version'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from list" -l class -d 'Only this class (id or exact name)' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from list" -l date -d 'Only this date (YYYY-MM-DD, today, tomorrow)' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from list" -l from -d 'From this date, inclusive' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from list" -l to -d 'Up to this date, inclusive' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from list" -l status -d 'Only Open or Closed sessions' -r -f -a "Open\t''
Closed\t''
open\t''
closed\t''"
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from list" -l limit -d 'At most this many sessions' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format [default: table on a terminal, json otherwise]' -r -f -a "table\t'Aligned columns for people (default on a terminal)'
json\t'One JSON document (default when piped)'
ndjson\t'One JSON object per line, streamed'"
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from list" -l color -d 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from list" -l config -d 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from list" -l profile -d 'Profile of the config file to use' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from list" -l backend -d 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]' -r -f -a "supabase\t''
local\t''"
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from list" -l supabase-url -d 'Supabase project URL (the key is read from the environment, never from flags)' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from list" -l data-file -d 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from list" -l timezone -d 'IANA timezone of session times [default: the machine\'s]' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from list" -l all -d 'Every matching session, page by page (ignores --limit)'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from list" -l debug -d 'Log debug details to stderr (or set RUST_LOG)'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from show" -s o -l output -d 'Output format [default: table on a terminal, json otherwise]' -r -f -a "table\t'Aligned columns for people (default on a terminal)'
json\t'One JSON document (default when piped)'
ndjson\t'One JSON object per line, streamed'"
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from show" -l color -d 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from show" -l config -d 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from show" -l profile -d 'Profile of the config file to use' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from show" -l backend -d 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]' -r -f -a "supabase\t''
local\t''"
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from show" -l supabase-url -d 'Supabase project URL (the key is read from the environment, never from flags)' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from show" -l data-file -d 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from show" -l timezone -d 'IANA timezone of session times [default: the machine\'s]' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from show" -l debug -d 'Log debug details to stderr (or set RUST_LOG)'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from close" -s o -l output -d 'Output format [default: table on a terminal, json otherwise]' -r -f -a "table\t'Aligned columns for people (default on a terminal)'
json\t'One JSON document (default when piped)'
ndjson\t'One JSON object per line, streamed'"
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from close" -l color -d 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from close" -l config -d 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from close" -l profile -d 'Profile of the config file to use' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from close" -l backend -d 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]' -r -f -a "supabase\t''
local\t''"
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from close" -l supabase-url -d 'Supabase project URL (the key is read from the environment, never from flags)' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from close" -l data-file -d 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from close" -l timezone -d 'IANA timezone of session times [default: the machine\'s]' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from close" -l strict -d 'Fail if a session is already closed'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from close" -l dry-run -d 'Print the requests it would make; change nothing'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from close" -l debug -d 'Log debug details to stderr (or set RUST_LOG)'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from close" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from close" -s V -l version -d 'Print version'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from delete" -s o -l output -d 'Output format [default: table on a terminal, json otherwise]' -r -f -a "table\t'Aligned columns for people (default on a terminal)'
json\t'One JSON document (default when piped)'
ndjson\t'One JSON object per line, streamed'"
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from delete" -l color -d 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from delete" -l config -d 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from delete" -l profile -d 'Profile of the config file to use' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from delete" -l backend -d 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]' -r -f -a "supabase\t''
local\t''"
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from delete" -l supabase-url -d 'Supabase project URL (the key is read from the environment, never from flags)' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from delete" -l data-file -d 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from delete" -l timezone -d 'IANA timezone of session times [default: the machine\'s]' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from delete" -s y -l yes -d 'Do not ask for confirmation (required when not on a terminal)'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from delete" -l dry-run -d 'Print the requests it would make; change nothing'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from delete" -l debug -d 'Log debug details to stderr (or set RUST_LOG)'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from delete" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from delete" -s V -l version -d 'Print version'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from reschedule" -l date -d 'New date (YYYY-MM-DD, today, tomorrow)' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from reschedule" -l start -d 'New start time' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from reschedule" -l end -d 'New end time' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from reschedule" -s o -l output -d 'Output format [default: table on a terminal, json otherwise]' -r -f -a "table\t'Aligned columns for people (default on a terminal)'
json\t'One JSON document (default when piped)'
ndjson\t'One JSON object per line, streamed'"
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from reschedule" -l color -d 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from reschedule" -l config -d 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from reschedule" -l profile -d 'Profile of the config file to use' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from reschedule" -l backend -d 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]' -r -f -a "supabase\t''
local\t''"
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from reschedule" -l supabase-url -d 'Supabase project URL (the key is read from the environment, never from flags)' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from reschedule" -l data-file -d 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from reschedule" -l timezone -d 'IANA timezone of session times [default: the machine\'s]' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from reschedule" -l reopen -d 'Reopen a Closed session whose new end is in the future'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from reschedule" -l dry-run -d 'Print the requests it would make; change nothing'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from reschedule" -l debug -d 'Log debug details to stderr (or set RUST_LOG)'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from reschedule" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from reschedule" -s V -l version -d 'Print version'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from help" -f -a "create" -d 'Create a session; its automatic close is scheduled at its end'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from help" -f -a "list" -d 'List sessions, ordered by date then start time'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show one session'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from help" -f -a "close" -d 'Close sessions now (a closed session is reported, not an error, unless --strict)'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from help" -f -a "delete" -d 'Delete sessions and cancel their automatic close'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from help" -f -a "reschedule" -d 'Move a session to new times and schedule its close again'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c attctl -n "__fish_attctl_using_subcommand class; and not __fish_seen_subcommand_from list create help" -s o -l output -d 'Output format [default: table on a terminal, json otherwise]' -r -f -a "table\t'Aligned columns for people (default on a terminal)'
json\t'One JSON document (default when piped)'
ndjson\t'One JSON object per line, streamed'"
complete -c attctl -n "__fish_attctl_using_subcommand class; and not __fish_seen_subcommand_from list create help" -l color -d 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c attctl -n "__fish_attctl_using_subcommand class; and not __fish_seen_subcommand_from list create help" -l config -d 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand class; and not __fish_seen_subcommand_from list create help" -l profile -d 'Profile of the config file to use' -r
complete -c attctl -n "__fish_attctl_using_subcommand class; and not __fish_seen_subcommand_from list create help" -l backend -d 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]' -r -f -a "supabase\t''
local\t''"
complete -c attctl -n "__fish_attctl_using_subcommand class; and not __fish_seen_subcommand_from list create help" -l supabase-url -d 'Supabase project URL (the key is read from the environment, never from flags)' -r
complete -c attctl -n "__fish_attctl_using_subcommand class; and not __fish_seen_subcommand_from list create help" -l data-file -d 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand class; and not __fish_seen_subcommand_from list create help" -l timezone -d 'IANA timezone of session times [default: the machine\'s]' -r
complete -c attctl -n "__fish_attctl_using_subcommand class; and not __fish_seen_subcommand_from list create help" -l debug -d 'Log debug details to stderr (or set RUST_LOG)'
complete -c attctl -n "__fish_attctl_using_subcommand class; and not __fish_seen_subcommand_from list create help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c attctl -n "__fish_attctl_using_subcommand class; and not __fish_seen_subcommand_from list create help" -s V -l version -d 'Print version'
complete -c attctl -n "__fish_attctl_using_subcommand class; and not __fish_seen_subcommand_from list create help" -f -a "list" -d 'List classes'
complete -c attctl -n "__fish_attctl_using_subcommand class; and not __fish_seen_subcommand_from list create help" -f -a "create" -d 'Create a class'
complete -c attctl -n "__fish_attctl_using_subcommand class; and not __fish_seen_subcommand_from list create help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format [default: table on a terminal, json otherwise]' -r -f -a "table\t'Aligned columns for people (default on a terminal)'
json\t'One JSON document (default when piped)'
ndjson\t'One JSON object per line, streamed'"
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from list" -l color -d 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from list" -l config -d 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from list" -l profile -d 'Profile of the config file to use' -r
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from list" -l backend -d 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]' -r -f -a "supabase\t''
local\t''"
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from list" -l supabase-url -d 'Supabase project URL (the key is read from the environment, never from flags)' -r
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from list" -l data-file -d 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from list" -l timezone -d 'IANA timezone of session times [default: the machine\'s]' -r
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from list" -l debug -d 'Log debug details to stderr (or set RUST_LOG)'
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from create" -l name -d 'Class name (unique)' -r
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from create" -s o -l output -d 'Output format [default: table on a terminal, json otherwise]' -r -f -a "table\t'Aligned columns for people (default on a terminal)'
json\t'One JSON document (default when piped)'
ndjson\t'One JSON object per line, streamed'"
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from create" -l color -d 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from create" -l config -d 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from create" -l profile -d 'Profile of the config file to use' -r
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from create" -l backend -d 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]' -r -f -a "supabase\t''
local\t''"
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from create" -l supabase-url -d 'Supabase project URL (the key is read from the environment, never from flags)' -r
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from create" -l data-file -d 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from create" -l timezone -d 'IANA timezone of session times [default: the machine\'s]' -r
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from create" -l debug -d 'Log debug details to stderr (or set RUST_LOG)'
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from create" -s V -l version -d 'Print version'
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from help" -f -a "list" -d 'List classes'
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from help" -f -a "create" -d 'Create a class'
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c attctl -n "__fish_attctl_using_subcommand doctor" -s o -l output -d 'Output format [default: table on a terminal, json otherwise]' -r -f -a "table\t'Aligned columns for people (default on a terminal)'
json\t'One JSON document (default when piped)'
ndjson\t'One JSON object per line, streamed'"
complete -c attctl -n "__fish_attctl_using_subcommand doctor" -l color -d 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c attctl -n "__fish_attctl_using_subcommand doctor" -l config -d 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand doctor" -l profile -d 'Profile of the config file to use' -r
complete -c attctl -n "__fish_attctl_using_subcommand doctor" -l backend -d 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]' -r -f -a "supabase\t''
local\t''"
complete -c attctl -n "__fish_attctl_using_subcommand doctor" -l supabase-url -d 'Supabase project URL (the key is read from the environment, never from flags)' -r
complete -c attctl -n "__fish_attctl_using_subcommand doctor" -l data-file -d 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand doctor" -l timezone -d 'IANA timezone of session times [default: the machine\'s]' -r
complete -c attctl -n "__fish_attctl_using_subcommand doctor" -l repair -d 'Also repair old rows where the fix has one meaning (status case, closes_at)'
complete -c attctl -n "__fish_attctl_using_subcommand doctor" -l dry-run -d 'With --repair: list what would be repaired; change nothing'
complete -c attctl -n "__fish_attctl_using_subcommand doctor" -l debug -d 'Log debug details to stderr (or set RUST_LOG)'
complete -c attctl -n "__fish_attctl_using_subcommand doctor" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c attctl -n "__fish_attctl_using_subcommand doctor" -s V -l version -d 'Print version'
complete -c attctl -n "__fish_attctl_using_subcommand config; and not __fish_seen_subcommand_from show path init help" -s o -l output -d 'Output format [default: table on a terminal, json otherwise]' -r -f -a "table\t'Aligned columns for people (default on a terminal)'
json\t'One JSON document (default when piped)'
ndjson\t'One JSON object per line, streamed'"
complete -c attctl -n "__fish_attctl_using_subcommand config; and not __fish_seen_subcommand_from show path init help" -l color -d 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c attctl -n "__fish_attctl_using_subcommand config; and not __fish_seen_subcommand_from show path init help" -l config -d 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand config; and not __fish_seen_subcommand_from show path init help" -l profile -d 'Profile of the config file to use' -r
complete -c attctl -n "__fish_attctl_using_subcommand config; and not __fish_seen_subcommand_from show path init help" -l backend -d 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]' -r -f -a "supabase\t''
local\t''"
complete -c attctl -n "__fish_attctl_using_subcommand config; and not __fish_seen_subcommand_from show path init help" -l supabase-url -d 'Supabase project URL (the key is read from the environment, never from flags)' -r
complete -c attctl -n "__fish_attctl_using_subcommand config; and not __fish_seen_subcommand_from show path init help" -l data-file -d 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand config; and not __fish_seen_subcommand_from show path init help" -l timezone -d 'IANA timezone of session times [default: the machine\'s]' -r
complete -c attctl -n "__fish_attctl_using_subcommand config; and not __fish_seen_subcommand_from show path init help" -l debug -d 'Log debug details to stderr (or set RUST_LOG)'
complete -c attctl -n "__fish_attctl_using_subcommand config; and not __fish_seen_subcommand_from show path init help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c attctl -n "__fish_attctl_using_subcommand config; and not __fish_seen_subcommand_from show path init help" -s V -l version -d 'Print version'
complete -c attctl -n "__fish_attctl_using_subcommand config; and not __fish_seen_subcommand_from show path init help" -f -a "show" -d 'Show the resolved settings and where each came from (secrets masked)'
complete -c attctl -n "__fish_attctl_using_subcommand config; and not __fish_seen_subcommand_from show path init help" -f -a "path" -d 'Print the config file\'s path'
complete -c attctl -n "__fish_attctl_using_subcommand config; and not __fish_seen_subcommand_from show path init help" -f -a "init" -d 'Write a commented config file (mode 0600)'
complete -c attctl -n "__fish_attctl_using_subcommand config; and not __fish_seen_subcommand_from show path init help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c attctl -n "__fish_attctl_using_subcommand config; and __fish_seen_subcommand_from show" -s o -l output -d 'Output format [default: table on a terminal, json otherwise]' -r -f -a "table\t'Aligned columns for people (default on a terminal)'
json\t'One JSON document (default when piped)'
ndjson\t'One JSON object per line, streamed'"
complete -c attctl -n "__fish_attctl_using_subcommand config; and __fish_seen_subcommand_from show" -l color -d 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c attctl -n "__fish_attctl_using_subcommand config; and __fish_seen_subcommand_from show" -l config -d 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand config; and __fish_seen_subcommand_from show" -l profile -d 'Profile of the config file to use' -r
complete -c attctl -n "__fish_attctl_using_subcommand config; and __fish_seen_subcommand_from show" -l backend -d 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]' -r -f -a "supabase\t''
local\t''"
complete -c attctl -n "__fish_attctl_using_subcommand config; and __fish_seen_subcommand_from show" -l supabase-url -d 'Supabase project URL (the key is read from the environment, never from flags)' -r
complete -c attctl -n "__fish_attctl_using_subcommand config; and __fish_seen_subcommand_from show" -l data-file -d 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand config; and __fish_seen_subcommand_from show" -l timezone -d 'IANA timezone of session times [default: the machine\'s]' -r
complete -c attctl -n "__fish_attctl_using_subcommand config; and __fish_seen_subcommand_from show" -l debug -d 'Log debug details to stderr (or set RUST_LOG)'
complete -c attctl -n "__fish_attctl_using_subcommand config; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c attctl -n "__fish_attctl_using_subcommand config; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c attctl -n "__fish_attctl_using_subcommand config; and __fish_seen_subcommand_from path" -s o -l output -d 'Output format [default: table on a terminal, json otherwise]' -r -f -a "table\t'Aligned columns for people (default on a terminal)'
json\t'One JSON document (default when piped)'
ndjson\t'One JSON object per line, streamed'"
complete -c attctl -n "__fish_attctl_using_subcommand config; and __fish_seen_subcommand_from path" -l color -d 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c attctl -n "__fish_attctl_using_subcommand config; and __fish_seen_subcommand_from path" -l config -d 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand config; and __fish_seen_subcommand_from path" -l profile -d 'Profile of the config file to use' -r
complete -c attctl -n "__fish_attctl_using_subcommand config; and __fish_seen_subcommand_from path" -l backend -d 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]' -r -f -a "supabase\t''
local\t''"
complete -c attctl -n "__fish_attctl_using_subcommand config; and __fish_seen_subcommand_from path" -l supabase-url -d 'Supabase project URL (the key is read from the environment, never from flags)' -r
complete -c attctl -n "__fish_attctl_using_subcommand config; and __fish_seen_subcommand_from path" -l data-file -d 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand config; and __fish_seen_subcommand_from path" -l timezone -d 'IANA timezone of session times [default: the machine\'s]' -r
complete -c attctl -n "__fish_attctl_using_subcommand config; and __fish_seen_subcommand_from path" -l debug -d 'Log debug details to stderr (or set RUST_LOG)'
complete -c attctl -n "__fish_attctl_using_subcommand config; and __fish_seen_subcommand_from path" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c attctl -n "__fish_attctl_using_subcommand config; and __fish_seen_subcommand_from path" -s V -l version -d 'Print version'
complete -c attctl -n "__fish_attctl_using_subcommand config; and __fish_seen_subcommand_from init" -s o -l output -d 'Output format [default: table on a terminal, json otherwise]' -r -f -a "table\t'Aligned columns for people (default on a terminal)'
json\t'One JSON document (default when piped)'
ndjson\t'One JSON object per line, streamed'"
complete -c attctl -n "__fish_attctl_using_subcommand config; and __fish_seen_subcommand_from init" -l color -d 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c attctl -n "__fish_attctl_using_subcommand config; and __fish_seen_subcommand_from init" -l config -d 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand config; and __fish_seen_subcommand_from init" -l profile -d 'Profile of the config file to use' -r
complete -c attctl -n "__fish_attctl_using_subcommand config; and __fish_seen_subcommand_from init" -l backend -d 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]' -r -f -a "supabase\t''
local\t''"
complete -c attctl -n "__fish_attctl_using_subcommand config; and __fish_seen_subcommand_from init" -l supabase-url -d 'Supabase project URL (the key is read from the environment, never from flags)' -r
complete -c attctl -n "__fish_attctl_using_subcommand config; and __fish_seen_subcommand_from init" -l data-file -d 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand config; and __fish_seen_subcommand_from init" -l timezone -d 'IANA timezone of session times [default: the machine\'s]' -r
complete -c attctl -n "__fish_attctl_using_subcommand config; and __fish_seen_subcommand_from init" -l force -d 'Overwrite an existing file'
complete -c attctl -n "__fish_attctl_using_subcommand config; and __fish_seen_subcommand_from init" -l debug -d 'Log debug details to stderr (or set RUST_LOG)'
complete -c attctl -n "__fish_attctl_using_subcommand config; and __fish_seen_subcommand_from init" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c attctl -n "__fish_attctl_using_subcommand config; and __fish_seen_subcommand_from init" -s V -l version -d 'Print version'
complete -c attctl -n "__fish_attctl_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show the resolved settings and where each came from (secrets masked)'
complete -c attctl -n "__fish_attctl_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "path" -d 'Print the config file\'s path'
complete -c attctl -n "__fish_attctl_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "init" -d 'Write a commented config file (mode 0600)'
complete -c attctl -n "__fish_attctl_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c attctl -n "__fish_attctl_using_subcommand events; and not __fish_seen_subcommand_from list retry help" -s o -l output -d 'Output format [default: table on a terminal, json otherwise]' -r -f -a "table\t'Aligned columns for people (default on a terminal)'
json\t'One JSON document (default when piped)'
ndjson\t'One JSON object per line, streamed'"
complete -c attctl -n "__fish_attctl_using_subcommand events; and not __fish_seen_subcommand_from list retry help" -l color -d 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c attctl -n "__fish_attctl_using_subcommand events; and not __fish_seen_subcommand_from list retry help" -l config -d 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand events; and not __fish_seen_subcommand_from list retry help" -l profile -d 'Profile of the config file to use' -r
complete -c attctl -n "__fish_attctl_using_subcommand events; and not __fish_seen_subcommand_from list retry help" -l backend -d 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]' -r -f -a "supabase\t''
local\t''"
complete -c attctl -n "__fish_attctl_using_subcommand events; and not __fish_seen_subcommand_from list retry help" -l supabase-url -d 'Supabase project URL (the key is read from the environment, never from flags)' -r
complete -c attctl -n "__fish_attctl_using_subcommand events; and not __fish_seen_subcommand_from list retry help" -l data-file -d 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand events; and not __fish_seen_subcommand_from list retry help" -l timezone -d 'IANA timezone of session times [default: the machine\'s]' -r
complete -c attctl -n "__fish_attctl_using_subcommand events; and not __fish_seen_subcommand_from list retry help" -l debug -d 'Log debug details to stderr (or set RUST_LOG)'
complete -c attctl -n "__fish_attctl_using_subcommand events; and not __fish_seen_subcommand_from list retry help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c attctl -n "__fish_attctl_using_subcommand events; and not __fish_seen_subcommand_from list retry help" -s V -l version -d 'Print version'
complete -c attctl -n "__fish_attctl_using_subcommand events; and not __fish_seen_subcommand_from list retry help" -f -a "list" -d 'List recorded events, oldest first, with their delivery state'
complete -c attctl -n "__fish_attctl_using_subcommand events; and not __fish_seen_subcommand_from list retry help" -f -a "retry" -d 'Deliver again: one event by id, or every failed one'
complete -c attctl -n "__fish_attctl_using_subcommand events; and not __fish_seen_subcommand_from list retry help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c attctl -n "__fish_attctl_using_subcommand events; and __fish_seen_subcommand_from list" -l since -d 'Only events since: a duration back from now (30s, 10m, 1h, 2d), a date (YYYY-MM-DD, today) or an RFC 3339 instant' -r
complete -c attctl -n "__fish_attctl_using_subcommand events; and __fish_seen_subcommand_from list" -l type -d 'Only this type, e.g. session.closed' -r
complete -c attctl -n "__fish_attctl_using_subcommand events; and __fish_seen_subcommand_from list" -l state -d 'Only this delivery state' -r -f -a "pending\t''
delivered\t''
failed\t''"
complete -c attctl -n "__fish_attctl_using_subcommand events; and __fish_seen_subcommand_from list" -l limit -d 'Most events shown' -r
complete -c attctl -n "__fish_attctl_using_subcommand events; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format [default: table on a terminal, json otherwise]' -r -f -a "table\t'Aligned columns for people (default on a terminal)'
json\t'One JSON document (default when piped)'
ndjson\t'One JSON object per line, streamed'"
complete -c attctl -n "__fish_attctl_using_subcommand events; and __fish_seen_subcommand_from list" -l color -d 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c attctl -n "__fish_attctl_using_subcommand events; and __fish_seen_subcommand_from list" -l config -d 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand events; and __fish_seen_subcommand_from list" -l profile -d 'Profile of the config file to use' -r
complete -c attctl -n "__fish_attctl_using_subcommand events; and __fish_seen_subcommand_from list" -l backend -d 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]' -r -f -a "supabase\t''
local\t''"
complete -c attctl -n "__fish_attctl_using_subcommand events; and __fish_seen_subcommand_from list" -l supabase-url -d 'Supabase project URL (the key is read from the environment, never from flags)' -r
complete -c attctl -n "__fish_attctl_using_subcommand events; and __fish_seen_subcommand_from list" -l data-file -d 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand events; and __fish_seen_subcommand_from list" -l timezone -d 'IANA timezone of session times [default: the machine\'s]' -r
complete -c attctl -n "__fish_attctl_using_subcommand events; and __fish_seen_subcommand_from list" -l debug -d 'Log debug details to stderr (or set RUST_LOG)'
complete -c attctl -n "__fish_attctl_using_subcommand events; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c attctl -n "__fish_attctl_using_subcommand events; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c attctl -n "__fish_attctl_using_subcommand events; and __fish_seen_subcommand_from retry" -s o -l output -d 'Output format [default: table on a terminal, json otherwise]' -r -f -a "table\t'Aligned columns for people (default on a terminal)'
json\t'One JSON document (default when piped)'
ndjson\t'One JSON object per line, streamed'"
complete -c attctl -n "__fish_attctl_using_subcommand events; and __fish_seen_subcommand_from retry" -l color -d 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c attctl -n "__fish_attctl_using_subcommand events; and __fish_seen_subcommand_from retry" -l config -d 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand events; and __fish_seen_subcommand_from retry" -l profile -d 'Profile of the config file to use' -r
complete -c attctl -n "__fish_attctl_using_subcommand events; and __fish_seen_subcommand_from retry" -l backend -d 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]' -r -f -a "supabase\t''
local\t''"
complete -c attctl -n "__fish_attctl_using_subcommand events; and __fish_seen_subcommand_from retry" -l supabase-url -d 'Supabase project URL (the key is read from the environment, never from flags)' -r
complete -c attctl -n "__fish_attctl_using_subcommand events; and __fish_seen_subcommand_from retry" -l data-file -d 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand events; and __fish_seen_subcommand_from retry" -l timezone -d 'IANA timezone of session times [default: the machine\'s]' -r
complete -c attctl -n "__fish_attctl_using_subcommand events; and __fish_seen_subcommand_from retry" -l failed -d 'Every failed event'
complete -c attctl -n "__fish_attctl_using_subcommand events; and __fish_seen_subcommand_from retry" -l debug -d 'Log debug details to stderr (or set RUST_LOG)'
complete -c attctl -n "__fish_attctl_using_subcommand events; and __fish_seen_subcommand_from retry" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c attctl -n "__fish_attctl_using_subcommand events; and __fish_seen_subcommand_from retry" -s V -l version -d 'Print version'
complete -c attctl -n "__fish_attctl_using_subcommand events; and __fish_seen_subcommand_from help" -f -a "list" -d 'List recorded events, oldest first, with their delivery state'
complete -c attctl -n "__fish_attctl_using_subcommand events; and __fish_seen_subcommand_from help" -f -a "retry" -d 'Deliver again: one event by id, or every failed one'
complete -c attctl -n "__fish_attctl_using_subcommand events; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c attctl -n "__fish_attctl_using_subcommand notify; and not __fish_seen_subcommand_from test help" -s o -l output -d 'Output format [default: table on a terminal, json otherwise]' -r -f -a "table\t'Aligned columns for people (default on a terminal)'
json\t'One JSON document (default when piped)'
ndjson\t'One JSON object per line, streamed'"
complete -c attctl -n "__fish_attctl_using_subcommand notify; and not __fish_seen_subcommand_from test help" -l color -d 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c attctl -n "__fish_attctl_using_subcommand notify; and not __fish_seen_subcommand_from test help" -l config -d 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand notify; and not __fish_seen_subcommand_from test help" -l profile -d 'Profile of the config file to use' -r
complete -c attctl -n "__fish_attctl_using_subcommand notify; and not __fish_seen_subcommand_from test help" -l backend -d 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]' -r -f -a "supabase\t''
local\t''"
complete -c attctl -n "__fish_attctl_using_subcommand notify; and not __fish_seen_subcommand_from test help" -l supabase-url -d 'Supabase project URL (the key is read from the environment, never from flags)' -r
complete -c attctl -n "__fish_attctl_using_subcommand notify; and not __fish_seen_subcommand_from test help" -l data-file -d 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand notify; and not __fish_seen_subcommand_from test help" -l timezone -d 'IANA timezone of session times [default: the machine\'s]' -r
complete -c attctl -n "__fish_attctl_using_subcommand notify; and not __fish_seen_subcommand_from test help" -l debug -d 'Log debug details to stderr (or set RUST_LOG)'
complete -c attctl -n "__fish_attctl_using_subcommand notify; and not __fish_seen_subcommand_from test help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c attctl -n "__fish_attctl_using_subcommand notify; and not __fish_seen_subcommand_from test help" -s V -l version -d 'Print version'
complete -c attctl -n "__fish_attctl_using_subcommand notify; and not __fish_seen_subcommand_from test help" -f -a "test" -d 'Send a sample event and report each receiver\'s answer'
complete -c attctl -n "__fish_attctl_using_subcommand notify; and not __fish_seen_subcommand_from test help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c attctl -n "__fish_attctl_using_subcommand notify; and __fish_seen_subcommand_from test" -l channel -d 'Only this channel (default: every configured one)' -r -f -a "webhook\t''
slack\t''
email\t''"
complete -c attctl -n "__fish_attctl_using_subcommand notify; and __fish_seen_subcommand_from test" -s o -l output -d 'Output format [default: table on a terminal, json otherwise]' -r -f -a "table\t'Aligned columns for people (default on a terminal)'
json\t'One JSON document (default when piped)'
ndjson\t'One JSON object per line, streamed'"
complete -c attctl -n "__fish_attctl_using_subcommand notify; and __fish_seen_subcommand_from test" -l color -d 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c attctl -n "__fish_attctl_using_subcommand notify; and __fish_seen_subcommand_from test" -l config -d 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand notify; and __fish_seen_subcommand_from test" -l profile -d 'Profile of the config file to use' -r
complete -c attctl -n "__fish_attctl_using_subcommand notify; and __fish_seen_subcommand_from test" -l backend -d 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]' -r -f -a "supabase\t''
local\t''"
complete -c attctl -n "__fish_attctl_using_subcommand notify; and __fish_seen_subcommand_from test" -l supabase-url -d 'Supabase project URL (the key is read from the environment, never from flags)' -r
complete -c attctl -n "__fish_attctl_using_subcommand notify; and __fish_seen_subcommand_from test" -l data-file -d 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand notify; and __fish_seen_subcommand_from test" -l timezone -d 'IANA timezone of session times [default: the machine\'s]' -r
complete -c attctl -n "__fish_attctl_using_subcommand notify; and __fish_seen_subcommand_from test" -l debug -d 'Log debug details to stderr (or set RUST_LOG)'
complete -c attctl -n "__fish_attctl_using_subcommand notify; and __fish_seen_subcommand_from test" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c attctl -n "__fish_attctl_using_subcommand notify; and __fish_seen_subcommand_from test" -s V -l version -d 'Print version'
complete -c attctl -n "__fish_attctl_using_subcommand notify; and __fish_seen_subcommand_from help" -f -a "test" -d 'Send a sample event and report each receiver\'s answer'
complete -c attctl -n "__fish_attctl_using_subcommand notify; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c attctl -n "__fish_attctl_using_subcommand completions" -s o -l output -d 'Output format [default: table on a terminal, json otherwise]' -r -f -a "table\t'Aligned columns for people (default on a terminal)'
json\t'One JSON document (default when piped)'
ndjson\t'One JSON object per line, streamed'"
complete -c attctl -n "__fish_attctl_using_subcommand completions" -l color -d 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c attctl -n "__fish_attctl_using_subcommand completions" -l config -d 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand completions" -l profile -d 'Profile of the config file to use' -r
complete -c attctl -n "__fish_attctl_using_subcommand completions" -l backend -d 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]' -r -f -a "supabase\t''
local\t''"
complete -c attctl -n "__fish_attctl_using_subcommand completions" -l supabase-url -d 'Supabase project URL (the key is read from the environment, never from flags)' -r
complete -c attctl -n "__fish_attctl_using_subcommand completions" -l data-file -d 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand completions" -l timezone -d 'IANA timezone of session times [default: the machine\'s]' -r
complete -c attctl -n "__fish_attctl_using_subcommand completions" -l debug -d 'Log debug details to stderr (or set RUST_LOG)'
complete -c attctl -n "__fish_attctl_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c attctl -n "__fish_attctl_using_subcommand completions" -s V -l version -d 'Print version'
complete -c attctl -n "__fish_attctl_using_subcommand help; and not __fish_seen_subcommand_from session class doctor config events notify completions help" -f -a "session" -d 'Create, list, close, reschedule and delete teaching sessions'
complete -c attctl -n "__fish_attctl_using_subcommand help; and not __fish_seen_subcommand_from session class doctor config events notify completions help" -f -a "class" -d 'List and create classes'
complete -c attctl -n "__fish_attctl_using_subcommand help; and not __fish_seen_subcommand_from session class doctor config events notify completions help" -f -a "doctor" -d 'Check configuration, connectivity, schema and the worker'
complete -c attctl -n "__fish_attctl_using_subcommand help; and not __fish_seen_subcommand_from session class doctor config events notify completions help" -f -a "config" -d 'Show, locate or create the config file'
complete -c attctl -n "__fish_attctl_using_subcommand help; and not __fish_seen_subcommand_from session class doctor config events notify completions help" -f -a "events" -d 'List session events (the outbox of notifications) and retry failed deliveries'
complete -c attctl -n "__fish_attctl_using_subcommand help; and not __fish_seen_subcommand_from session class doctor config events notify completions help" -f -a "notify" -d 'Send a sample notification to the configured channels'
complete -c attctl -n "__fish_attctl_using_subcommand help; and not __fish_seen_subcommand_from session class doctor config events notify completions help" -f -a "completions" -d 'Print a shell completion script to stdout'
complete -c attctl -n "__fish_attctl_using_subcommand help; and not __fish_seen_subcommand_from session class doctor config events notify completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c attctl -n "__fish_attctl_using_subcommand help; and __fish_seen_subcommand_from session" -f -a "create" -d 'Create a session; its automatic close is scheduled at its end'
complete -c attctl -n "__fish_attctl_using_subcommand help; and __fish_seen_subcommand_from session" -f -a "list" -d 'List sessions, ordered by date then start time'
complete -c attctl -n "__fish_attctl_using_subcommand help; and __fish_seen_subcommand_from session" -f -a "show" -d 'Show one session'
complete -c attctl -n "__fish_attctl_using_subcommand help; and __fish_seen_subcommand_from session" -f -a "close" -d 'Close sessions now (a closed session is reported, not an error, unless --strict)'
complete -c attctl -n "__fish_attctl_using_subcommand help; and __fish_seen_subcommand_from session" -f -a "delete" -d 'Delete sessions and cancel their automatic close'
complete -c attctl -n "__fish_attctl_using_subcommand help; and __fish_seen_subcommand_from session" -f -a "reschedule" -d 'Move a session to new times and schedule its close again'
complete -c attctl -n "__fish_attctl_using_subcommand help; and __fish_seen_subcommand_from class" -f -a "list" -d 'List classes'
complete -c attctl -n "__fish_attctl_using_subcommand help; and __fish_seen_subcommand_from class" -f -a "create" -d 'Create a class'
complete -c attctl -n "__fish_attctl_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "show" -d 'Show the resolved settings and where each came from (secrets masked)'
complete -c attctl -n "__fish_attctl_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "path" -d 'Print the config file\'s path'
complete -c attctl -n "__fish_attctl_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "init" -d 'Write a commented config file (mode 0600)'
complete -c attctl -n "__fish_attctl_using_subcommand help; and __fish_seen_subcommand_from events" -f -a "list" -d 'List recorded events, oldest first, with their delivery state'
complete -c attctl -n "__fish_attctl_using_subcommand help; and __fish_seen_subcommand_from events" -f -a "retry" -d 'Deliver again: one event by id, or every failed one'
complete -c attctl -n "__fish_attctl_using_subcommand help; and __fish_seen_subcommand_from notify" -f -a "test" -d 'Send a sample event and report each receiver\'s answer'
