# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_attctl_global_optspecs
    string join \n o/output= color= v/verbose config= profile= backend= supabase-url= data-file= timezone= debug h/help V/version
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

complete -c attctl -n "__fish_attctl_needs_command" -s o -l output -d 'Output format [default: table on a terminal, json otherwise]' -r -f -a "table\t'Aligned columns for people (default on a terminal), fitted to its width: one line a row, long names cut with …, internal ids (run and event ids) left out'
wide\t'The table with every column (run and event ids, exact instants) and every cell whole'
json\t'One JSON document (default when piped)'
ndjson\t'One JSON object per line, streamed'
csv\t'Comma-separated values with a header row (reports; lists print their table columns)'"
complete -c attctl -n "__fish_attctl_needs_command" -l color -d 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c attctl -n "__fish_attctl_needs_command" -l config -d 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]' -r -F
complete -c attctl -n "__fish_attctl_needs_command" -l profile -d 'Profile of the config file to use' -r
complete -c attctl -n "__fish_attctl_needs_command" -l backend -d 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]' -r -f -a "supabase\t''
local\t''"
complete -c attctl -n "__fish_attctl_needs_command" -l supabase-url -d 'Supabase project URL (the key is read from the environment, never from flags)' -r
complete -c attctl -n "__fish_attctl_needs_command" -l data-file -d 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]' -r -F
complete -c attctl -n "__fish_attctl_needs_command" -l timezone -d 'IANA timezone of session times [default: the school\'s (attctl school set), else the machine\'s]' -r
complete -c attctl -n "__fish_attctl_needs_command" -s v -l verbose -d 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
complete -c attctl -n "__fish_attctl_needs_command" -l debug -d 'Log debug details to stderr (or set RUST_LOG)'
complete -c attctl -n "__fish_attctl_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c attctl -n "__fish_attctl_needs_command" -s V -l version -d 'Print version'
complete -c attctl -n "__fish_attctl_needs_command" -f -a "session" -d 'Create, list, close, reschedule and delete teaching sessions'
complete -c attctl -n "__fish_attctl_needs_command" -f -a "class" -d 'List, create, rename and delete classes'
complete -c attctl -n "__fish_attctl_needs_command" -f -a "status" -d 'Today at a glance: sessions open now, the next closes, overdue ones, the worker'
complete -c attctl -n "__fish_attctl_needs_command" -f -a "holiday" -d 'School holidays: no session is generated on them'
complete -c attctl -n "__fish_attctl_needs_command" -f -a "school" -d 'The school\'s settings kept with its data: its time zone, its default session type'
complete -c attctl -n "__fish_attctl_needs_command" -f -a "doctor" -d 'Check configuration, connectivity, schema and the worker'
complete -c attctl -n "__fish_attctl_needs_command" -f -a "report" -d 'Closure analytics: who closes sessions, how late, and what is still open'
complete -c attctl -n "__fish_attctl_needs_command" -f -a "login" -d 'Sign in as yourself (a staff machine has SUPABASE_URL and the anon key only)'
complete -c attctl -n "__fish_attctl_needs_command" -f -a "logout" -d 'Sign out: revoke this machine\'s session at Supabase Auth and forget it'
complete -c attctl -n "__fish_attctl_needs_command" -f -a "whoami" -d 'Who is signed in here: email, user id, role and classes'
complete -c attctl -n "__fish_attctl_needs_command" -f -a "staff" -d 'Staff accounts: who may sign in, as teacher (their classes) or admin (everything)'
complete -c attctl -n "__fish_attctl_needs_command" -f -a "config" -d 'Show, locate or create the config file'
complete -c attctl -n "__fish_attctl_needs_command" -f -a "events" -d 'List session events (the outbox of notifications) and retry failed deliveries'
complete -c attctl -n "__fish_attctl_needs_command" -f -a "notify" -d 'Send a sample notification to the configured channels'
complete -c attctl -n "__fish_attctl_needs_command" -f -a "completions" -d 'Print a shell completion script to stdout'
complete -c attctl -n "__fish_attctl_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c attctl -n "__fish_attctl_using_subcommand session; and not __fish_seen_subcommand_from create list show close delete reschedule generate import export help" -s o -l output -d 'Output format [default: table on a terminal, json otherwise]' -r -f -a "table\t'Aligned columns for people (default on a terminal), fitted to its width: one line a row, long names cut with …, internal ids (run and event ids) left out'
wide\t'The table with every column (run and event ids, exact instants) and every cell whole'
json\t'One JSON document (default when piped)'
ndjson\t'One JSON object per line, streamed'
csv\t'Comma-separated values with a header row (reports; lists print their table columns)'"
complete -c attctl -n "__fish_attctl_using_subcommand session; and not __fish_seen_subcommand_from create list show close delete reschedule generate import export help" -l color -d 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c attctl -n "__fish_attctl_using_subcommand session; and not __fish_seen_subcommand_from create list show close delete reschedule generate import export help" -l config -d 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand session; and not __fish_seen_subcommand_from create list show close delete reschedule generate import export help" -l profile -d 'Profile of the config file to use' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and not __fish_seen_subcommand_from create list show close delete reschedule generate import export help" -l backend -d 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]' -r -f -a "supabase\t''
local\t''"
complete -c attctl -n "__fish_attctl_using_subcommand session; and not __fish_seen_subcommand_from create list show close delete reschedule generate import export help" -l supabase-url -d 'Supabase project URL (the key is read from the environment, never from flags)' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and not __fish_seen_subcommand_from create list show close delete reschedule generate import export help" -l data-file -d 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand session; and not __fish_seen_subcommand_from create list show close delete reschedule generate import export help" -l timezone -d 'IANA timezone of session times [default: the school\'s (attctl school set), else the machine\'s]' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and not __fish_seen_subcommand_from create list show close delete reschedule generate import export help" -s v -l verbose -d 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
complete -c attctl -n "__fish_attctl_using_subcommand session; and not __fish_seen_subcommand_from create list show close delete reschedule generate import export help" -l debug -d 'Log debug details to stderr (or set RUST_LOG)'
complete -c attctl -n "__fish_attctl_using_subcommand session; and not __fish_seen_subcommand_from create list show close delete reschedule generate import export help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c attctl -n "__fish_attctl_using_subcommand session; and not __fish_seen_subcommand_from create list show close delete reschedule generate import export help" -s V -l version -d 'Print version'
complete -c attctl -n "__fish_attctl_using_subcommand session; and not __fish_seen_subcommand_from create list show close delete reschedule generate import export help" -f -a "create" -d 'Create a session; its automatic close is scheduled at its end'
complete -c attctl -n "__fish_attctl_using_subcommand session; and not __fish_seen_subcommand_from create list show close delete reschedule generate import export help" -f -a "list" -d 'List sessions, ordered by date then start time'
complete -c attctl -n "__fish_attctl_using_subcommand session; and not __fish_seen_subcommand_from create list show close delete reschedule generate import export help" -f -a "show" -d 'Show one session'
complete -c attctl -n "__fish_attctl_using_subcommand session; and not __fish_seen_subcommand_from create list show close delete reschedule generate import export help" -f -a "close" -d 'Close sessions now (a closed session is reported, not an error, unless --strict)'
complete -c attctl -n "__fish_attctl_using_subcommand session; and not __fish_seen_subcommand_from create list show close delete reschedule generate import export help" -f -a "delete" -d 'Delete sessions and cancel their automatic close'
complete -c attctl -n "__fish_attctl_using_subcommand session; and not __fish_seen_subcommand_from create list show close delete reschedule generate import export help" -f -a "reschedule" -d 'Move a session to new times and schedule its close again'
complete -c attctl -n "__fish_attctl_using_subcommand session; and not __fish_seen_subcommand_from create list show close delete reschedule generate import export help" -f -a "generate" -d 'Create a class\'s sessions for a term: weekdays or an RRULE, holidays skipped'
complete -c attctl -n "__fish_attctl_using_subcommand session; and not __fish_seen_subcommand_from create list show close delete reschedule generate import export help" -f -a "import" -d 'Create sessions from a CSV or iCalendar file (all rows valid, or nothing written)'
complete -c attctl -n "__fish_attctl_using_subcommand session; and not __fish_seen_subcommand_from create list show close delete reschedule generate import export help" -f -a "export" -d 'Write sessions to stdout as CSV (re-importable) or iCalendar'
complete -c attctl -n "__fish_attctl_using_subcommand session; and not __fish_seen_subcommand_from create list show close delete reschedule generate import export help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from create" -l class -d 'Class: id or name (any case when unique); id:N or name:NAME to be explicit (a class named "42" is name:42). Prompted on a terminal when missing' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from create" -l date -d 'Date: YYYY-MM-DD, today, tomorrow or yesterday' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from create" -l start -d 'Start time: HH:MM, H:MM or HH:MM:SS' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from create" -l end -d 'End time: HH:MM, H:MM or HH:MM:SS, after the start' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from create" -l type -d 'Session type on the original app\'s database (its teaching_sessions.session_type) [default: the school\'s, see `attctl school set --session-type`]' -r -f -a "theory\t''
practice\t''
seminar\t''"
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from create" -s o -l output -d 'Output format [default: table on a terminal, json otherwise]' -r -f -a "table\t'Aligned columns for people (default on a terminal), fitted to its width: one line a row, long names cut with …, internal ids (run and event ids) left out'
wide\t'The table with every column (run and event ids, exact instants) and every cell whole'
json\t'One JSON document (default when piped)'
ndjson\t'One JSON object per line, streamed'
csv\t'Comma-separated values with a header row (reports; lists print their table columns)'"
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from create" -l color -d 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from create" -l config -d 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from create" -l profile -d 'Profile of the config file to use' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from create" -l backend -d 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]' -r -f -a "supabase\t''
local\t''"
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from create" -l supabase-url -d 'Supabase project URL (the key is read from the environment, never from flags)' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from create" -l data-file -d 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from create" -l timezone -d 'IANA timezone of session times [default: the school\'s (attctl school set), else the machine\'s]' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from create" -l allow-overlap -d 'Let this session overlap other sessions of its class (refused otherwise, exit 4)'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from create" -l dry-run -d 'Print the requests it would make; change nothing'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from create" -s v -l verbose -d 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from create" -l debug -d 'Log debug details to stderr (or set RUST_LOG)'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from create" -s V -l version -d 'Print version'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from list" -l class -d 'Only this class: id or name (any case when unique); id:N or name:NAME to be explicit' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from list" -l date -d 'Only this date (YYYY-MM-DD, today, tomorrow, yesterday)' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from list" -l from -d 'From this date, inclusive' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from list" -l to -d 'Up to this date, inclusive' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from list" -l status -d 'Only Open or Closed sessions' -r -f -a "Open\t''
Closed\t''"
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from list" -l limit -d 'At most this many sessions' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format [default: table on a terminal, json otherwise]' -r -f -a "table\t'Aligned columns for people (default on a terminal), fitted to its width: one line a row, long names cut with …, internal ids (run and event ids) left out'
wide\t'The table with every column (run and event ids, exact instants) and every cell whole'
json\t'One JSON document (default when piped)'
ndjson\t'One JSON object per line, streamed'
csv\t'Comma-separated values with a header row (reports; lists print their table columns)'"
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from list" -l color -d 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from list" -l config -d 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from list" -l profile -d 'Profile of the config file to use' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from list" -l backend -d 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]' -r -f -a "supabase\t''
local\t''"
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from list" -l supabase-url -d 'Supabase project URL (the key is read from the environment, never from flags)' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from list" -l data-file -d 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from list" -l timezone -d 'IANA timezone of session times [default: the school\'s (attctl school set), else the machine\'s]' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from list" -l all -d 'Every matching session, page by page (ignores --limit)'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from list" -l debug -d 'Log debug details to stderr (or set RUST_LOG)'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from show" -s o -l output -d 'Output format [default: table on a terminal, json otherwise]' -r -f -a "table\t'Aligned columns for people (default on a terminal), fitted to its width: one line a row, long names cut with …, internal ids (run and event ids) left out'
wide\t'The table with every column (run and event ids, exact instants) and every cell whole'
json\t'One JSON document (default when piped)'
ndjson\t'One JSON object per line, streamed'
csv\t'Comma-separated values with a header row (reports; lists print their table columns)'"
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from show" -l color -d 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from show" -l config -d 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from show" -l profile -d 'Profile of the config file to use' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from show" -l backend -d 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]' -r -f -a "supabase\t''
local\t''"
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from show" -l supabase-url -d 'Supabase project URL (the key is read from the environment, never from flags)' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from show" -l data-file -d 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from show" -l timezone -d 'IANA timezone of session times [default: the school\'s (attctl school set), else the machine\'s]' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from show" -l debug -d 'Log debug details to stderr (or set RUST_LOG)'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from close" -l class -d 'Only this class (id or exact name)' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from close" -l from -d 'From this date, inclusive' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from close" -l to -d 'Up to this date, inclusive' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from close" -s o -l output -d 'Output format [default: table on a terminal, json otherwise]' -r -f -a "table\t'Aligned columns for people (default on a terminal), fitted to its width: one line a row, long names cut with …, internal ids (run and event ids) left out'
wide\t'The table with every column (run and event ids, exact instants) and every cell whole'
json\t'One JSON document (default when piped)'
ndjson\t'One JSON object per line, streamed'
csv\t'Comma-separated values with a header row (reports; lists print their table columns)'"
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from close" -l color -d 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from close" -l config -d 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from close" -l profile -d 'Profile of the config file to use' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from close" -l backend -d 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]' -r -f -a "supabase\t''
local\t''"
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from close" -l supabase-url -d 'Supabase project URL (the key is read from the environment, never from flags)' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from close" -l data-file -d 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from close" -l timezone -d 'IANA timezone of session times [default: the school\'s (attctl school set), else the machine\'s]' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from close" -s y -l yes -d 'With a filter: do not ask for confirmation (required when not on a terminal)'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from close" -l strict -d 'Fail if a session is already closed'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from close" -l dry-run -d 'Print the requests it would make; change nothing'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from close" -s v -l verbose -d 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from close" -l debug -d 'Log debug details to stderr (or set RUST_LOG)'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from close" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from close" -s V -l version -d 'Print version'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from delete" -l class -d 'Only this class (id or exact name)' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from delete" -l from -d 'From this date, inclusive' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from delete" -l to -d 'Up to this date, inclusive' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from delete" -l status -d 'With a filter: only Open or Closed sessions' -r -f -a "Open\t''
Closed\t''
open\t''
closed\t''"
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from delete" -s o -l output -d 'Output format [default: table on a terminal, json otherwise]' -r -f -a "table\t'Aligned columns for people (default on a terminal), fitted to its width: one line a row, long names cut with …, internal ids (run and event ids) left out'
wide\t'The table with every column (run and event ids, exact instants) and every cell whole'
json\t'One JSON document (default when piped)'
ndjson\t'One JSON object per line, streamed'
csv\t'Comma-separated values with a header row (reports; lists print their table columns)'"
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from delete" -l color -d 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from delete" -l config -d 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from delete" -l profile -d 'Profile of the config file to use' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from delete" -l backend -d 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]' -r -f -a "supabase\t''
local\t''"
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from delete" -l supabase-url -d 'Supabase project URL (the key is read from the environment, never from flags)' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from delete" -l data-file -d 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from delete" -l timezone -d 'IANA timezone of session times [default: the school\'s (attctl school set), else the machine\'s]' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from delete" -s y -l yes -d 'Do not ask for confirmation (required when not on a terminal)'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from delete" -l dry-run -d 'Print the requests it would make; change nothing'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from delete" -s v -l verbose -d 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from delete" -l debug -d 'Log debug details to stderr (or set RUST_LOG)'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from delete" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from delete" -s V -l version -d 'Print version'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from reschedule" -l date -d 'New date (YYYY-MM-DD, today, tomorrow, yesterday)' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from reschedule" -l start -d 'New start time' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from reschedule" -l end -d 'New end time' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from reschedule" -s o -l output -d 'Output format [default: table on a terminal, json otherwise]' -r -f -a "table\t'Aligned columns for people (default on a terminal), fitted to its width: one line a row, long names cut with …, internal ids (run and event ids) left out'
wide\t'The table with every column (run and event ids, exact instants) and every cell whole'
json\t'One JSON document (default when piped)'
ndjson\t'One JSON object per line, streamed'
csv\t'Comma-separated values with a header row (reports; lists print their table columns)'"
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from reschedule" -l color -d 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from reschedule" -l config -d 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from reschedule" -l profile -d 'Profile of the config file to use' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from reschedule" -l backend -d 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]' -r -f -a "supabase\t''
local\t''"
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from reschedule" -l supabase-url -d 'Supabase project URL (the key is read from the environment, never from flags)' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from reschedule" -l data-file -d 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from reschedule" -l timezone -d 'IANA timezone of session times [default: the school\'s (attctl school set), else the machine\'s]' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from reschedule" -l reopen -d 'Reopen a Closed session whose new end is in the future'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from reschedule" -l dry-run -d 'Print the requests it would make; change nothing'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from reschedule" -s v -l verbose -d 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from reschedule" -l debug -d 'Log debug details to stderr (or set RUST_LOG)'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from reschedule" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from reschedule" -s V -l version -d 'Print version'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from generate" -l class -d 'Class id or exact name' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from generate" -l days -d 'Weekdays it meets: mon,tue,wed,thu,fri,sat,sun' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from generate" -l every -d 'Every N weeks, counted from the week of --from' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from generate" -l rrule -d 'An RFC 5545 rule instead of --days/--every, e.g. \'FREQ=WEEKLY;BYDAY=MO,WE;INTERVAL=2\'' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from generate" -l from -d 'First date (YYYY-MM-DD, today, tomorrow)' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from generate" -l to -l until -d 'Last date, inclusive' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from generate" -l start -d 'Start time of every session (wall clock in --timezone)' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from generate" -l end -d 'End time of every session' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from generate" -l type -d 'Session type on the original app\'s database (its teaching_sessions.session_type) [default: the school\'s, see `attctl school set --session-type`]' -r -f -a "theory\t''
practice\t''
seminar\t''"
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from generate" -s o -l output -d 'Output format [default: table on a terminal, json otherwise]' -r -f -a "table\t'Aligned columns for people (default on a terminal), fitted to its width: one line a row, long names cut with …, internal ids (run and event ids) left out'
wide\t'The table with every column (run and event ids, exact instants) and every cell whole'
json\t'One JSON document (default when piped)'
ndjson\t'One JSON object per line, streamed'
csv\t'Comma-separated values with a header row (reports; lists print their table columns)'"
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from generate" -l color -d 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from generate" -l config -d 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from generate" -l profile -d 'Profile of the config file to use' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from generate" -l backend -d 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]' -r -f -a "supabase\t''
local\t''"
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from generate" -l supabase-url -d 'Supabase project URL (the key is read from the environment, never from flags)' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from generate" -l data-file -d 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from generate" -l timezone -d 'IANA timezone of session times [default: the school\'s (attctl school set), else the machine\'s]' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from generate" -l include-past -d 'Also create occurrences that have already ended'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from generate" -l dry-run -d 'Show the plan; change nothing'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from generate" -s v -l verbose -d 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from generate" -l debug -d 'Log debug details to stderr (or set RUST_LOG)'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from generate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from generate" -s V -l version -d 'Print version'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from import" -l format -d 'File format [default: from the extension]' -r -f -a "csv\t''
ics\t''"
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from import" -l class -d 'Class of every session (id or exact name), instead of the file\'s' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from import" -l delimiter -d 'CSV delimiter [default: ; when the header has ; and no comma, else ,]' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from import" -l type -d 'Session type on the original app\'s database (its teaching_sessions.session_type) [default: the school\'s, see `attctl school set --session-type`]' -r -f -a "theory\t''
practice\t''
seminar\t''"
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from import" -s o -l output -d 'Output format [default: table on a terminal, json otherwise]' -r -f -a "table\t'Aligned columns for people (default on a terminal), fitted to its width: one line a row, long names cut with …, internal ids (run and event ids) left out'
wide\t'The table with every column (run and event ids, exact instants) and every cell whole'
json\t'One JSON document (default when piped)'
ndjson\t'One JSON object per line, streamed'
csv\t'Comma-separated values with a header row (reports; lists print their table columns)'"
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from import" -l color -d 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from import" -l config -d 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from import" -l profile -d 'Profile of the config file to use' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from import" -l backend -d 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]' -r -f -a "supabase\t''
local\t''"
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from import" -l supabase-url -d 'Supabase project URL (the key is read from the environment, never from flags)' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from import" -l data-file -d 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from import" -l timezone -d 'IANA timezone of session times [default: the school\'s (attctl school set), else the machine\'s]' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from import" -l dry-run -d 'Validate and show the plan; change nothing'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from import" -l skip-holidays -d 'Skip Open sessions on a holiday, reason `holiday` (the default; Closed history rows are always imported)'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from import" -l no-skip-holidays -d 'Import every row, holidays or not'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from import" -s v -l verbose -d 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from import" -l debug -d 'Log debug details to stderr (or set RUST_LOG)'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from import" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from import" -s V -l version -d 'Print version'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from export" -l format -d 'csv (every session field plus class_name) or ics (iCalendar)' -r -f -a "csv\t''
ics\t''"
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from export" -l class -d 'Only this class (id or exact name)' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from export" -l date -d 'Only this date (YYYY-MM-DD, today, tomorrow)' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from export" -l from -d 'From this date, inclusive' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from export" -l to -d 'Up to this date, inclusive' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from export" -l status -d 'Only Open or Closed sessions' -r -f -a "Open\t''
Closed\t''
open\t''
closed\t''"
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from export" -s o -l output -d 'Output format [default: table on a terminal, json otherwise]' -r -f -a "table\t'Aligned columns for people (default on a terminal), fitted to its width: one line a row, long names cut with …, internal ids (run and event ids) left out'
wide\t'The table with every column (run and event ids, exact instants) and every cell whole'
json\t'One JSON document (default when piped)'
ndjson\t'One JSON object per line, streamed'
csv\t'Comma-separated values with a header row (reports; lists print their table columns)'"
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from export" -l color -d 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from export" -l config -d 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from export" -l profile -d 'Profile of the config file to use' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from export" -l backend -d 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]' -r -f -a "supabase\t''
local\t''"
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from export" -l supabase-url -d 'Supabase project URL (the key is read from the environment, never from flags)' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from export" -l data-file -d 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from export" -l timezone -d 'IANA timezone of session times [default: the school\'s (attctl school set), else the machine\'s]' -r
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from export" -l all -d 'Every session (needed when no filter is given)'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from export" -s v -l verbose -d 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from export" -l debug -d 'Log debug details to stderr (or set RUST_LOG)'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from export" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from export" -s V -l version -d 'Print version'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from help" -f -a "create" -d 'Create a session; its automatic close is scheduled at its end'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from help" -f -a "list" -d 'List sessions, ordered by date then start time'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show one session'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from help" -f -a "close" -d 'Close sessions now (a closed session is reported, not an error, unless --strict)'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from help" -f -a "delete" -d 'Delete sessions and cancel their automatic close'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from help" -f -a "reschedule" -d 'Move a session to new times and schedule its close again'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from help" -f -a "generate" -d 'Create a class\'s sessions for a term: weekdays or an RRULE, holidays skipped'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from help" -f -a "import" -d 'Create sessions from a CSV or iCalendar file (all rows valid, or nothing written)'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from help" -f -a "export" -d 'Write sessions to stdout as CSV (re-importable) or iCalendar'
complete -c attctl -n "__fish_attctl_using_subcommand session; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c attctl -n "__fish_attctl_using_subcommand class; and not __fish_seen_subcommand_from list create update rename delete help" -s o -l output -d 'Output format [default: table on a terminal, json otherwise]' -r -f -a "table\t'Aligned columns for people (default on a terminal), fitted to its width: one line a row, long names cut with …, internal ids (run and event ids) left out'
wide\t'The table with every column (run and event ids, exact instants) and every cell whole'
json\t'One JSON document (default when piped)'
ndjson\t'One JSON object per line, streamed'
csv\t'Comma-separated values with a header row (reports; lists print their table columns)'"
complete -c attctl -n "__fish_attctl_using_subcommand class; and not __fish_seen_subcommand_from list create update rename delete help" -l color -d 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c attctl -n "__fish_attctl_using_subcommand class; and not __fish_seen_subcommand_from list create update rename delete help" -l config -d 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand class; and not __fish_seen_subcommand_from list create update rename delete help" -l profile -d 'Profile of the config file to use' -r
complete -c attctl -n "__fish_attctl_using_subcommand class; and not __fish_seen_subcommand_from list create update rename delete help" -l backend -d 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]' -r -f -a "supabase\t''
local\t''"
complete -c attctl -n "__fish_attctl_using_subcommand class; and not __fish_seen_subcommand_from list create update rename delete help" -l supabase-url -d 'Supabase project URL (the key is read from the environment, never from flags)' -r
complete -c attctl -n "__fish_attctl_using_subcommand class; and not __fish_seen_subcommand_from list create update rename delete help" -l data-file -d 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand class; and not __fish_seen_subcommand_from list create update rename delete help" -l timezone -d 'IANA timezone of session times [default: the school\'s (attctl school set), else the machine\'s]' -r
complete -c attctl -n "__fish_attctl_using_subcommand class; and not __fish_seen_subcommand_from list create update rename delete help" -s v -l verbose -d 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
complete -c attctl -n "__fish_attctl_using_subcommand class; and not __fish_seen_subcommand_from list create update rename delete help" -l debug -d 'Log debug details to stderr (or set RUST_LOG)'
complete -c attctl -n "__fish_attctl_using_subcommand class; and not __fish_seen_subcommand_from list create update rename delete help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c attctl -n "__fish_attctl_using_subcommand class; and not __fish_seen_subcommand_from list create update rename delete help" -s V -l version -d 'Print version'
complete -c attctl -n "__fish_attctl_using_subcommand class; and not __fish_seen_subcommand_from list create update rename delete help" -f -a "list" -d 'List classes'
complete -c attctl -n "__fish_attctl_using_subcommand class; and not __fish_seen_subcommand_from list create update rename delete help" -f -a "create" -d 'Create a class'
complete -c attctl -n "__fish_attctl_using_subcommand class; and not __fish_seen_subcommand_from list create update rename delete help" -f -a "update" -d 'Change a class\'s settings: its email recipients'
complete -c attctl -n "__fish_attctl_using_subcommand class; and not __fish_seen_subcommand_from list create update rename delete help" -f -a "rename" -d 'Rename a class (its sessions keep it)'
complete -c attctl -n "__fish_attctl_using_subcommand class; and not __fish_seen_subcommand_from list create update rename delete help" -f -a "delete" -d 'Delete a class; refused while it has sessions, unless --cascade --yes'
complete -c attctl -n "__fish_attctl_using_subcommand class; and not __fish_seen_subcommand_from list create update rename delete help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format [default: table on a terminal, json otherwise]' -r -f -a "table\t'Aligned columns for people (default on a terminal), fitted to its width: one line a row, long names cut with …, internal ids (run and event ids) left out'
wide\t'The table with every column (run and event ids, exact instants) and every cell whole'
json\t'One JSON document (default when piped)'
ndjson\t'One JSON object per line, streamed'
csv\t'Comma-separated values with a header row (reports; lists print their table columns)'"
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from list" -l color -d 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from list" -l config -d 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from list" -l profile -d 'Profile of the config file to use' -r
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from list" -l backend -d 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]' -r -f -a "supabase\t''
local\t''"
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from list" -l supabase-url -d 'Supabase project URL (the key is read from the environment, never from flags)' -r
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from list" -l data-file -d 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from list" -l timezone -d 'IANA timezone of session times [default: the school\'s (attctl school set), else the machine\'s]' -r
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from list" -l debug -d 'Log debug details to stderr (or set RUST_LOG)'
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from create" -l name -d 'Class name (unique), as a flag' -r
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from create" -l notify-email -d 'Email the class\'s session events (closed, closing soon) to these addresses too, besides ATTCTL_MAIL_TO: comma-separated' -r
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from create" -s o -l output -d 'Output format [default: table on a terminal, json otherwise]' -r -f -a "table\t'Aligned columns for people (default on a terminal), fitted to its width: one line a row, long names cut with …, internal ids (run and event ids) left out'
wide\t'The table with every column (run and event ids, exact instants) and every cell whole'
json\t'One JSON document (default when piped)'
ndjson\t'One JSON object per line, streamed'
csv\t'Comma-separated values with a header row (reports; lists print their table columns)'"
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from create" -l color -d 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from create" -l config -d 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from create" -l profile -d 'Profile of the config file to use' -r
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from create" -l backend -d 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]' -r -f -a "supabase\t''
local\t''"
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from create" -l supabase-url -d 'Supabase project URL (the key is read from the environment, never from flags)' -r
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from create" -l data-file -d 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from create" -l timezone -d 'IANA timezone of session times [default: the school\'s (attctl school set), else the machine\'s]' -r
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from create" -s v -l verbose -d 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from create" -l debug -d 'Log debug details to stderr (or set RUST_LOG)'
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from create" -s V -l version -d 'Print version'
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from update" -l notify-email -d 'Replace the class\'s email recipients with these addresses (comma-separated)' -r
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from update" -s o -l output -d 'Output format [default: table on a terminal, json otherwise]' -r -f -a "table\t'Aligned columns for people (default on a terminal), fitted to its width: one line a row, long names cut with …, internal ids (run and event ids) left out'
wide\t'The table with every column (run and event ids, exact instants) and every cell whole'
json\t'One JSON document (default when piped)'
ndjson\t'One JSON object per line, streamed'
csv\t'Comma-separated values with a header row (reports; lists print their table columns)'"
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from update" -l color -d 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from update" -l config -d 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from update" -l profile -d 'Profile of the config file to use' -r
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from update" -l backend -d 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]' -r -f -a "supabase\t''
local\t''"
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from update" -l supabase-url -d 'Supabase project URL (the key is read from the environment, never from flags)' -r
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from update" -l data-file -d 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from update" -l timezone -d 'IANA timezone of session times [default: the school\'s (attctl school set), else the machine\'s]' -r
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from update" -l clear-notify-email -d 'Remove every email recipient of the class (ATTCTL_MAIL_TO still gets its mail)'
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from update" -s v -l verbose -d 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from update" -l debug -d 'Log debug details to stderr (or set RUST_LOG)'
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from update" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from update" -s V -l version -d 'Print version'
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from rename" -l name -d 'The new name (unique)' -r
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from rename" -s o -l output -d 'Output format [default: table on a terminal, json otherwise]' -r -f -a "table\t'Aligned columns for people (default on a terminal), fitted to its width: one line a row, long names cut with …, internal ids (run and event ids) left out'
wide\t'The table with every column (run and event ids, exact instants) and every cell whole'
json\t'One JSON document (default when piped)'
ndjson\t'One JSON object per line, streamed'
csv\t'Comma-separated values with a header row (reports; lists print their table columns)'"
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from rename" -l color -d 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from rename" -l config -d 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from rename" -l profile -d 'Profile of the config file to use' -r
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from rename" -l backend -d 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]' -r -f -a "supabase\t''
local\t''"
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from rename" -l supabase-url -d 'Supabase project URL (the key is read from the environment, never from flags)' -r
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from rename" -l data-file -d 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from rename" -l timezone -d 'IANA timezone of session times [default: the school\'s (attctl school set), else the machine\'s]' -r
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from rename" -s v -l verbose -d 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from rename" -l debug -d 'Log debug details to stderr (or set RUST_LOG)'
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from rename" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from rename" -s V -l version -d 'Print version'
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from delete" -s o -l output -d 'Output format [default: table on a terminal, json otherwise]' -r -f -a "table\t'Aligned columns for people (default on a terminal), fitted to its width: one line a row, long names cut with …, internal ids (run and event ids) left out'
wide\t'The table with every column (run and event ids, exact instants) and every cell whole'
json\t'One JSON document (default when piped)'
ndjson\t'One JSON object per line, streamed'
csv\t'Comma-separated values with a header row (reports; lists print their table columns)'"
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from delete" -l color -d 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from delete" -l config -d 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from delete" -l profile -d 'Profile of the config file to use' -r
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from delete" -l backend -d 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]' -r -f -a "supabase\t''
local\t''"
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from delete" -l supabase-url -d 'Supabase project URL (the key is read from the environment, never from flags)' -r
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from delete" -l data-file -d 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from delete" -l timezone -d 'IANA timezone of session times [default: the school\'s (attctl school set), else the machine\'s]' -r
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from delete" -l cascade -d 'Also delete the class\'s sessions, cancelling their automatic closes'
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from delete" -s y -l yes -d 'Confirm --cascade (it cannot be undone)'
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from delete" -s v -l verbose -d 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from delete" -l debug -d 'Log debug details to stderr (or set RUST_LOG)'
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from delete" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from delete" -s V -l version -d 'Print version'
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from help" -f -a "list" -d 'List classes'
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from help" -f -a "create" -d 'Create a class'
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from help" -f -a "update" -d 'Change a class\'s settings: its email recipients'
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from help" -f -a "rename" -d 'Rename a class (its sessions keep it)'
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from help" -f -a "delete" -d 'Delete a class; refused while it has sessions, unless --cascade --yes'
complete -c attctl -n "__fish_attctl_using_subcommand class; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c attctl -n "__fish_attctl_using_subcommand status" -s o -l output -d 'Output format [default: table on a terminal, json otherwise]' -r -f -a "table\t'Aligned columns for people (default on a terminal), fitted to its width: one line a row, long names cut with …, internal ids (run and event ids) left out'
wide\t'The table with every column (run and event ids, exact instants) and every cell whole'
json\t'One JSON document (default when piped)'
ndjson\t'One JSON object per line, streamed'
csv\t'Comma-separated values with a header row (reports; lists print their table columns)'"
complete -c attctl -n "__fish_attctl_using_subcommand status" -l color -d 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c attctl -n "__fish_attctl_using_subcommand status" -l config -d 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand status" -l profile -d 'Profile of the config file to use' -r
complete -c attctl -n "__fish_attctl_using_subcommand status" -l backend -d 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]' -r -f -a "supabase\t''
local\t''"
complete -c attctl -n "__fish_attctl_using_subcommand status" -l supabase-url -d 'Supabase project URL (the key is read from the environment, never from flags)' -r
complete -c attctl -n "__fish_attctl_using_subcommand status" -l data-file -d 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand status" -l timezone -d 'IANA timezone of session times [default: the school\'s (attctl school set), else the machine\'s]' -r
complete -c attctl -n "__fish_attctl_using_subcommand status" -s v -l verbose -d 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
complete -c attctl -n "__fish_attctl_using_subcommand status" -l debug -d 'Log debug details to stderr (or set RUST_LOG)'
complete -c attctl -n "__fish_attctl_using_subcommand status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c attctl -n "__fish_attctl_using_subcommand status" -s V -l version -d 'Print version'
complete -c attctl -n "__fish_attctl_using_subcommand holiday; and not __fish_seen_subcommand_from add list delete import help" -s o -l output -d 'Output format [default: table on a terminal, json otherwise]' -r -f -a "table\t'Aligned columns for people (default on a terminal), fitted to its width: one line a row, long names cut with …, internal ids (run and event ids) left out'
wide\t'The table with every column (run and event ids, exact instants) and every cell whole'
json\t'One JSON document (default when piped)'
ndjson\t'One JSON object per line, streamed'
csv\t'Comma-separated values with a header row (reports; lists print their table columns)'"
complete -c attctl -n "__fish_attctl_using_subcommand holiday; and not __fish_seen_subcommand_from add list delete import help" -l color -d 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c attctl -n "__fish_attctl_using_subcommand holiday; and not __fish_seen_subcommand_from add list delete import help" -l config -d 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand holiday; and not __fish_seen_subcommand_from add list delete import help" -l profile -d 'Profile of the config file to use' -r
complete -c attctl -n "__fish_attctl_using_subcommand holiday; and not __fish_seen_subcommand_from add list delete import help" -l backend -d 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]' -r -f -a "supabase\t''
local\t''"
complete -c attctl -n "__fish_attctl_using_subcommand holiday; and not __fish_seen_subcommand_from add list delete import help" -l supabase-url -d 'Supabase project URL (the key is read from the environment, never from flags)' -r
complete -c attctl -n "__fish_attctl_using_subcommand holiday; and not __fish_seen_subcommand_from add list delete import help" -l data-file -d 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand holiday; and not __fish_seen_subcommand_from add list delete import help" -l timezone -d 'IANA timezone of session times [default: the school\'s (attctl school set), else the machine\'s]' -r
complete -c attctl -n "__fish_attctl_using_subcommand holiday; and not __fish_seen_subcommand_from add list delete import help" -s v -l verbose -d 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
complete -c attctl -n "__fish_attctl_using_subcommand holiday; and not __fish_seen_subcommand_from add list delete import help" -l debug -d 'Log debug details to stderr (or set RUST_LOG)'
complete -c attctl -n "__fish_attctl_using_subcommand holiday; and not __fish_seen_subcommand_from add list delete import help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c attctl -n "__fish_attctl_using_subcommand holiday; and not __fish_seen_subcommand_from add list delete import help" -s V -l version -d 'Print version'
complete -c attctl -n "__fish_attctl_using_subcommand holiday; and not __fish_seen_subcommand_from add list delete import help" -f -a "add" -d 'Add a holiday (one day, or --from to --to inclusive). Open sessions already planned on it are named on stderr; --delete-sessions deletes them (their closes cancelled)'
complete -c attctl -n "__fish_attctl_using_subcommand holiday; and not __fish_seen_subcommand_from add list delete import help" -f -a "list" -d 'List holidays'
complete -c attctl -n "__fish_attctl_using_subcommand holiday; and not __fish_seen_subcommand_from add list delete import help" -f -a "delete" -d 'Delete a holiday'
complete -c attctl -n "__fish_attctl_using_subcommand holiday; and not __fish_seen_subcommand_from add list delete import help" -f -a "import" -d 'Add the all-day events of an iCalendar file as holidays'
complete -c attctl -n "__fish_attctl_using_subcommand holiday; and not __fish_seen_subcommand_from add list delete import help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c attctl -n "__fish_attctl_using_subcommand holiday; and __fish_seen_subcommand_from add" -l from -l date -d 'First day (YYYY-MM-DD)' -r
complete -c attctl -n "__fish_attctl_using_subcommand holiday; and __fish_seen_subcommand_from add" -l to -d 'Last day, inclusive [default: --from]' -r
complete -c attctl -n "__fish_attctl_using_subcommand holiday; and __fish_seen_subcommand_from add" -l name -d 'Name, e.g. "Half term"' -r
complete -c attctl -n "__fish_attctl_using_subcommand holiday; and __fish_seen_subcommand_from add" -s o -l output -d 'Output format [default: table on a terminal, json otherwise]' -r -f -a "table\t'Aligned columns for people (default on a terminal), fitted to its width: one line a row, long names cut with …, internal ids (run and event ids) left out'
wide\t'The table with every column (run and event ids, exact instants) and every cell whole'
json\t'One JSON document (default when piped)'
ndjson\t'One JSON object per line, streamed'
csv\t'Comma-separated values with a header row (reports; lists print their table columns)'"
complete -c attctl -n "__fish_attctl_using_subcommand holiday; and __fish_seen_subcommand_from add" -l color -d 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c attctl -n "__fish_attctl_using_subcommand holiday; and __fish_seen_subcommand_from add" -l config -d 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand holiday; and __fish_seen_subcommand_from add" -l profile -d 'Profile of the config file to use' -r
complete -c attctl -n "__fish_attctl_using_subcommand holiday; and __fish_seen_subcommand_from add" -l backend -d 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]' -r -f -a "supabase\t''
local\t''"
complete -c attctl -n "__fish_attctl_using_subcommand holiday; and __fish_seen_subcommand_from add" -l supabase-url -d 'Supabase project URL (the key is read from the environment, never from flags)' -r
complete -c attctl -n "__fish_attctl_using_subcommand holiday; and __fish_seen_subcommand_from add" -l data-file -d 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand holiday; and __fish_seen_subcommand_from add" -l timezone -d 'IANA timezone of session times [default: the school\'s (attctl school set), else the machine\'s]' -r
complete -c attctl -n "__fish_attctl_using_subcommand holiday; and __fish_seen_subcommand_from add" -l delete-sessions -d 'Also delete the Open sessions planned on the holiday, cancelling their closes'
complete -c attctl -n "__fish_attctl_using_subcommand holiday; and __fish_seen_subcommand_from add" -s y -l yes -d 'With --delete-sessions: do not ask (required when not on a terminal)'
complete -c attctl -n "__fish_attctl_using_subcommand holiday; and __fish_seen_subcommand_from add" -s v -l verbose -d 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
complete -c attctl -n "__fish_attctl_using_subcommand holiday; and __fish_seen_subcommand_from add" -l debug -d 'Log debug details to stderr (or set RUST_LOG)'
complete -c attctl -n "__fish_attctl_using_subcommand holiday; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c attctl -n "__fish_attctl_using_subcommand holiday; and __fish_seen_subcommand_from add" -s V -l version -d 'Print version'
complete -c attctl -n "__fish_attctl_using_subcommand holiday; and __fish_seen_subcommand_from list" -l from -d 'Holidays ending on or after this date' -r
complete -c attctl -n "__fish_attctl_using_subcommand holiday; and __fish_seen_subcommand_from list" -l to -d 'Holidays starting on or before this date' -r
complete -c attctl -n "__fish_attctl_using_subcommand holiday; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format [default: table on a terminal, json otherwise]' -r -f -a "table\t'Aligned columns for people (default on a terminal), fitted to its width: one line a row, long names cut with …, internal ids (run and event ids) left out'
wide\t'The table with every column (run and event ids, exact instants) and every cell whole'
json\t'One JSON document (default when piped)'
ndjson\t'One JSON object per line, streamed'
csv\t'Comma-separated values with a header row (reports; lists print their table columns)'"
complete -c attctl -n "__fish_attctl_using_subcommand holiday; and __fish_seen_subcommand_from list" -l color -d 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c attctl -n "__fish_attctl_using_subcommand holiday; and __fish_seen_subcommand_from list" -l config -d 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand holiday; and __fish_seen_subcommand_from list" -l profile -d 'Profile of the config file to use' -r
complete -c attctl -n "__fish_attctl_using_subcommand holiday; and __fish_seen_subcommand_from list" -l backend -d 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]' -r -f -a "supabase\t''
local\t''"
complete -c attctl -n "__fish_attctl_using_subcommand holiday; and __fish_seen_subcommand_from list" -l supabase-url -d 'Supabase project URL (the key is read from the environment, never from flags)' -r
complete -c attctl -n "__fish_attctl_using_subcommand holiday; and __fish_seen_subcommand_from list" -l data-file -d 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand holiday; and __fish_seen_subcommand_from list" -l timezone -d 'IANA timezone of session times [default: the school\'s (attctl school set), else the machine\'s]' -r
complete -c attctl -n "__fish_attctl_using_subcommand holiday; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
complete -c attctl -n "__fish_attctl_using_subcommand holiday; and __fish_seen_subcommand_from list" -l debug -d 'Log debug details to stderr (or set RUST_LOG)'
complete -c attctl -n "__fish_attctl_using_subcommand holiday; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c attctl -n "__fish_attctl_using_subcommand holiday; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c attctl -n "__fish_attctl_using_subcommand holiday; and __fish_seen_subcommand_from delete" -s o -l output -d 'Output format [default: table on a terminal, json otherwise]' -r -f -a "table\t'Aligned columns for people (default on a terminal), fitted to its width: one line a row, long names cut with …, internal ids (run and event ids) left out'
wide\t'The table with every column (run and event ids, exact instants) and every cell whole'
json\t'One JSON document (default when piped)'
ndjson\t'One JSON object per line, streamed'
csv\t'Comma-separated values with a header row (reports; lists print their table columns)'"
complete -c attctl -n "__fish_attctl_using_subcommand holiday; and __fish_seen_subcommand_from delete" -l color -d 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c attctl -n "__fish_attctl_using_subcommand holiday; and __fish_seen_subcommand_from delete" -l config -d 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand holiday; and __fish_seen_subcommand_from delete" -l profile -d 'Profile of the config file to use' -r
complete -c attctl -n "__fish_attctl_using_subcommand holiday; and __fish_seen_subcommand_from delete" -l backend -d 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]' -r -f -a "supabase\t''
local\t''"
complete -c attctl -n "__fish_attctl_using_subcommand holiday; and __fish_seen_subcommand_from delete" -l supabase-url -d 'Supabase project URL (the key is read from the environment, never from flags)' -r
complete -c attctl -n "__fish_attctl_using_subcommand holiday; and __fish_seen_subcommand_from delete" -l data-file -d 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand holiday; and __fish_seen_subcommand_from delete" -l timezone -d 'IANA timezone of session times [default: the school\'s (attctl school set), else the machine\'s]' -r
complete -c attctl -n "__fish_attctl_using_subcommand holiday; and __fish_seen_subcommand_from delete" -s v -l verbose -d 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
complete -c attctl -n "__fish_attctl_using_subcommand holiday; and __fish_seen_subcommand_from delete" -l debug -d 'Log debug details to stderr (or set RUST_LOG)'
complete -c attctl -n "__fish_attctl_using_subcommand holiday; and __fish_seen_subcommand_from delete" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c attctl -n "__fish_attctl_using_subcommand holiday; and __fish_seen_subcommand_from delete" -s V -l version -d 'Print version'
complete -c attctl -n "__fish_attctl_using_subcommand holiday; and __fish_seen_subcommand_from import" -s o -l output -d 'Output format [default: table on a terminal, json otherwise]' -r -f -a "table\t'Aligned columns for people (default on a terminal), fitted to its width: one line a row, long names cut with …, internal ids (run and event ids) left out'
wide\t'The table with every column (run and event ids, exact instants) and every cell whole'
json\t'One JSON document (default when piped)'
ndjson\t'One JSON object per line, streamed'
csv\t'Comma-separated values with a header row (reports; lists print their table columns)'"
complete -c attctl -n "__fish_attctl_using_subcommand holiday; and __fish_seen_subcommand_from import" -l color -d 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c attctl -n "__fish_attctl_using_subcommand holiday; and __fish_seen_subcommand_from import" -l config -d 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand holiday; and __fish_seen_subcommand_from import" -l profile -d 'Profile of the config file to use' -r
complete -c attctl -n "__fish_attctl_using_subcommand holiday; and __fish_seen_subcommand_from import" -l backend -d 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]' -r -f -a "supabase\t''
local\t''"
complete -c attctl -n "__fish_attctl_using_subcommand holiday; and __fish_seen_subcommand_from import" -l supabase-url -d 'Supabase project URL (the key is read from the environment, never from flags)' -r
complete -c attctl -n "__fish_attctl_using_subcommand holiday; and __fish_seen_subcommand_from import" -l data-file -d 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand holiday; and __fish_seen_subcommand_from import" -l timezone -d 'IANA timezone of session times [default: the school\'s (attctl school set), else the machine\'s]' -r
complete -c attctl -n "__fish_attctl_using_subcommand holiday; and __fish_seen_subcommand_from import" -l dry-run -d 'Show what would be added; change nothing'
complete -c attctl -n "__fish_attctl_using_subcommand holiday; and __fish_seen_subcommand_from import" -s v -l verbose -d 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
complete -c attctl -n "__fish_attctl_using_subcommand holiday; and __fish_seen_subcommand_from import" -l debug -d 'Log debug details to stderr (or set RUST_LOG)'
complete -c attctl -n "__fish_attctl_using_subcommand holiday; and __fish_seen_subcommand_from import" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c attctl -n "__fish_attctl_using_subcommand holiday; and __fish_seen_subcommand_from import" -s V -l version -d 'Print version'
complete -c attctl -n "__fish_attctl_using_subcommand holiday; and __fish_seen_subcommand_from help" -f -a "add" -d 'Add a holiday (one day, or --from to --to inclusive). Open sessions already planned on it are named on stderr; --delete-sessions deletes them (their closes cancelled)'
complete -c attctl -n "__fish_attctl_using_subcommand holiday; and __fish_seen_subcommand_from help" -f -a "list" -d 'List holidays'
complete -c attctl -n "__fish_attctl_using_subcommand holiday; and __fish_seen_subcommand_from help" -f -a "delete" -d 'Delete a holiday'
complete -c attctl -n "__fish_attctl_using_subcommand holiday; and __fish_seen_subcommand_from help" -f -a "import" -d 'Add the all-day events of an iCalendar file as holidays'
complete -c attctl -n "__fish_attctl_using_subcommand holiday; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c attctl -n "__fish_attctl_using_subcommand school; and not __fish_seen_subcommand_from show set help" -s o -l output -d 'Output format [default: table on a terminal, json otherwise]' -r -f -a "table\t'Aligned columns for people (default on a terminal), fitted to its width: one line a row, long names cut with …, internal ids (run and event ids) left out'
wide\t'The table with every column (run and event ids, exact instants) and every cell whole'
json\t'One JSON document (default when piped)'
ndjson\t'One JSON object per line, streamed'
csv\t'Comma-separated values with a header row (reports; lists print their table columns)'"
complete -c attctl -n "__fish_attctl_using_subcommand school; and not __fish_seen_subcommand_from show set help" -l color -d 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c attctl -n "__fish_attctl_using_subcommand school; and not __fish_seen_subcommand_from show set help" -l config -d 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand school; and not __fish_seen_subcommand_from show set help" -l profile -d 'Profile of the config file to use' -r
complete -c attctl -n "__fish_attctl_using_subcommand school; and not __fish_seen_subcommand_from show set help" -l backend -d 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]' -r -f -a "supabase\t''
local\t''"
complete -c attctl -n "__fish_attctl_using_subcommand school; and not __fish_seen_subcommand_from show set help" -l supabase-url -d 'Supabase project URL (the key is read from the environment, never from flags)' -r
complete -c attctl -n "__fish_attctl_using_subcommand school; and not __fish_seen_subcommand_from show set help" -l data-file -d 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand school; and not __fish_seen_subcommand_from show set help" -l timezone -d 'IANA timezone of session times [default: the school\'s (attctl school set), else the machine\'s]' -r
complete -c attctl -n "__fish_attctl_using_subcommand school; and not __fish_seen_subcommand_from show set help" -s v -l verbose -d 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
complete -c attctl -n "__fish_attctl_using_subcommand school; and not __fish_seen_subcommand_from show set help" -l debug -d 'Log debug details to stderr (or set RUST_LOG)'
complete -c attctl -n "__fish_attctl_using_subcommand school; and not __fish_seen_subcommand_from show set help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c attctl -n "__fish_attctl_using_subcommand school; and not __fish_seen_subcommand_from show set help" -s V -l version -d 'Print version'
complete -c attctl -n "__fish_attctl_using_subcommand school; and not __fish_seen_subcommand_from show set help" -f -a "show" -d 'Show the school\'s settings'
complete -c attctl -n "__fish_attctl_using_subcommand school; and not __fish_seen_subcommand_from show set help" -f -a "set" -d 'Change the school\'s settings: `--timezone ZONE` (the zone of every new session that names none, whoever creates it) and `--session-type TYPE`'
complete -c attctl -n "__fish_attctl_using_subcommand school; and not __fish_seen_subcommand_from show set help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c attctl -n "__fish_attctl_using_subcommand school; and __fish_seen_subcommand_from show" -s o -l output -d 'Output format [default: table on a terminal, json otherwise]' -r -f -a "table\t'Aligned columns for people (default on a terminal), fitted to its width: one line a row, long names cut with …, internal ids (run and event ids) left out'
wide\t'The table with every column (run and event ids, exact instants) and every cell whole'
json\t'One JSON document (default when piped)'
ndjson\t'One JSON object per line, streamed'
csv\t'Comma-separated values with a header row (reports; lists print their table columns)'"
complete -c attctl -n "__fish_attctl_using_subcommand school; and __fish_seen_subcommand_from show" -l color -d 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c attctl -n "__fish_attctl_using_subcommand school; and __fish_seen_subcommand_from show" -l config -d 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand school; and __fish_seen_subcommand_from show" -l profile -d 'Profile of the config file to use' -r
complete -c attctl -n "__fish_attctl_using_subcommand school; and __fish_seen_subcommand_from show" -l backend -d 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]' -r -f -a "supabase\t''
local\t''"
complete -c attctl -n "__fish_attctl_using_subcommand school; and __fish_seen_subcommand_from show" -l supabase-url -d 'Supabase project URL (the key is read from the environment, never from flags)' -r
complete -c attctl -n "__fish_attctl_using_subcommand school; and __fish_seen_subcommand_from show" -l data-file -d 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand school; and __fish_seen_subcommand_from show" -l timezone -d 'IANA timezone of session times [default: the school\'s (attctl school set), else the machine\'s]' -r
complete -c attctl -n "__fish_attctl_using_subcommand school; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
complete -c attctl -n "__fish_attctl_using_subcommand school; and __fish_seen_subcommand_from show" -l debug -d 'Log debug details to stderr (or set RUST_LOG)'
complete -c attctl -n "__fish_attctl_using_subcommand school; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c attctl -n "__fish_attctl_using_subcommand school; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c attctl -n "__fish_attctl_using_subcommand school; and __fish_seen_subcommand_from set" -l session-type -d 'Session type of new sessions on the original app\'s database' -r -f -a "theory\t''
practice\t''
seminar\t''"
complete -c attctl -n "__fish_attctl_using_subcommand school; and __fish_seen_subcommand_from set" -s o -l output -d 'Output format [default: table on a terminal, json otherwise]' -r -f -a "table\t'Aligned columns for people (default on a terminal), fitted to its width: one line a row, long names cut with …, internal ids (run and event ids) left out'
wide\t'The table with every column (run and event ids, exact instants) and every cell whole'
json\t'One JSON document (default when piped)'
ndjson\t'One JSON object per line, streamed'
csv\t'Comma-separated values with a header row (reports; lists print their table columns)'"
complete -c attctl -n "__fish_attctl_using_subcommand school; and __fish_seen_subcommand_from set" -l color -d 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c attctl -n "__fish_attctl_using_subcommand school; and __fish_seen_subcommand_from set" -l config -d 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand school; and __fish_seen_subcommand_from set" -l profile -d 'Profile of the config file to use' -r
complete -c attctl -n "__fish_attctl_using_subcommand school; and __fish_seen_subcommand_from set" -l backend -d 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]' -r -f -a "supabase\t''
local\t''"
complete -c attctl -n "__fish_attctl_using_subcommand school; and __fish_seen_subcommand_from set" -l supabase-url -d 'Supabase project URL (the key is read from the environment, never from flags)' -r
complete -c attctl -n "__fish_attctl_using_subcommand school; and __fish_seen_subcommand_from set" -l data-file -d 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand school; and __fish_seen_subcommand_from set" -l timezone -d 'IANA timezone of session times [default: the school\'s (attctl school set), else the machine\'s]' -r
complete -c attctl -n "__fish_attctl_using_subcommand school; and __fish_seen_subcommand_from set" -s v -l verbose -d 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
complete -c attctl -n "__fish_attctl_using_subcommand school; and __fish_seen_subcommand_from set" -l debug -d 'Log debug details to stderr (or set RUST_LOG)'
complete -c attctl -n "__fish_attctl_using_subcommand school; and __fish_seen_subcommand_from set" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c attctl -n "__fish_attctl_using_subcommand school; and __fish_seen_subcommand_from set" -s V -l version -d 'Print version'
complete -c attctl -n "__fish_attctl_using_subcommand school; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show the school\'s settings'
complete -c attctl -n "__fish_attctl_using_subcommand school; and __fish_seen_subcommand_from help" -f -a "set" -d 'Change the school\'s settings: `--timezone ZONE` (the zone of every new session that names none, whoever creates it) and `--session-type TYPE`'
complete -c attctl -n "__fish_attctl_using_subcommand school; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c attctl -n "__fish_attctl_using_subcommand doctor" -s o -l output -d 'Output format [default: table on a terminal, json otherwise]' -r -f -a "table\t'Aligned columns for people (default on a terminal), fitted to its width: one line a row, long names cut with …, internal ids (run and event ids) left out'
wide\t'The table with every column (run and event ids, exact instants) and every cell whole'
json\t'One JSON document (default when piped)'
ndjson\t'One JSON object per line, streamed'
csv\t'Comma-separated values with a header row (reports; lists print their table columns)'"
complete -c attctl -n "__fish_attctl_using_subcommand doctor" -l color -d 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c attctl -n "__fish_attctl_using_subcommand doctor" -l config -d 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand doctor" -l profile -d 'Profile of the config file to use' -r
complete -c attctl -n "__fish_attctl_using_subcommand doctor" -l backend -d 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]' -r -f -a "supabase\t''
local\t''"
complete -c attctl -n "__fish_attctl_using_subcommand doctor" -l supabase-url -d 'Supabase project URL (the key is read from the environment, never from flags)' -r
complete -c attctl -n "__fish_attctl_using_subcommand doctor" -l data-file -d 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand doctor" -l timezone -d 'IANA timezone of session times [default: the school\'s (attctl school set), else the machine\'s]' -r
complete -c attctl -n "__fish_attctl_using_subcommand doctor" -l repair -d 'Also repair old rows where the fix has one meaning (status case, closes_at)'
complete -c attctl -n "__fish_attctl_using_subcommand doctor" -l dry-run -d 'With --repair: list what would be repaired; change nothing'
complete -c attctl -n "__fish_attctl_using_subcommand doctor" -s v -l verbose -d 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
complete -c attctl -n "__fish_attctl_using_subcommand doctor" -l debug -d 'Log debug details to stderr (or set RUST_LOG)'
complete -c attctl -n "__fish_attctl_using_subcommand doctor" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c attctl -n "__fish_attctl_using_subcommand doctor" -s V -l version -d 'Print version'
complete -c attctl -n "__fish_attctl_using_subcommand report; and not __fish_seen_subcommand_from closures open-past-end registers help" -s o -l output -d 'Output format [default: table on a terminal, json otherwise]' -r -f -a "table\t'Aligned columns for people (default on a terminal), fitted to its width: one line a row, long names cut with …, internal ids (run and event ids) left out'
wide\t'The table with every column (run and event ids, exact instants) and every cell whole'
json\t'One JSON document (default when piped)'
ndjson\t'One JSON object per line, streamed'
csv\t'Comma-separated values with a header row (reports; lists print their table columns)'"
complete -c attctl -n "__fish_attctl_using_subcommand report; and not __fish_seen_subcommand_from closures open-past-end registers help" -l color -d 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c attctl -n "__fish_attctl_using_subcommand report; and not __fish_seen_subcommand_from closures open-past-end registers help" -l config -d 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand report; and not __fish_seen_subcommand_from closures open-past-end registers help" -l profile -d 'Profile of the config file to use' -r
complete -c attctl -n "__fish_attctl_using_subcommand report; and not __fish_seen_subcommand_from closures open-past-end registers help" -l backend -d 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]' -r -f -a "supabase\t''
local\t''"
complete -c attctl -n "__fish_attctl_using_subcommand report; and not __fish_seen_subcommand_from closures open-past-end registers help" -l supabase-url -d 'Supabase project URL (the key is read from the environment, never from flags)' -r
complete -c attctl -n "__fish_attctl_using_subcommand report; and not __fish_seen_subcommand_from closures open-past-end registers help" -l data-file -d 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand report; and not __fish_seen_subcommand_from closures open-past-end registers help" -l timezone -d 'IANA timezone of session times [default: the school\'s (attctl school set), else the machine\'s]' -r
complete -c attctl -n "__fish_attctl_using_subcommand report; and not __fish_seen_subcommand_from closures open-past-end registers help" -s v -l verbose -d 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
complete -c attctl -n "__fish_attctl_using_subcommand report; and not __fish_seen_subcommand_from closures open-past-end registers help" -l debug -d 'Log debug details to stderr (or set RUST_LOG)'
complete -c attctl -n "__fish_attctl_using_subcommand report; and not __fish_seen_subcommand_from closures open-past-end registers help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c attctl -n "__fish_attctl_using_subcommand report; and not __fish_seen_subcommand_from closures open-past-end registers help" -s V -l version -d 'Print version'
complete -c attctl -n "__fish_attctl_using_subcommand report; and not __fish_seen_subcommand_from closures open-past-end registers help" -f -a "closures" -d 'Closures per group: manual, automatic and sweep closes, automatic-close lag, early manual closes, sessions still open (computed in the database)'
complete -c attctl -n "__fish_attctl_using_subcommand report; and not __fish_seen_subcommand_from closures open-past-end registers help" -f -a "open-past-end" -d 'Sessions still Open past their end plus a grace; exits 1 when there are any (for cron and monitoring)'
complete -c attctl -n "__fish_attctl_using_subcommand report; and not __fish_seen_subcommand_from closures open-past-end registers help" -f -a "registers" -d 'The register of each closed session on the original app\'s database: enrolled, marked (present, late, absent), marked absent at close, and whether it was taken (computed in the database); registers not taken first'
complete -c attctl -n "__fish_attctl_using_subcommand report; and not __fish_seen_subcommand_from closures open-past-end registers help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c attctl -n "__fish_attctl_using_subcommand report; and __fish_seen_subcommand_from closures" -l from -d 'From this session date, inclusive (YYYY-MM-DD, today, tomorrow)' -r
complete -c attctl -n "__fish_attctl_using_subcommand report; and __fish_seen_subcommand_from closures" -l to -d 'Up to this session date, inclusive' -r
complete -c attctl -n "__fish_attctl_using_subcommand report; and __fish_seen_subcommand_from closures" -l class -d 'Only this class (id or exact name)' -r
complete -c attctl -n "__fish_attctl_using_subcommand report; and __fish_seen_subcommand_from closures" -l by -d 'Group by class, by the weekday, ISO week or month of the session\'s own date, or by who closed it' -r -f -a "class\t''
weekday\t''
week\t''
month\t''
closed_by\t''"
complete -c attctl -n "__fish_attctl_using_subcommand report; and __fish_seen_subcommand_from closures" -l svg -d 'Also write an SVG chart to FILE: a stacked bar per group and the automatic-close lag. An existing FILE is replaced only with --force, and only if it is an SVG' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand report; and __fish_seen_subcommand_from closures" -s o -l output -d 'Output format [default: table on a terminal, json otherwise]' -r -f -a "table\t'Aligned columns for people (default on a terminal), fitted to its width: one line a row, long names cut with …, internal ids (run and event ids) left out'
wide\t'The table with every column (run and event ids, exact instants) and every cell whole'
json\t'One JSON document (default when piped)'
ndjson\t'One JSON object per line, streamed'
csv\t'Comma-separated values with a header row (reports; lists print their table columns)'"
complete -c attctl -n "__fish_attctl_using_subcommand report; and __fish_seen_subcommand_from closures" -l color -d 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c attctl -n "__fish_attctl_using_subcommand report; and __fish_seen_subcommand_from closures" -l config -d 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand report; and __fish_seen_subcommand_from closures" -l profile -d 'Profile of the config file to use' -r
complete -c attctl -n "__fish_attctl_using_subcommand report; and __fish_seen_subcommand_from closures" -l backend -d 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]' -r -f -a "supabase\t''
local\t''"
complete -c attctl -n "__fish_attctl_using_subcommand report; and __fish_seen_subcommand_from closures" -l supabase-url -d 'Supabase project URL (the key is read from the environment, never from flags)' -r
complete -c attctl -n "__fish_attctl_using_subcommand report; and __fish_seen_subcommand_from closures" -l data-file -d 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand report; and __fish_seen_subcommand_from closures" -l timezone -d 'IANA timezone of session times [default: the school\'s (attctl school set), else the machine\'s]' -r
complete -c attctl -n "__fish_attctl_using_subcommand report; and __fish_seen_subcommand_from closures" -l chart -d 'Also draw a bar chart of who closed the sessions of each group (table output)'
complete -c attctl -n "__fish_attctl_using_subcommand report; and __fish_seen_subcommand_from closures" -l force -d 'Replace the file of --svg if it exists (a file that is not an SVG is never replaced)'
complete -c attctl -n "__fish_attctl_using_subcommand report; and __fish_seen_subcommand_from closures" -s v -l verbose -d 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
complete -c attctl -n "__fish_attctl_using_subcommand report; and __fish_seen_subcommand_from closures" -l debug -d 'Log debug details to stderr (or set RUST_LOG)'
complete -c attctl -n "__fish_attctl_using_subcommand report; and __fish_seen_subcommand_from closures" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c attctl -n "__fish_attctl_using_subcommand report; and __fish_seen_subcommand_from closures" -s V -l version -d 'Print version'
complete -c attctl -n "__fish_attctl_using_subcommand report; and __fish_seen_subcommand_from open-past-end" -l class -d 'Only this class (id or exact name)' -r
complete -c attctl -n "__fish_attctl_using_subcommand report; and __fish_seen_subcommand_from open-past-end" -l grace -d 'How long past its end a session may stay Open before it counts: 90s, 5m, 2h, 1d (a bare number is seconds)' -r
complete -c attctl -n "__fish_attctl_using_subcommand report; and __fish_seen_subcommand_from open-past-end" -s o -l output -d 'Output format [default: table on a terminal, json otherwise]' -r -f -a "table\t'Aligned columns for people (default on a terminal), fitted to its width: one line a row, long names cut with …, internal ids (run and event ids) left out'
wide\t'The table with every column (run and event ids, exact instants) and every cell whole'
json\t'One JSON document (default when piped)'
ndjson\t'One JSON object per line, streamed'
csv\t'Comma-separated values with a header row (reports; lists print their table columns)'"
complete -c attctl -n "__fish_attctl_using_subcommand report; and __fish_seen_subcommand_from open-past-end" -l color -d 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c attctl -n "__fish_attctl_using_subcommand report; and __fish_seen_subcommand_from open-past-end" -l config -d 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand report; and __fish_seen_subcommand_from open-past-end" -l profile -d 'Profile of the config file to use' -r
complete -c attctl -n "__fish_attctl_using_subcommand report; and __fish_seen_subcommand_from open-past-end" -l backend -d 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]' -r -f -a "supabase\t''
local\t''"
complete -c attctl -n "__fish_attctl_using_subcommand report; and __fish_seen_subcommand_from open-past-end" -l supabase-url -d 'Supabase project URL (the key is read from the environment, never from flags)' -r
complete -c attctl -n "__fish_attctl_using_subcommand report; and __fish_seen_subcommand_from open-past-end" -l data-file -d 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand report; and __fish_seen_subcommand_from open-past-end" -l timezone -d 'IANA timezone of session times [default: the school\'s (attctl school set), else the machine\'s]' -r
complete -c attctl -n "__fish_attctl_using_subcommand report; and __fish_seen_subcommand_from open-past-end" -s v -l verbose -d 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
complete -c attctl -n "__fish_attctl_using_subcommand report; and __fish_seen_subcommand_from open-past-end" -l debug -d 'Log debug details to stderr (or set RUST_LOG)'
complete -c attctl -n "__fish_attctl_using_subcommand report; and __fish_seen_subcommand_from open-past-end" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c attctl -n "__fish_attctl_using_subcommand report; and __fish_seen_subcommand_from open-past-end" -s V -l version -d 'Print version'
complete -c attctl -n "__fish_attctl_using_subcommand report; and __fish_seen_subcommand_from registers" -l from -d 'From this session date, inclusive (YYYY-MM-DD, today, tomorrow)' -r
complete -c attctl -n "__fish_attctl_using_subcommand report; and __fish_seen_subcommand_from registers" -l to -d 'Up to this session date, inclusive' -r
complete -c attctl -n "__fish_attctl_using_subcommand report; and __fish_seen_subcommand_from registers" -l class -d 'Only this class (id or exact name)' -r
complete -c attctl -n "__fish_attctl_using_subcommand report; and __fish_seen_subcommand_from registers" -l by -d 'One row per session, or one per teacher of the classes (where the database says who teaches a class)' -r -f -a "session\t''
teacher\t''"
complete -c attctl -n "__fish_attctl_using_subcommand report; and __fish_seen_subcommand_from registers" -s o -l output -d 'Output format [default: table on a terminal, json otherwise]' -r -f -a "table\t'Aligned columns for people (default on a terminal), fitted to its width: one line a row, long names cut with …, internal ids (run and event ids) left out'
wide\t'The table with every column (run and event ids, exact instants) and every cell whole'
json\t'One JSON document (default when piped)'
ndjson\t'One JSON object per line, streamed'
csv\t'Comma-separated values with a header row (reports; lists print their table columns)'"
complete -c attctl -n "__fish_attctl_using_subcommand report; and __fish_seen_subcommand_from registers" -l color -d 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c attctl -n "__fish_attctl_using_subcommand report; and __fish_seen_subcommand_from registers" -l config -d 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand report; and __fish_seen_subcommand_from registers" -l profile -d 'Profile of the config file to use' -r
complete -c attctl -n "__fish_attctl_using_subcommand report; and __fish_seen_subcommand_from registers" -l backend -d 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]' -r -f -a "supabase\t''
local\t''"
complete -c attctl -n "__fish_attctl_using_subcommand report; and __fish_seen_subcommand_from registers" -l supabase-url -d 'Supabase project URL (the key is read from the environment, never from flags)' -r
complete -c attctl -n "__fish_attctl_using_subcommand report; and __fish_seen_subcommand_from registers" -l data-file -d 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand report; and __fish_seen_subcommand_from registers" -l timezone -d 'IANA timezone of session times [default: the school\'s (attctl school set), else the machine\'s]' -r
complete -c attctl -n "__fish_attctl_using_subcommand report; and __fish_seen_subcommand_from registers" -l missing -d 'Exit 1 when any register was not taken (for cron), after printing the report'
complete -c attctl -n "__fish_attctl_using_subcommand report; and __fish_seen_subcommand_from registers" -s v -l verbose -d 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
complete -c attctl -n "__fish_attctl_using_subcommand report; and __fish_seen_subcommand_from registers" -l debug -d 'Log debug details to stderr (or set RUST_LOG)'
complete -c attctl -n "__fish_attctl_using_subcommand report; and __fish_seen_subcommand_from registers" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c attctl -n "__fish_attctl_using_subcommand report; and __fish_seen_subcommand_from registers" -s V -l version -d 'Print version'
complete -c attctl -n "__fish_attctl_using_subcommand report; and __fish_seen_subcommand_from help" -f -a "closures" -d 'Closures per group: manual, automatic and sweep closes, automatic-close lag, early manual closes, sessions still open (computed in the database)'
complete -c attctl -n "__fish_attctl_using_subcommand report; and __fish_seen_subcommand_from help" -f -a "open-past-end" -d 'Sessions still Open past their end plus a grace; exits 1 when there are any (for cron and monitoring)'
complete -c attctl -n "__fish_attctl_using_subcommand report; and __fish_seen_subcommand_from help" -f -a "registers" -d 'The register of each closed session on the original app\'s database: enrolled, marked (present, late, absent), marked absent at close, and whether it was taken (computed in the database); registers not taken first'
complete -c attctl -n "__fish_attctl_using_subcommand report; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c attctl -n "__fish_attctl_using_subcommand login" -l email -d 'The email of your Supabase Auth account (asked for at a terminal when left out)' -r
complete -c attctl -n "__fish_attctl_using_subcommand login" -s o -l output -d 'Output format [default: table on a terminal, json otherwise]' -r -f -a "table\t'Aligned columns for people (default on a terminal), fitted to its width: one line a row, long names cut with …, internal ids (run and event ids) left out'
wide\t'The table with every column (run and event ids, exact instants) and every cell whole'
json\t'One JSON document (default when piped)'
ndjson\t'One JSON object per line, streamed'
csv\t'Comma-separated values with a header row (reports; lists print their table columns)'"
complete -c attctl -n "__fish_attctl_using_subcommand login" -l color -d 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c attctl -n "__fish_attctl_using_subcommand login" -l config -d 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand login" -l profile -d 'Profile of the config file to use' -r
complete -c attctl -n "__fish_attctl_using_subcommand login" -l backend -d 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]' -r -f -a "supabase\t''
local\t''"
complete -c attctl -n "__fish_attctl_using_subcommand login" -l supabase-url -d 'Supabase project URL (the key is read from the environment, never from flags)' -r
complete -c attctl -n "__fish_attctl_using_subcommand login" -l data-file -d 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand login" -l timezone -d 'IANA timezone of session times [default: the school\'s (attctl school set), else the machine\'s]' -r
complete -c attctl -n "__fish_attctl_using_subcommand login" -l password-stdin -d 'Read the password from standard input (one line), as `docker login` does'
complete -c attctl -n "__fish_attctl_using_subcommand login" -l otp -d 'Sign in with a one-time code mailed to you instead of a password: sends the code, then asks for it (off a terminal, finish with --otp-code-stdin)'
complete -c attctl -n "__fish_attctl_using_subcommand login" -l otp-code-stdin -d 'Read the mailed one-time code from standard input and sign in with it'
complete -c attctl -n "__fish_attctl_using_subcommand login" -s v -l verbose -d 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
complete -c attctl -n "__fish_attctl_using_subcommand login" -l debug -d 'Log debug details to stderr (or set RUST_LOG)'
complete -c attctl -n "__fish_attctl_using_subcommand login" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c attctl -n "__fish_attctl_using_subcommand login" -s V -l version -d 'Print version'
complete -c attctl -n "__fish_attctl_using_subcommand logout" -s o -l output -d 'Output format [default: table on a terminal, json otherwise]' -r -f -a "table\t'Aligned columns for people (default on a terminal), fitted to its width: one line a row, long names cut with …, internal ids (run and event ids) left out'
wide\t'The table with every column (run and event ids, exact instants) and every cell whole'
json\t'One JSON document (default when piped)'
ndjson\t'One JSON object per line, streamed'
csv\t'Comma-separated values with a header row (reports; lists print their table columns)'"
complete -c attctl -n "__fish_attctl_using_subcommand logout" -l color -d 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c attctl -n "__fish_attctl_using_subcommand logout" -l config -d 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand logout" -l profile -d 'Profile of the config file to use' -r
complete -c attctl -n "__fish_attctl_using_subcommand logout" -l backend -d 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]' -r -f -a "supabase\t''
local\t''"
complete -c attctl -n "__fish_attctl_using_subcommand logout" -l supabase-url -d 'Supabase project URL (the key is read from the environment, never from flags)' -r
complete -c attctl -n "__fish_attctl_using_subcommand logout" -l data-file -d 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand logout" -l timezone -d 'IANA timezone of session times [default: the school\'s (attctl school set), else the machine\'s]' -r
complete -c attctl -n "__fish_attctl_using_subcommand logout" -l everywhere -d 'Revoke every session of your account (other machines too), not only this one'
complete -c attctl -n "__fish_attctl_using_subcommand logout" -s v -l verbose -d 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
complete -c attctl -n "__fish_attctl_using_subcommand logout" -l debug -d 'Log debug details to stderr (or set RUST_LOG)'
complete -c attctl -n "__fish_attctl_using_subcommand logout" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c attctl -n "__fish_attctl_using_subcommand logout" -s V -l version -d 'Print version'
complete -c attctl -n "__fish_attctl_using_subcommand whoami" -s o -l output -d 'Output format [default: table on a terminal, json otherwise]' -r -f -a "table\t'Aligned columns for people (default on a terminal), fitted to its width: one line a row, long names cut with …, internal ids (run and event ids) left out'
wide\t'The table with every column (run and event ids, exact instants) and every cell whole'
json\t'One JSON document (default when piped)'
ndjson\t'One JSON object per line, streamed'
csv\t'Comma-separated values with a header row (reports; lists print their table columns)'"
complete -c attctl -n "__fish_attctl_using_subcommand whoami" -l color -d 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c attctl -n "__fish_attctl_using_subcommand whoami" -l config -d 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand whoami" -l profile -d 'Profile of the config file to use' -r
complete -c attctl -n "__fish_attctl_using_subcommand whoami" -l backend -d 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]' -r -f -a "supabase\t''
local\t''"
complete -c attctl -n "__fish_attctl_using_subcommand whoami" -l supabase-url -d 'Supabase project URL (the key is read from the environment, never from flags)' -r
complete -c attctl -n "__fish_attctl_using_subcommand whoami" -l data-file -d 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand whoami" -l timezone -d 'IANA timezone of session times [default: the school\'s (attctl school set), else the machine\'s]' -r
complete -c attctl -n "__fish_attctl_using_subcommand whoami" -s v -l verbose -d 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
complete -c attctl -n "__fish_attctl_using_subcommand whoami" -l debug -d 'Log debug details to stderr (or set RUST_LOG)'
complete -c attctl -n "__fish_attctl_using_subcommand whoami" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c attctl -n "__fish_attctl_using_subcommand whoami" -s V -l version -d 'Print version'
complete -c attctl -n "__fish_attctl_using_subcommand staff; and not __fish_seen_subcommand_from add list remove help" -s o -l output -d 'Output format [default: table on a terminal, json otherwise]' -r -f -a "table\t'Aligned columns for people (default on a terminal), fitted to its width: one line a row, long names cut with …, internal ids (run and event ids) left out'
wide\t'The table with every column (run and event ids, exact instants) and every cell whole'
json\t'One JSON document (default when piped)'
ndjson\t'One JSON object per line, streamed'
csv\t'Comma-separated values with a header row (reports; lists print their table columns)'"
complete -c attctl -n "__fish_attctl_using_subcommand staff; and not __fish_seen_subcommand_from add list remove help" -l color -d 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c attctl -n "__fish_attctl_using_subcommand staff; and not __fish_seen_subcommand_from add list remove help" -l config -d 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand staff; and not __fish_seen_subcommand_from add list remove help" -l profile -d 'Profile of the config file to use' -r
complete -c attctl -n "__fish_attctl_using_subcommand staff; and not __fish_seen_subcommand_from add list remove help" -l backend -d 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]' -r -f -a "supabase\t''
local\t''"
complete -c attctl -n "__fish_attctl_using_subcommand staff; and not __fish_seen_subcommand_from add list remove help" -l supabase-url -d 'Supabase project URL (the key is read from the environment, never from flags)' -r
complete -c attctl -n "__fish_attctl_using_subcommand staff; and not __fish_seen_subcommand_from add list remove help" -l data-file -d 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand staff; and not __fish_seen_subcommand_from add list remove help" -l timezone -d 'IANA timezone of session times [default: the school\'s (attctl school set), else the machine\'s]' -r
complete -c attctl -n "__fish_attctl_using_subcommand staff; and not __fish_seen_subcommand_from add list remove help" -s v -l verbose -d 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
complete -c attctl -n "__fish_attctl_using_subcommand staff; and not __fish_seen_subcommand_from add list remove help" -l debug -d 'Log debug details to stderr (or set RUST_LOG)'
complete -c attctl -n "__fish_attctl_using_subcommand staff; and not __fish_seen_subcommand_from add list remove help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c attctl -n "__fish_attctl_using_subcommand staff; and not __fish_seen_subcommand_from add list remove help" -s V -l version -d 'Print version'
complete -c attctl -n "__fish_attctl_using_subcommand staff; and not __fish_seen_subcommand_from add list remove help" -f -a "add" -d 'Add a staff member by the email of their Supabase Auth account (invite them first), or change their role; --class adds classes they teach'
complete -c attctl -n "__fish_attctl_using_subcommand staff; and not __fish_seen_subcommand_from add list remove help" -f -a "list" -d 'List staff members, their roles and classes'
complete -c attctl -n "__fish_attctl_using_subcommand staff; and not __fish_seen_subcommand_from add list remove help" -f -a "remove" -d 'Remove a staff member: they keep their account but may no longer touch anything'
complete -c attctl -n "__fish_attctl_using_subcommand staff; and not __fish_seen_subcommand_from add list remove help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c attctl -n "__fish_attctl_using_subcommand staff; and __fish_seen_subcommand_from add" -l role -d 'teacher: the sessions of their classes; admin: everything, classes, holidays, staff' -r -f -a "teacher\t''
admin\t''"
complete -c attctl -n "__fish_attctl_using_subcommand staff; and __fish_seen_subcommand_from add" -l class -d 'A class they teach (exact name or id:N); repeat for several' -r
complete -c attctl -n "__fish_attctl_using_subcommand staff; and __fish_seen_subcommand_from add" -s o -l output -d 'Output format [default: table on a terminal, json otherwise]' -r -f -a "table\t'Aligned columns for people (default on a terminal), fitted to its width: one line a row, long names cut with …, internal ids (run and event ids) left out'
wide\t'The table with every column (run and event ids, exact instants) and every cell whole'
json\t'One JSON document (default when piped)'
ndjson\t'One JSON object per line, streamed'
csv\t'Comma-separated values with a header row (reports; lists print their table columns)'"
complete -c attctl -n "__fish_attctl_using_subcommand staff; and __fish_seen_subcommand_from add" -l color -d 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c attctl -n "__fish_attctl_using_subcommand staff; and __fish_seen_subcommand_from add" -l config -d 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand staff; and __fish_seen_subcommand_from add" -l profile -d 'Profile of the config file to use' -r
complete -c attctl -n "__fish_attctl_using_subcommand staff; and __fish_seen_subcommand_from add" -l backend -d 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]' -r -f -a "supabase\t''
local\t''"
complete -c attctl -n "__fish_attctl_using_subcommand staff; and __fish_seen_subcommand_from add" -l supabase-url -d 'Supabase project URL (the key is read from the environment, never from flags)' -r
complete -c attctl -n "__fish_attctl_using_subcommand staff; and __fish_seen_subcommand_from add" -l data-file -d 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand staff; and __fish_seen_subcommand_from add" -l timezone -d 'IANA timezone of session times [default: the school\'s (attctl school set), else the machine\'s]' -r
complete -c attctl -n "__fish_attctl_using_subcommand staff; and __fish_seen_subcommand_from add" -s v -l verbose -d 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
complete -c attctl -n "__fish_attctl_using_subcommand staff; and __fish_seen_subcommand_from add" -l debug -d 'Log debug details to stderr (or set RUST_LOG)'
complete -c attctl -n "__fish_attctl_using_subcommand staff; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c attctl -n "__fish_attctl_using_subcommand staff; and __fish_seen_subcommand_from add" -s V -l version -d 'Print version'
complete -c attctl -n "__fish_attctl_using_subcommand staff; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format [default: table on a terminal, json otherwise]' -r -f -a "table\t'Aligned columns for people (default on a terminal), fitted to its width: one line a row, long names cut with …, internal ids (run and event ids) left out'
wide\t'The table with every column (run and event ids, exact instants) and every cell whole'
json\t'One JSON document (default when piped)'
ndjson\t'One JSON object per line, streamed'
csv\t'Comma-separated values with a header row (reports; lists print their table columns)'"
complete -c attctl -n "__fish_attctl_using_subcommand staff; and __fish_seen_subcommand_from list" -l color -d 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c attctl -n "__fish_attctl_using_subcommand staff; and __fish_seen_subcommand_from list" -l config -d 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand staff; and __fish_seen_subcommand_from list" -l profile -d 'Profile of the config file to use' -r
complete -c attctl -n "__fish_attctl_using_subcommand staff; and __fish_seen_subcommand_from list" -l backend -d 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]' -r -f -a "supabase\t''
local\t''"
complete -c attctl -n "__fish_attctl_using_subcommand staff; and __fish_seen_subcommand_from list" -l supabase-url -d 'Supabase project URL (the key is read from the environment, never from flags)' -r
complete -c attctl -n "__fish_attctl_using_subcommand staff; and __fish_seen_subcommand_from list" -l data-file -d 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand staff; and __fish_seen_subcommand_from list" -l timezone -d 'IANA timezone of session times [default: the school\'s (attctl school set), else the machine\'s]' -r
complete -c attctl -n "__fish_attctl_using_subcommand staff; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
complete -c attctl -n "__fish_attctl_using_subcommand staff; and __fish_seen_subcommand_from list" -l debug -d 'Log debug details to stderr (or set RUST_LOG)'
complete -c attctl -n "__fish_attctl_using_subcommand staff; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c attctl -n "__fish_attctl_using_subcommand staff; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c attctl -n "__fish_attctl_using_subcommand staff; and __fish_seen_subcommand_from remove" -s o -l output -d 'Output format [default: table on a terminal, json otherwise]' -r -f -a "table\t'Aligned columns for people (default on a terminal), fitted to its width: one line a row, long names cut with …, internal ids (run and event ids) left out'
wide\t'The table with every column (run and event ids, exact instants) and every cell whole'
json\t'One JSON document (default when piped)'
ndjson\t'One JSON object per line, streamed'
csv\t'Comma-separated values with a header row (reports; lists print their table columns)'"
complete -c attctl -n "__fish_attctl_using_subcommand staff; and __fish_seen_subcommand_from remove" -l color -d 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c attctl -n "__fish_attctl_using_subcommand staff; and __fish_seen_subcommand_from remove" -l config -d 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand staff; and __fish_seen_subcommand_from remove" -l profile -d 'Profile of the config file to use' -r
complete -c attctl -n "__fish_attctl_using_subcommand staff; and __fish_seen_subcommand_from remove" -l backend -d 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]' -r -f -a "supabase\t''
local\t''"
complete -c attctl -n "__fish_attctl_using_subcommand staff; and __fish_seen_subcommand_from remove" -l supabase-url -d 'Supabase project URL (the key is read from the environment, never from flags)' -r
complete -c attctl -n "__fish_attctl_using_subcommand staff; and __fish_seen_subcommand_from remove" -l data-file -d 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand staff; and __fish_seen_subcommand_from remove" -l timezone -d 'IANA timezone of session times [default: the school\'s (attctl school set), else the machine\'s]' -r
complete -c attctl -n "__fish_attctl_using_subcommand staff; and __fish_seen_subcommand_from remove" -l yes -d 'Do not ask for confirmation (needed when not at a terminal)'
complete -c attctl -n "__fish_attctl_using_subcommand staff; and __fish_seen_subcommand_from remove" -s v -l verbose -d 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
complete -c attctl -n "__fish_attctl_using_subcommand staff; and __fish_seen_subcommand_from remove" -l debug -d 'Log debug details to stderr (or set RUST_LOG)'
complete -c attctl -n "__fish_attctl_using_subcommand staff; and __fish_seen_subcommand_from remove" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c attctl -n "__fish_attctl_using_subcommand staff; and __fish_seen_subcommand_from remove" -s V -l version -d 'Print version'
complete -c attctl -n "__fish_attctl_using_subcommand staff; and __fish_seen_subcommand_from help" -f -a "add" -d 'Add a staff member by the email of their Supabase Auth account (invite them first), or change their role; --class adds classes they teach'
complete -c attctl -n "__fish_attctl_using_subcommand staff; and __fish_seen_subcommand_from help" -f -a "list" -d 'List staff members, their roles and classes'
complete -c attctl -n "__fish_attctl_using_subcommand staff; and __fish_seen_subcommand_from help" -f -a "remove" -d 'Remove a staff member: they keep their account but may no longer touch anything'
complete -c attctl -n "__fish_attctl_using_subcommand staff; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c attctl -n "__fish_attctl_using_subcommand config; and not __fish_seen_subcommand_from show path init help" -s o -l output -d 'Output format [default: table on a terminal, json otherwise]' -r -f -a "table\t'Aligned columns for people (default on a terminal), fitted to its width: one line a row, long names cut with …, internal ids (run and event ids) left out'
wide\t'The table with every column (run and event ids, exact instants) and every cell whole'
json\t'One JSON document (default when piped)'
ndjson\t'One JSON object per line, streamed'
csv\t'Comma-separated values with a header row (reports; lists print their table columns)'"
complete -c attctl -n "__fish_attctl_using_subcommand config; and not __fish_seen_subcommand_from show path init help" -l color -d 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c attctl -n "__fish_attctl_using_subcommand config; and not __fish_seen_subcommand_from show path init help" -l config -d 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand config; and not __fish_seen_subcommand_from show path init help" -l profile -d 'Profile of the config file to use' -r
complete -c attctl -n "__fish_attctl_using_subcommand config; and not __fish_seen_subcommand_from show path init help" -l backend -d 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]' -r -f -a "supabase\t''
local\t''"
complete -c attctl -n "__fish_attctl_using_subcommand config; and not __fish_seen_subcommand_from show path init help" -l supabase-url -d 'Supabase project URL (the key is read from the environment, never from flags)' -r
complete -c attctl -n "__fish_attctl_using_subcommand config; and not __fish_seen_subcommand_from show path init help" -l data-file -d 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand config; and not __fish_seen_subcommand_from show path init help" -l timezone -d 'IANA timezone of session times [default: the school\'s (attctl school set), else the machine\'s]' -r
complete -c attctl -n "__fish_attctl_using_subcommand config; and not __fish_seen_subcommand_from show path init help" -s v -l verbose -d 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
complete -c attctl -n "__fish_attctl_using_subcommand config; and not __fish_seen_subcommand_from show path init help" -l debug -d 'Log debug details to stderr (or set RUST_LOG)'
complete -c attctl -n "__fish_attctl_using_subcommand config; and not __fish_seen_subcommand_from show path init help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c attctl -n "__fish_attctl_using_subcommand config; and not __fish_seen_subcommand_from show path init help" -s V -l version -d 'Print version'
complete -c attctl -n "__fish_attctl_using_subcommand config; and not __fish_seen_subcommand_from show path init help" -f -a "show" -d 'Show the resolved settings and where each came from (secrets masked)'
complete -c attctl -n "__fish_attctl_using_subcommand config; and not __fish_seen_subcommand_from show path init help" -f -a "path" -d 'Print the config file\'s path (plainly; -o json for {"path", "exists"})'
complete -c attctl -n "__fish_attctl_using_subcommand config; and not __fish_seen_subcommand_from show path init help" -f -a "init" -d 'Write a commented config file (mode 0600)'
complete -c attctl -n "__fish_attctl_using_subcommand config; and not __fish_seen_subcommand_from show path init help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c attctl -n "__fish_attctl_using_subcommand config; and __fish_seen_subcommand_from show" -s o -l output -d 'Output format [default: table on a terminal, json otherwise]' -r -f -a "table\t'Aligned columns for people (default on a terminal), fitted to its width: one line a row, long names cut with …, internal ids (run and event ids) left out'
wide\t'The table with every column (run and event ids, exact instants) and every cell whole'
json\t'One JSON document (default when piped)'
ndjson\t'One JSON object per line, streamed'
csv\t'Comma-separated values with a header row (reports; lists print their table columns)'"
complete -c attctl -n "__fish_attctl_using_subcommand config; and __fish_seen_subcommand_from show" -l color -d 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c attctl -n "__fish_attctl_using_subcommand config; and __fish_seen_subcommand_from show" -l config -d 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand config; and __fish_seen_subcommand_from show" -l profile -d 'Profile of the config file to use' -r
complete -c attctl -n "__fish_attctl_using_subcommand config; and __fish_seen_subcommand_from show" -l backend -d 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]' -r -f -a "supabase\t''
local\t''"
complete -c attctl -n "__fish_attctl_using_subcommand config; and __fish_seen_subcommand_from show" -l supabase-url -d 'Supabase project URL (the key is read from the environment, never from flags)' -r
complete -c attctl -n "__fish_attctl_using_subcommand config; and __fish_seen_subcommand_from show" -l data-file -d 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand config; and __fish_seen_subcommand_from show" -l timezone -d 'IANA timezone of session times [default: the school\'s (attctl school set), else the machine\'s]' -r
complete -c attctl -n "__fish_attctl_using_subcommand config; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
complete -c attctl -n "__fish_attctl_using_subcommand config; and __fish_seen_subcommand_from show" -l debug -d 'Log debug details to stderr (or set RUST_LOG)'
complete -c attctl -n "__fish_attctl_using_subcommand config; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c attctl -n "__fish_attctl_using_subcommand config; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c attctl -n "__fish_attctl_using_subcommand config; and __fish_seen_subcommand_from path" -s o -l output -d 'Output format [default: table on a terminal, json otherwise]' -r -f -a "table\t'Aligned columns for people (default on a terminal), fitted to its width: one line a row, long names cut with …, internal ids (run and event ids) left out'
wide\t'The table with every column (run and event ids, exact instants) and every cell whole'
json\t'One JSON document (default when piped)'
ndjson\t'One JSON object per line, streamed'
csv\t'Comma-separated values with a header row (reports; lists print their table columns)'"
complete -c attctl -n "__fish_attctl_using_subcommand config; and __fish_seen_subcommand_from path" -l color -d 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c attctl -n "__fish_attctl_using_subcommand config; and __fish_seen_subcommand_from path" -l config -d 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand config; and __fish_seen_subcommand_from path" -l profile -d 'Profile of the config file to use' -r
complete -c attctl -n "__fish_attctl_using_subcommand config; and __fish_seen_subcommand_from path" -l backend -d 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]' -r -f -a "supabase\t''
local\t''"
complete -c attctl -n "__fish_attctl_using_subcommand config; and __fish_seen_subcommand_from path" -l supabase-url -d 'Supabase project URL (the key is read from the environment, never from flags)' -r
complete -c attctl -n "__fish_attctl_using_subcommand config; and __fish_seen_subcommand_from path" -l data-file -d 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand config; and __fish_seen_subcommand_from path" -l timezone -d 'IANA timezone of session times [default: the school\'s (attctl school set), else the machine\'s]' -r
complete -c attctl -n "__fish_attctl_using_subcommand config; and __fish_seen_subcommand_from path" -s v -l verbose -d 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
complete -c attctl -n "__fish_attctl_using_subcommand config; and __fish_seen_subcommand_from path" -l debug -d 'Log debug details to stderr (or set RUST_LOG)'
complete -c attctl -n "__fish_attctl_using_subcommand config; and __fish_seen_subcommand_from path" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c attctl -n "__fish_attctl_using_subcommand config; and __fish_seen_subcommand_from path" -s V -l version -d 'Print version'
complete -c attctl -n "__fish_attctl_using_subcommand config; and __fish_seen_subcommand_from init" -s o -l output -d 'Output format [default: table on a terminal, json otherwise]' -r -f -a "table\t'Aligned columns for people (default on a terminal), fitted to its width: one line a row, long names cut with …, internal ids (run and event ids) left out'
wide\t'The table with every column (run and event ids, exact instants) and every cell whole'
json\t'One JSON document (default when piped)'
ndjson\t'One JSON object per line, streamed'
csv\t'Comma-separated values with a header row (reports; lists print their table columns)'"
complete -c attctl -n "__fish_attctl_using_subcommand config; and __fish_seen_subcommand_from init" -l color -d 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c attctl -n "__fish_attctl_using_subcommand config; and __fish_seen_subcommand_from init" -l config -d 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand config; and __fish_seen_subcommand_from init" -l profile -d 'Profile of the config file to use' -r
complete -c attctl -n "__fish_attctl_using_subcommand config; and __fish_seen_subcommand_from init" -l backend -d 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]' -r -f -a "supabase\t''
local\t''"
complete -c attctl -n "__fish_attctl_using_subcommand config; and __fish_seen_subcommand_from init" -l supabase-url -d 'Supabase project URL (the key is read from the environment, never from flags)' -r
complete -c attctl -n "__fish_attctl_using_subcommand config; and __fish_seen_subcommand_from init" -l data-file -d 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand config; and __fish_seen_subcommand_from init" -l timezone -d 'IANA timezone of session times [default: the school\'s (attctl school set), else the machine\'s]' -r
complete -c attctl -n "__fish_attctl_using_subcommand config; and __fish_seen_subcommand_from init" -l force -d 'Overwrite an existing file'
complete -c attctl -n "__fish_attctl_using_subcommand config; and __fish_seen_subcommand_from init" -s v -l verbose -d 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
complete -c attctl -n "__fish_attctl_using_subcommand config; and __fish_seen_subcommand_from init" -l debug -d 'Log debug details to stderr (or set RUST_LOG)'
complete -c attctl -n "__fish_attctl_using_subcommand config; and __fish_seen_subcommand_from init" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c attctl -n "__fish_attctl_using_subcommand config; and __fish_seen_subcommand_from init" -s V -l version -d 'Print version'
complete -c attctl -n "__fish_attctl_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show the resolved settings and where each came from (secrets masked)'
complete -c attctl -n "__fish_attctl_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "path" -d 'Print the config file\'s path (plainly; -o json for {"path", "exists"})'
complete -c attctl -n "__fish_attctl_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "init" -d 'Write a commented config file (mode 0600)'
complete -c attctl -n "__fish_attctl_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c attctl -n "__fish_attctl_using_subcommand events; and not __fish_seen_subcommand_from list retry help" -s o -l output -d 'Output format [default: table on a terminal, json otherwise]' -r -f -a "table\t'Aligned columns for people (default on a terminal), fitted to its width: one line a row, long names cut with …, internal ids (run and event ids) left out'
wide\t'The table with every column (run and event ids, exact instants) and every cell whole'
json\t'One JSON document (default when piped)'
ndjson\t'One JSON object per line, streamed'
csv\t'Comma-separated values with a header row (reports; lists print their table columns)'"
complete -c attctl -n "__fish_attctl_using_subcommand events; and not __fish_seen_subcommand_from list retry help" -l color -d 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c attctl -n "__fish_attctl_using_subcommand events; and not __fish_seen_subcommand_from list retry help" -l config -d 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand events; and not __fish_seen_subcommand_from list retry help" -l profile -d 'Profile of the config file to use' -r
complete -c attctl -n "__fish_attctl_using_subcommand events; and not __fish_seen_subcommand_from list retry help" -l backend -d 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]' -r -f -a "supabase\t''
local\t''"
complete -c attctl -n "__fish_attctl_using_subcommand events; and not __fish_seen_subcommand_from list retry help" -l supabase-url -d 'Supabase project URL (the key is read from the environment, never from flags)' -r
complete -c attctl -n "__fish_attctl_using_subcommand events; and not __fish_seen_subcommand_from list retry help" -l data-file -d 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand events; and not __fish_seen_subcommand_from list retry help" -l timezone -d 'IANA timezone of session times [default: the school\'s (attctl school set), else the machine\'s]' -r
complete -c attctl -n "__fish_attctl_using_subcommand events; and not __fish_seen_subcommand_from list retry help" -s v -l verbose -d 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
complete -c attctl -n "__fish_attctl_using_subcommand events; and not __fish_seen_subcommand_from list retry help" -l debug -d 'Log debug details to stderr (or set RUST_LOG)'
complete -c attctl -n "__fish_attctl_using_subcommand events; and not __fish_seen_subcommand_from list retry help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c attctl -n "__fish_attctl_using_subcommand events; and not __fish_seen_subcommand_from list retry help" -s V -l version -d 'Print version'
complete -c attctl -n "__fish_attctl_using_subcommand events; and not __fish_seen_subcommand_from list retry help" -f -a "list" -d 'List recorded events with their delivery state: newest first in a table, oldest first in JSON, NDJSON and CSV'
complete -c attctl -n "__fish_attctl_using_subcommand events; and not __fish_seen_subcommand_from list retry help" -f -a "retry" -d 'Deliver again: one event by id, or every failed one'
complete -c attctl -n "__fish_attctl_using_subcommand events; and not __fish_seen_subcommand_from list retry help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c attctl -n "__fish_attctl_using_subcommand events; and __fish_seen_subcommand_from list" -l since -d 'Only events since: a duration back from now (30s, 10m, 1h, 2d), a date (YYYY-MM-DD, today) or an RFC 3339 instant' -r
complete -c attctl -n "__fish_attctl_using_subcommand events; and __fish_seen_subcommand_from list" -l type -d 'Only this type, e.g. session.closed' -r
complete -c attctl -n "__fish_attctl_using_subcommand events; and __fish_seen_subcommand_from list" -l state -d 'Only this delivery state (skipped: no channel takes the type; expired: a warning its session\'s end made useless)' -r -f -a "pending\t''
delivered\t''
failed\t''
skipped\t''
expired\t''"
complete -c attctl -n "__fish_attctl_using_subcommand events; and __fish_seen_subcommand_from list" -l limit -d 'Most events shown, 1 to 1000 (narrow with --since, --type and --state to see others)' -r
complete -c attctl -n "__fish_attctl_using_subcommand events; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format [default: table on a terminal, json otherwise]' -r -f -a "table\t'Aligned columns for people (default on a terminal), fitted to its width: one line a row, long names cut with …, internal ids (run and event ids) left out'
wide\t'The table with every column (run and event ids, exact instants) and every cell whole'
json\t'One JSON document (default when piped)'
ndjson\t'One JSON object per line, streamed'
csv\t'Comma-separated values with a header row (reports; lists print their table columns)'"
complete -c attctl -n "__fish_attctl_using_subcommand events; and __fish_seen_subcommand_from list" -l color -d 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c attctl -n "__fish_attctl_using_subcommand events; and __fish_seen_subcommand_from list" -l config -d 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand events; and __fish_seen_subcommand_from list" -l profile -d 'Profile of the config file to use' -r
complete -c attctl -n "__fish_attctl_using_subcommand events; and __fish_seen_subcommand_from list" -l backend -d 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]' -r -f -a "supabase\t''
local\t''"
complete -c attctl -n "__fish_attctl_using_subcommand events; and __fish_seen_subcommand_from list" -l supabase-url -d 'Supabase project URL (the key is read from the environment, never from flags)' -r
complete -c attctl -n "__fish_attctl_using_subcommand events; and __fish_seen_subcommand_from list" -l data-file -d 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand events; and __fish_seen_subcommand_from list" -l timezone -d 'IANA timezone of session times [default: the school\'s (attctl school set), else the machine\'s]' -r
complete -c attctl -n "__fish_attctl_using_subcommand events; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
complete -c attctl -n "__fish_attctl_using_subcommand events; and __fish_seen_subcommand_from list" -l debug -d 'Log debug details to stderr (or set RUST_LOG)'
complete -c attctl -n "__fish_attctl_using_subcommand events; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c attctl -n "__fish_attctl_using_subcommand events; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c attctl -n "__fish_attctl_using_subcommand events; and __fish_seen_subcommand_from retry" -s o -l output -d 'Output format [default: table on a terminal, json otherwise]' -r -f -a "table\t'Aligned columns for people (default on a terminal), fitted to its width: one line a row, long names cut with …, internal ids (run and event ids) left out'
wide\t'The table with every column (run and event ids, exact instants) and every cell whole'
json\t'One JSON document (default when piped)'
ndjson\t'One JSON object per line, streamed'
csv\t'Comma-separated values with a header row (reports; lists print their table columns)'"
complete -c attctl -n "__fish_attctl_using_subcommand events; and __fish_seen_subcommand_from retry" -l color -d 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c attctl -n "__fish_attctl_using_subcommand events; and __fish_seen_subcommand_from retry" -l config -d 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand events; and __fish_seen_subcommand_from retry" -l profile -d 'Profile of the config file to use' -r
complete -c attctl -n "__fish_attctl_using_subcommand events; and __fish_seen_subcommand_from retry" -l backend -d 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]' -r -f -a "supabase\t''
local\t''"
complete -c attctl -n "__fish_attctl_using_subcommand events; and __fish_seen_subcommand_from retry" -l supabase-url -d 'Supabase project URL (the key is read from the environment, never from flags)' -r
complete -c attctl -n "__fish_attctl_using_subcommand events; and __fish_seen_subcommand_from retry" -l data-file -d 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand events; and __fish_seen_subcommand_from retry" -l timezone -d 'IANA timezone of session times [default: the school\'s (attctl school set), else the machine\'s]' -r
complete -c attctl -n "__fish_attctl_using_subcommand events; and __fish_seen_subcommand_from retry" -l failed -d 'Every failed event'
complete -c attctl -n "__fish_attctl_using_subcommand events; and __fish_seen_subcommand_from retry" -s v -l verbose -d 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
complete -c attctl -n "__fish_attctl_using_subcommand events; and __fish_seen_subcommand_from retry" -l debug -d 'Log debug details to stderr (or set RUST_LOG)'
complete -c attctl -n "__fish_attctl_using_subcommand events; and __fish_seen_subcommand_from retry" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c attctl -n "__fish_attctl_using_subcommand events; and __fish_seen_subcommand_from retry" -s V -l version -d 'Print version'
complete -c attctl -n "__fish_attctl_using_subcommand events; and __fish_seen_subcommand_from help" -f -a "list" -d 'List recorded events with their delivery state: newest first in a table, oldest first in JSON, NDJSON and CSV'
complete -c attctl -n "__fish_attctl_using_subcommand events; and __fish_seen_subcommand_from help" -f -a "retry" -d 'Deliver again: one event by id, or every failed one'
complete -c attctl -n "__fish_attctl_using_subcommand events; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c attctl -n "__fish_attctl_using_subcommand notify; and not __fish_seen_subcommand_from test help" -s o -l output -d 'Output format [default: table on a terminal, json otherwise]' -r -f -a "table\t'Aligned columns for people (default on a terminal), fitted to its width: one line a row, long names cut with …, internal ids (run and event ids) left out'
wide\t'The table with every column (run and event ids, exact instants) and every cell whole'
json\t'One JSON document (default when piped)'
ndjson\t'One JSON object per line, streamed'
csv\t'Comma-separated values with a header row (reports; lists print their table columns)'"
complete -c attctl -n "__fish_attctl_using_subcommand notify; and not __fish_seen_subcommand_from test help" -l color -d 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c attctl -n "__fish_attctl_using_subcommand notify; and not __fish_seen_subcommand_from test help" -l config -d 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand notify; and not __fish_seen_subcommand_from test help" -l profile -d 'Profile of the config file to use' -r
complete -c attctl -n "__fish_attctl_using_subcommand notify; and not __fish_seen_subcommand_from test help" -l backend -d 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]' -r -f -a "supabase\t''
local\t''"
complete -c attctl -n "__fish_attctl_using_subcommand notify; and not __fish_seen_subcommand_from test help" -l supabase-url -d 'Supabase project URL (the key is read from the environment, never from flags)' -r
complete -c attctl -n "__fish_attctl_using_subcommand notify; and not __fish_seen_subcommand_from test help" -l data-file -d 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand notify; and not __fish_seen_subcommand_from test help" -l timezone -d 'IANA timezone of session times [default: the school\'s (attctl school set), else the machine\'s]' -r
complete -c attctl -n "__fish_attctl_using_subcommand notify; and not __fish_seen_subcommand_from test help" -s v -l verbose -d 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
complete -c attctl -n "__fish_attctl_using_subcommand notify; and not __fish_seen_subcommand_from test help" -l debug -d 'Log debug details to stderr (or set RUST_LOG)'
complete -c attctl -n "__fish_attctl_using_subcommand notify; and not __fish_seen_subcommand_from test help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c attctl -n "__fish_attctl_using_subcommand notify; and not __fish_seen_subcommand_from test help" -s V -l version -d 'Print version'
complete -c attctl -n "__fish_attctl_using_subcommand notify; and not __fish_seen_subcommand_from test help" -f -a "test" -d 'Send a sample event and report each receiver\'s answer'
complete -c attctl -n "__fish_attctl_using_subcommand notify; and not __fish_seen_subcommand_from test help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c attctl -n "__fish_attctl_using_subcommand notify; and __fish_seen_subcommand_from test" -l channel -d 'Only this channel (default: every configured one)' -r -f -a "webhook\t''
slack\t''
email\t''"
complete -c attctl -n "__fish_attctl_using_subcommand notify; and __fish_seen_subcommand_from test" -s o -l output -d 'Output format [default: table on a terminal, json otherwise]' -r -f -a "table\t'Aligned columns for people (default on a terminal), fitted to its width: one line a row, long names cut with …, internal ids (run and event ids) left out'
wide\t'The table with every column (run and event ids, exact instants) and every cell whole'
json\t'One JSON document (default when piped)'
ndjson\t'One JSON object per line, streamed'
csv\t'Comma-separated values with a header row (reports; lists print their table columns)'"
complete -c attctl -n "__fish_attctl_using_subcommand notify; and __fish_seen_subcommand_from test" -l color -d 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c attctl -n "__fish_attctl_using_subcommand notify; and __fish_seen_subcommand_from test" -l config -d 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand notify; and __fish_seen_subcommand_from test" -l profile -d 'Profile of the config file to use' -r
complete -c attctl -n "__fish_attctl_using_subcommand notify; and __fish_seen_subcommand_from test" -l backend -d 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]' -r -f -a "supabase\t''
local\t''"
complete -c attctl -n "__fish_attctl_using_subcommand notify; and __fish_seen_subcommand_from test" -l supabase-url -d 'Supabase project URL (the key is read from the environment, never from flags)' -r
complete -c attctl -n "__fish_attctl_using_subcommand notify; and __fish_seen_subcommand_from test" -l data-file -d 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand notify; and __fish_seen_subcommand_from test" -l timezone -d 'IANA timezone of session times [default: the school\'s (attctl school set), else the machine\'s]' -r
complete -c attctl -n "__fish_attctl_using_subcommand notify; and __fish_seen_subcommand_from test" -s v -l verbose -d 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
complete -c attctl -n "__fish_attctl_using_subcommand notify; and __fish_seen_subcommand_from test" -l debug -d 'Log debug details to stderr (or set RUST_LOG)'
complete -c attctl -n "__fish_attctl_using_subcommand notify; and __fish_seen_subcommand_from test" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c attctl -n "__fish_attctl_using_subcommand notify; and __fish_seen_subcommand_from test" -s V -l version -d 'Print version'
complete -c attctl -n "__fish_attctl_using_subcommand notify; and __fish_seen_subcommand_from help" -f -a "test" -d 'Send a sample event and report each receiver\'s answer'
complete -c attctl -n "__fish_attctl_using_subcommand notify; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c attctl -n "__fish_attctl_using_subcommand completions" -s o -l output -d 'Output format [default: table on a terminal, json otherwise]' -r -f -a "table\t'Aligned columns for people (default on a terminal), fitted to its width: one line a row, long names cut with …, internal ids (run and event ids) left out'
wide\t'The table with every column (run and event ids, exact instants) and every cell whole'
json\t'One JSON document (default when piped)'
ndjson\t'One JSON object per line, streamed'
csv\t'Comma-separated values with a header row (reports; lists print their table columns)'"
complete -c attctl -n "__fish_attctl_using_subcommand completions" -l color -d 'When to use colours (NO_COLOR and CLICOLOR are honoured in auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c attctl -n "__fish_attctl_using_subcommand completions" -l config -d 'Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand completions" -l profile -d 'Profile of the config file to use' -r
complete -c attctl -n "__fish_attctl_using_subcommand completions" -l backend -d 'Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]' -r -f -a "supabase\t''
local\t''"
complete -c attctl -n "__fish_attctl_using_subcommand completions" -l supabase-url -d 'Supabase project URL (the key is read from the environment, never from flags)' -r
complete -c attctl -n "__fish_attctl_using_subcommand completions" -l data-file -d 'SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]' -r -F
complete -c attctl -n "__fish_attctl_using_subcommand completions" -l timezone -d 'IANA timezone of session times [default: the school\'s (attctl school set), else the machine\'s]' -r
complete -c attctl -n "__fish_attctl_using_subcommand completions" -s v -l verbose -d 'Every row of a bulk answer at a terminal (import, generate, close/delete by filter, holiday --delete-sessions), not a summary with the first few of each kind'
complete -c attctl -n "__fish_attctl_using_subcommand completions" -l debug -d 'Log debug details to stderr (or set RUST_LOG)'
complete -c attctl -n "__fish_attctl_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c attctl -n "__fish_attctl_using_subcommand completions" -s V -l version -d 'Print version'
complete -c attctl -n "__fish_attctl_using_subcommand help; and not __fish_seen_subcommand_from session class status holiday school doctor report login logout whoami staff config events notify completions help" -f -a "session" -d 'Create, list, close, reschedule and delete teaching sessions'
complete -c attctl -n "__fish_attctl_using_subcommand help; and not __fish_seen_subcommand_from session class status holiday school doctor report login logout whoami staff config events notify completions help" -f -a "class" -d 'List, create, rename and delete classes'
complete -c attctl -n "__fish_attctl_using_subcommand help; and not __fish_seen_subcommand_from session class status holiday school doctor report login logout whoami staff config events notify completions help" -f -a "status" -d 'Today at a glance: sessions open now, the next closes, overdue ones, the worker'
complete -c attctl -n "__fish_attctl_using_subcommand help; and not __fish_seen_subcommand_from session class status holiday school doctor report login logout whoami staff config events notify completions help" -f -a "holiday" -d 'School holidays: no session is generated on them'
complete -c attctl -n "__fish_attctl_using_subcommand help; and not __fish_seen_subcommand_from session class status holiday school doctor report login logout whoami staff config events notify completions help" -f -a "school" -d 'The school\'s settings kept with its data: its time zone, its default session type'
complete -c attctl -n "__fish_attctl_using_subcommand help; and not __fish_seen_subcommand_from session class status holiday school doctor report login logout whoami staff config events notify completions help" -f -a "doctor" -d 'Check configuration, connectivity, schema and the worker'
complete -c attctl -n "__fish_attctl_using_subcommand help; and not __fish_seen_subcommand_from session class status holiday school doctor report login logout whoami staff config events notify completions help" -f -a "report" -d 'Closure analytics: who closes sessions, how late, and what is still open'
complete -c attctl -n "__fish_attctl_using_subcommand help; and not __fish_seen_subcommand_from session class status holiday school doctor report login logout whoami staff config events notify completions help" -f -a "login" -d 'Sign in as yourself (a staff machine has SUPABASE_URL and the anon key only)'
complete -c attctl -n "__fish_attctl_using_subcommand help; and not __fish_seen_subcommand_from session class status holiday school doctor report login logout whoami staff config events notify completions help" -f -a "logout" -d 'Sign out: revoke this machine\'s session at Supabase Auth and forget it'
complete -c attctl -n "__fish_attctl_using_subcommand help; and not __fish_seen_subcommand_from session class status holiday school doctor report login logout whoami staff config events notify completions help" -f -a "whoami" -d 'Who is signed in here: email, user id, role and classes'
complete -c attctl -n "__fish_attctl_using_subcommand help; and not __fish_seen_subcommand_from session class status holiday school doctor report login logout whoami staff config events notify completions help" -f -a "staff" -d 'Staff accounts: who may sign in, as teacher (their classes) or admin (everything)'
complete -c attctl -n "__fish_attctl_using_subcommand help; and not __fish_seen_subcommand_from session class status holiday school doctor report login logout whoami staff config events notify completions help" -f -a "config" -d 'Show, locate or create the config file'
complete -c attctl -n "__fish_attctl_using_subcommand help; and not __fish_seen_subcommand_from session class status holiday school doctor report login logout whoami staff config events notify completions help" -f -a "events" -d 'List session events (the outbox of notifications) and retry failed deliveries'
complete -c attctl -n "__fish_attctl_using_subcommand help; and not __fish_seen_subcommand_from session class status holiday school doctor report login logout whoami staff config events notify completions help" -f -a "notify" -d 'Send a sample notification to the configured channels'
complete -c attctl -n "__fish_attctl_using_subcommand help; and not __fish_seen_subcommand_from session class status holiday school doctor report login logout whoami staff config events notify completions help" -f -a "completions" -d 'Print a shell completion script to stdout'
complete -c attctl -n "__fish_attctl_using_subcommand help; and not __fish_seen_subcommand_from session class status holiday school doctor report login logout whoami staff config events notify completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c attctl -n "__fish_attctl_using_subcommand help; and __fish_seen_subcommand_from session" -f -a "create" -d 'Create a session; its automatic close is scheduled at its end'
complete -c attctl -n "__fish_attctl_using_subcommand help; and __fish_seen_subcommand_from session" -f -a "list" -d 'List sessions, ordered by date then start time'
complete -c attctl -n "__fish_attctl_using_subcommand help; and __fish_seen_subcommand_from session" -f -a "show" -d 'Show one session'
complete -c attctl -n "__fish_attctl_using_subcommand help; and __fish_seen_subcommand_from session" -f -a "close" -d 'Close sessions now (a closed session is reported, not an error, unless --strict)'
complete -c attctl -n "__fish_attctl_using_subcommand help; and __fish_seen_subcommand_from session" -f -a "delete" -d 'Delete sessions and cancel their automatic close'
complete -c attctl -n "__fish_attctl_using_subcommand help; and __fish_seen_subcommand_from session" -f -a "reschedule" -d 'Move a session to new times and schedule its close again'
complete -c attctl -n "__fish_attctl_using_subcommand help; and __fish_seen_subcommand_from session" -f -a "generate" -d 'Create a class\'s sessions for a term: weekdays or an RRULE, holidays skipped'
complete -c attctl -n "__fish_attctl_using_subcommand help; and __fish_seen_subcommand_from session" -f -a "import" -d 'Create sessions from a CSV or iCalendar file (all rows valid, or nothing written)'
complete -c attctl -n "__fish_attctl_using_subcommand help; and __fish_seen_subcommand_from session" -f -a "export" -d 'Write sessions to stdout as CSV (re-importable) or iCalendar'
complete -c attctl -n "__fish_attctl_using_subcommand help; and __fish_seen_subcommand_from class" -f -a "list" -d 'List classes'
complete -c attctl -n "__fish_attctl_using_subcommand help; and __fish_seen_subcommand_from class" -f -a "create" -d 'Create a class'
complete -c attctl -n "__fish_attctl_using_subcommand help; and __fish_seen_subcommand_from class" -f -a "update" -d 'Change a class\'s settings: its email recipients'
complete -c attctl -n "__fish_attctl_using_subcommand help; and __fish_seen_subcommand_from class" -f -a "rename" -d 'Rename a class (its sessions keep it)'
complete -c attctl -n "__fish_attctl_using_subcommand help; and __fish_seen_subcommand_from class" -f -a "delete" -d 'Delete a class; refused while it has sessions, unless --cascade --yes'
complete -c attctl -n "__fish_attctl_using_subcommand help; and __fish_seen_subcommand_from holiday" -f -a "add" -d 'Add a holiday (one day, or --from to --to inclusive). Open sessions already planned on it are named on stderr; --delete-sessions deletes them (their closes cancelled)'
complete -c attctl -n "__fish_attctl_using_subcommand help; and __fish_seen_subcommand_from holiday" -f -a "list" -d 'List holidays'
complete -c attctl -n "__fish_attctl_using_subcommand help; and __fish_seen_subcommand_from holiday" -f -a "delete" -d 'Delete a holiday'
complete -c attctl -n "__fish_attctl_using_subcommand help; and __fish_seen_subcommand_from holiday" -f -a "import" -d 'Add the all-day events of an iCalendar file as holidays'
complete -c attctl -n "__fish_attctl_using_subcommand help; and __fish_seen_subcommand_from school" -f -a "show" -d 'Show the school\'s settings'
complete -c attctl -n "__fish_attctl_using_subcommand help; and __fish_seen_subcommand_from school" -f -a "set" -d 'Change the school\'s settings: `--timezone ZONE` (the zone of every new session that names none, whoever creates it) and `--session-type TYPE`'
complete -c attctl -n "__fish_attctl_using_subcommand help; and __fish_seen_subcommand_from report" -f -a "closures" -d 'Closures per group: manual, automatic and sweep closes, automatic-close lag, early manual closes, sessions still open (computed in the database)'
complete -c attctl -n "__fish_attctl_using_subcommand help; and __fish_seen_subcommand_from report" -f -a "open-past-end" -d 'Sessions still Open past their end plus a grace; exits 1 when there are any (for cron and monitoring)'
complete -c attctl -n "__fish_attctl_using_subcommand help; and __fish_seen_subcommand_from report" -f -a "registers" -d 'The register of each closed session on the original app\'s database: enrolled, marked (present, late, absent), marked absent at close, and whether it was taken (computed in the database); registers not taken first'
complete -c attctl -n "__fish_attctl_using_subcommand help; and __fish_seen_subcommand_from staff" -f -a "add" -d 'Add a staff member by the email of their Supabase Auth account (invite them first), or change their role; --class adds classes they teach'
complete -c attctl -n "__fish_attctl_using_subcommand help; and __fish_seen_subcommand_from staff" -f -a "list" -d 'List staff members, their roles and classes'
complete -c attctl -n "__fish_attctl_using_subcommand help; and __fish_seen_subcommand_from staff" -f -a "remove" -d 'Remove a staff member: they keep their account but may no longer touch anything'
complete -c attctl -n "__fish_attctl_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "show" -d 'Show the resolved settings and where each came from (secrets masked)'
complete -c attctl -n "__fish_attctl_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "path" -d 'Print the config file\'s path (plainly; -o json for {"path", "exists"})'
complete -c attctl -n "__fish_attctl_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "init" -d 'Write a commented config file (mode 0600)'
complete -c attctl -n "__fish_attctl_using_subcommand help; and __fish_seen_subcommand_from events" -f -a "list" -d 'List recorded events with their delivery state: newest first in a table, oldest first in JSON, NDJSON and CSV'
complete -c attctl -n "__fish_attctl_using_subcommand help; and __fish_seen_subcommand_from events" -f -a "retry" -d 'Deliver again: one event by id, or every failed one'
complete -c attctl -n "__fish_attctl_using_subcommand help; and __fish_seen_subcommand_from notify" -f -a "test" -d 'Send a sample event and report each receiver\'s answer'
