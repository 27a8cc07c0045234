-- attctl: run ids taken off many sessions in one request. attctl-worker follows the
-- sessions others move (a teacher's reschedule, the original app, psql): the old run is
-- taken off each moved row only where the row still holds it, so that a run planned
-- meanwhile is kept. That was one compare-and-set PATCH per session; a timetable moved by
-- hand is thousands of them. attctl_clear_run_ids() makes it one request per chunk.
--
-- SECURITY INVOKER (the default, stated): the caller's privileges and RLS apply, as they
-- would to the PATCH it replaces. Executable by the service role only (the worker).
-- Idempotent: applying it again replaces the function with itself.

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
