-- attctl warning runs (issue 12): with Hatchet, each `session.closing_soon` warning is a
-- scheduled run of `warn-teaching-session` at `closes_at - offset`. Their run ids are kept
-- here, one row per (session, offset, closing instant), so that closing, deleting or
-- moving a session cancels its pending warning runs. A run that fires after all (the
-- engine fires a run armed within 5 s of its trigger even after a delete) finds the
-- session closed, gone or moved, and records nothing: attctl_record_warning() checks.
-- The sweep replans what is missing (attctl_missing_warning_runs()). Rows of past
-- instants are pruned with old events. Idempotent: safe to apply again.

create table if not exists public.session_warning_runs (
  session_id bigint not null
    constraint session_warning_runs_session_id_fkey
    references public.teaching_sessions (id) on delete cascade,
  offset_seconds integer not null
    constraint session_warning_runs_offset_check check (offset_seconds > 0),
  closes_at timestamptz not null,
  run_id text not null
    constraint session_warning_runs_run_id_check check (length(run_id) between 1 and 200),
  created_at timestamptz not null default now(),
  constraint session_warning_runs_pkey primary key (session_id, offset_seconds, closes_at)
);

create index if not exists session_warning_runs_closes_at_idx
  on public.session_warning_runs (closes_at);

-- Keeps the runs whose session still exists and whose key is not kept yet, in one
-- statement; answers the rows kept, so the caller cancels the others (duplicates of a run
-- another process planned, or runs of a session deleted meanwhile).
create or replace function public.attctl_add_warning_runs(runs jsonb)
returns table (session_id bigint, offset_seconds integer, closes_at timestamptz, run_id text)
language sql
set search_path = ''
as $$
  insert into public.session_warning_runs as w (session_id, offset_seconds, closes_at, run_id)
  select r.session_id, r.offset_seconds, r.closes_at, r.run_id
  from jsonb_to_recordset(runs)
    as r (session_id bigint, offset_seconds integer, closes_at timestamptz, run_id text)
  where exists (select 1 from public.teaching_sessions s where s.id = r.session_id)
  on conflict on constraint session_warning_runs_pkey do nothing
  returning w.session_id, w.offset_seconds, w.closes_at, w.run_id
$$;

revoke all on function public.attctl_add_warning_runs(jsonb) from public, anon, authenticated;
grant execute on function public.attctl_add_warning_runs(jsonb) to service_role;

-- What the sweep replans: Open sessions closing after `after` that have a Hatchet run, were
-- last changed before `settled_before` (a creator still planning their warning runs is left
-- to finish), and lack a kept warning run for one of `offsets` at their current closing
-- instant. (session, offset) pairs, by closing instant.
create or replace function public.attctl_missing_warning_runs(
  offsets integer[], after timestamptz, settled_before timestamptz, max_rows integer)
returns table (session_id bigint, offset_seconds integer)
language sql
stable
set search_path = ''
as $$
  select s.id, o.off
  from public.teaching_sessions s
  cross join unnest(offsets) as o (off)
  where s.status = 'Open' and s.closes_at > after and s.updated_at < settled_before
    and s.scheduled_task_id ~ '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'
    and not exists (
      select 1 from public.session_warning_runs w
      where w.session_id = s.id and w.offset_seconds = o.off and w.closes_at = s.closes_at)
  order by s.closes_at, s.id, o.off
  limit max_rows
$$;

revoke all on function public.attctl_missing_warning_runs(integer[], timestamptz, timestamptz, integer)
  from public, anon, authenticated;
grant execute on function public.attctl_missing_warning_runs(integer[], timestamptz, timestamptz, integer)
  to service_role;

alter table public.session_warning_runs enable row level security;

drop policy if exists attctl_service_role_all on public.session_warning_runs;
create policy attctl_service_role_all on public.session_warning_runs
  as permissive for all to service_role using (true) with check (true);

grant all on table public.session_warning_runs to service_role;
revoke all on table public.session_warning_runs from anon, authenticated;

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
    'version', '20261130190000',
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
