-- attctl: planning and following at a district's scale, one request per chunk.
--   * attctl_clear_run_ids(): attctl-worker follows the sessions others move (a teacher's
--     reschedule, the original app, psql) and takes the old run off each moved row only
--     where the row still holds it, so that a run planned meanwhile is kept. That was one
--     compare-and-set PATCH per session; a timetable moved by hand is thousands of them.
--   * attctl_claim_for_planning(): the planners' claims, 500 sessions a request (the ids
--     in the body) instead of a PATCH per 200 (the ids in the URL).
-- Both SECURITY INVOKER (stated): the caller's privileges and RLS apply, as to the PATCHes
-- they replace. Executable by the service role only (signed-in staff never plan runs).
-- Idempotent: applying it again replaces the functions with themselves.

--------------------------------------------------------------------------------
-- Clear run ids, compare-and-set, in bulk
--------------------------------------------------------------------------------

-- `runs` is [{"id": 7, "run": "<run id>"}, ...]: each session's scheduled_task_id becomes
-- null where it still equals that run. Answers the ids cleared.
create or replace function public.attctl_clear_run_ids(runs json)
returns json
language sql
security invoker
set search_path = ''
as $$
  with wanted as (
    select x.id, x.run from json_to_recordset(runs) as x (id bigint, run text)
  ), done as (
    update public.teaching_sessions s
       set scheduled_task_id = null
      from wanted w
     where s.id = w.id
       and s.scheduled_task_id = w.run
    returning s.id
  )
  select coalesce(json_agg(id order by id), '[]'::json) from done
$$;

revoke all on function public.attctl_clear_run_ids(json) from public, anon, authenticated;
grant execute on function public.attctl_clear_run_ids(json) to service_role;

--------------------------------------------------------------------------------
-- Claim sessions for planning, in bulk
--------------------------------------------------------------------------------

-- The sweep (and a bulk create with Hatchet) claims the sessions it is about to plan, so
-- that two planners never create two runs. As a PATCH the ids travel in the URL, 200 a
-- request; here in the body, 500 a request (attctl's choice: a loaded database's per-row
-- triggers must still finish within the statement timeout). `sessions` is
-- [{"id": 7, "held": "<scheduled_task_id as read, or null>"}, ...]: each Open session
-- closing after `after` gets `claim` if its scheduled_task_id is null, still what was
-- read, or already `claim` (a retried request). Answers the rows claimed.
create or replace function public.attctl_claim_for_planning(claim text, after timestamptz, sessions json)
returns setof public.teaching_sessions
language sql
security invoker
set search_path = ''
as $$
  update public.teaching_sessions s
     set scheduled_task_id = claim
    from json_to_recordset(sessions) as w (id bigint, held text)
   where s.id = w.id
     and s.status = 'Open'
     and s.closes_at > after
     and (s.scheduled_task_id is null
          or s.scheduled_task_id = w.held
          or s.scheduled_task_id = claim)
  returning s.*
$$;

revoke all on function public.attctl_claim_for_planning(text, timestamptz, json) from public, anon, authenticated;
grant execute on function public.attctl_claim_for_planning(text, timestamptz, json) to service_role;

--------------------------------------------------------------------------------
-- Schema version, for `attctl doctor`
--------------------------------------------------------------------------------

create or replace function public.attctl_schema_info()
returns json
language sql
stable
set search_path = ''
as $$
  select json_build_object(
    'version', '20261205140000',
    'tables', (
      select coalesce(json_agg(c.relname::text order by c.relname), '[]'::json)
      from pg_catalog.pg_class c
      join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('r', 'p')
        and c.relname in ('classes', 'teaching_sessions')),
    'unvalidated_constraints', (
      select coalesce(json_agg(k.conname::text order by k.conname), '[]'::json)
      from pg_catalog.pg_constraint k
      join pg_catalog.pg_class c on c.oid = k.conrelid
      join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relname in ('classes', 'teaching_sessions')
        and not k.convalidated),
    'missing_constraints', (
      select coalesce(json_agg(w.name order by w.name), '[]'::json)
      from unnest(array['classes_name_key', 'teaching_sessions_class_date_start_key',
                        'teaching_sessions_class_id_fkey',
                        'teaching_sessions_no_overlap']) as w (name)
      where not exists (
        select 1 from pg_catalog.pg_constraint k
        join pg_catalog.pg_namespace n on n.oid = k.connamespace
        where n.nspname = 'public' and k.conname = w.name))
  )
$$;

revoke all on function public.attctl_schema_info() from public, anon, authenticated;
grant execute on function public.attctl_schema_info() to service_role;

notify pgrst, 'reload schema';
