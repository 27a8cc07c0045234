-- attctl: the outbox's `session.created` and `session.deleted` events written once per
-- statement (issue 24).
--
-- The row trigger teaching_sessions_record_event ran a PL/pgSQL function, read the JWT
-- claims for the writer and ran one INSERT into session_events per session: about 220 µs
-- a row, 85% of a 1,000-row insert's time in the database (265 ms, 28 ms with no trigger
-- at all). `session import`, `session generate`, the app's bulk inserts and every bulk
-- delete paid it per row. A statement trigger with a transition table writes the same
-- events, payload for payload, with one INSERT … SELECT and the writer read once: the same
-- 1,000-row insert takes about 75 ms.
--
-- Updates keep the row trigger: teaching_sessions_register_at_close is a row trigger that
-- fires after it (name order), so that a session's `session.closed` precedes its
-- `session.register_missing`; a statement trigger fires after every row trigger and would
-- turn that order round.

-- One function for both statement triggers: each names its transition table `changed`.
-- The session is rendered as attctl_session_event_json(to_jsonb(row)) renders it, for the
-- whole table at once (a join instead of a function call and a lookup per row: 9 ms instead
-- of 44 ms for 1,000 rows), streaming however many rows the statement touched. Keep the
-- two in step; a test compares them.
create or replace function public.teaching_sessions_record_rows()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  actor jsonb := public.attctl_actor();
  event_type text := case tg_op when 'INSERT' then 'session.created' else 'session.deleted' end;
begin
  insert into public.session_events (type, session_id, payload)
  select event_type, r.id,
         jsonb_build_object(
           'session',
           r.s
             || jsonb_build_object('class_name', c.name)
             || case when r.s ->> 'status' = 'Close' then '{"status": "Closed"}'::jsonb
                     else '{}'::jsonb end
             || case when r.s ->> 'created_at' ~ '^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?$'
                     then jsonb_build_object('created_at',
                            to_jsonb((r.s ->> 'created_at')::timestamp at time zone 'UTC'))
                     else '{}'::jsonb end
             || case when r.s ->> 'updated_at' ~ '^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?$'
                     then jsonb_build_object('updated_at',
                            to_jsonb((r.s ->> 'updated_at')::timestamp at time zone 'UTC'))
                     else '{}'::jsonb end,
           'actor', actor)
  from (select t.id, to_jsonb(t) as s from changed t) r
  left join public.classes c on c.id = (r.s ->> 'class_id')::bigint
  order by r.id;
  return null;
end
$$;
revoke all on function public.teaching_sessions_record_rows() from public, anon, authenticated;

-- The row trigger keeps its name (the register trigger's order depends on it) and now fires
-- on updates only; its function's INSERT and DELETE branches are no longer reached. It runs
-- only for an update that can make an event (a status or a time changed): storing run ids,
-- the planner's write for every session, no longer calls it (it read the JWT claims and
-- built the writer's JSON for each row, to write nothing).
drop trigger if exists teaching_sessions_record_event on public.teaching_sessions;
create trigger teaching_sessions_record_event
  after update on public.teaching_sessions
  for each row
  when (old.status is distinct from new.status
        or (old.session_date, old.start_time, old.end_time, old.timezone, old.closes_at)
           is distinct from
           (new.session_date, new.start_time, new.end_time, new.timezone, new.closes_at))
  execute function public.teaching_sessions_record_event();

drop trigger if exists teaching_sessions_record_created on public.teaching_sessions;
create trigger teaching_sessions_record_created
  after insert on public.teaching_sessions
  referencing new table as changed
  for each statement execute function public.teaching_sessions_record_rows();

drop trigger if exists teaching_sessions_record_deleted on public.teaching_sessions;
create trigger teaching_sessions_record_deleted
  after delete on public.teaching_sessions
  referencing old table as changed
  for each statement execute function public.teaching_sessions_record_rows();

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
    'version', '20261205180000',
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
