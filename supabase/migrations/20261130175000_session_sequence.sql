-- attctl: how many times each session was rescheduled, for the SEQUENCE of its
-- iCalendar export (calendar clients take a higher SEQUENCE as a newer version of the event;
-- only a change of its time should raise it, a close should not).
--
--   * adds teaching_sessions.reschedule_count (default 0);
--   * a BEFORE UPDATE trigger raises it when the session's time changes (date, start, end,
--     zone or closing instant), the same change that records a session.rescheduled event,
--     whichever client made it. The outbox cannot be counted instead: it is pruned.
--
-- Idempotent: safe to run again.

alter table public.teaching_sessions
  add column if not exists reschedule_count integer not null default 0;

create or replace function public.teaching_sessions_count_reschedule()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if (new.session_date, new.start_time, new.end_time, new.timezone, new.closes_at)
     is distinct from
     (old.session_date, old.start_time, old.end_time, old.timezone, old.closes_at) then
    new.reschedule_count := old.reschedule_count + 1;
  else
    -- Only this trigger moves it: a client cannot set it by hand.
    new.reschedule_count := old.reschedule_count;
  end if;
  return new;
end
$$;

revoke all on function public.teaching_sessions_count_reschedule() from public, anon, authenticated;

-- Named to run after teaching_sessions_before_write (triggers fire in name order), which
-- recomputes closes_at from the new wall-clock time.
drop trigger if exists teaching_sessions_count_reschedule on public.teaching_sessions;
create trigger teaching_sessions_count_reschedule
  before update on public.teaching_sessions
  for each row execute function public.teaching_sessions_count_reschedule();

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
    'version', '20261130175000',
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
