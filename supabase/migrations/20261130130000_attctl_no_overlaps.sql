-- attctl: two sessions of one class cannot overlap in time, unless created with
-- --allow-overlap (allow_overlap = true).
--
--   * adds teaching_sessions.allow_overlap (default false);
--   * adds the exclusion constraint teaching_sessions_no_overlap (btree_gist): a new or
--     moved session is refused (23P01) while another session of its class, neither marked
--     allow_overlap, shares any part of its time. Adjacent sessions (08:00-09:00 and
--     09:00-10:00) do not overlap. The database, not the client, decides, so two concurrent
--     creates cannot both slip in;
--   * an upgraded database may already hold overlapping rows from the original app. Then
--     the constraint is NOT created and a WARNING names the problem (like the unique keys
--     of the first migration); `attctl doctor` lists it as missing, and running this
--     migration again once the overlaps are resolved creates it;
--   * sessions crossing midnight exist only as such old rows: their span ends the next day,
--     as their closing instant does (see 20261130110000_attctl_legacy_rows.sql).
-- Every statement is idempotent.

create schema if not exists extensions;
create extension if not exists btree_gist with schema extensions;

alter table public.teaching_sessions
  add column if not exists allow_overlap boolean not null default false;

do $$
begin
  if exists (
    select 1 from pg_catalog.pg_constraint
    where conrelid = 'public.teaching_sessions'::regclass
      and conname = 'teaching_sessions_no_overlap'
  ) then
    return;
  end if;
  begin
    alter table public.teaching_sessions
      add constraint teaching_sessions_no_overlap
      exclude using gist (
        class_id with =,
        tsrange(session_date + start_time,
                (session_date + (end_time < start_time)::integer) + end_time) with &&
      ) where (not allow_overlap);
  exception
    when exclusion_violation then
      raise warning 'public.teaching_sessions has overlapping sessions of one class in existing rows: teaching_sessions_no_overlap not created; resolve the overlaps (or set allow_overlap on the rows meant to overlap) and run this migration again';
    when data_exception then
      raise warning 'public.teaching_sessions has rows whose time span cannot be computed (%): teaching_sessions_no_overlap not created; fix them (`attctl doctor`) and run this migration again', sqlerrm;
  end;
end $$;

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
    'version', '20261130130000',
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
