-- attctl: `session import` writes a chunk of rows in one call, each row checked in the
-- database (issue 24). Before, the import read each class's sessions once per day it
-- touched (thousands of requests for a term); now a chunk of up to 1,000 rows is one
-- request, whatever the classes and days it covers.
--
-- attctl_import_sessions(sessions, skip_holidays, write) answers one word per row, in order:
--   holiday  an Open row on a holiday (when skip_holidays): not written;
--   exists   the class has a session starting then that day: not written;
--   overlap  it overlaps another session of the class (an old session crossing midnight
--            included): not written;
--   new      written (write) or would be (not write), and listed in `created` when written.
-- Rows are taken in order: a row is checked against the stored sessions and the rows of
-- the chunk written before it, as if inserted one by one. A clean chunk (no two rows of one
-- class and day that clash) is written by one INSERT; a chunk with clashes row by row.
-- A row another writer commits meanwhile is skipped by ON CONFLICT DO NOTHING (unique key
-- and exclusion constraint): answered `new` but absent from `created` (it exists).
-- With write = false nothing is written and each row is checked against the store only:
-- attctl's --dry-run checks the file's own rows itself.
--
-- One statement's transaction: all or nothing per chunk, as the bulk insert it replaces.
-- Security invoker: a signed-in teacher's call reads and writes under their RLS policies
-- (their classes only), as their bulk insert did; the row triggers (closes_at, the
-- session_events outbox, the original app's columns) run as for any insert.

create or replace function public.attctl_import_sessions(
  sessions jsonb,
  skip_holidays boolean default true,
  write boolean default true
)
returns json
language plpgsql
volatile
security invoker
set search_path = ''
as $$
declare
  answers text[];
  clashes boolean;
  typed boolean;
  created json := '[]'::json;
  written_rows jsonb := '[]'::jsonb;
  r record;
  same boolean;
  over boolean;
  written jsonb;
begin
  if jsonb_typeof(sessions) is distinct from 'array' then
    raise exception 'sessions must be a JSON array' using errcode = '22023';
  end if;

  -- Each row against the sessions stored before this call, and whether two rows of the
  -- chunk clash (the same class and day, overlapping or starting together).
  with rows as (
    select e.n,
           (e.v->>'class_id')::bigint as class_id,
           (e.v->>'session_date')::date as session_date,
           (e.v->>'start_time')::time as start_time,
           (e.v->>'end_time')::time as end_time,
           coalesce(e.v->>'status', 'Open') as status
    from jsonb_array_elements(sessions) with ordinality as e (v, n)
  ),
  -- The stored sessions of each row's class that day, and the day before (one crossing
  -- midnight into it): equality joins, so one index or hash lookup per row whatever the
  -- planner believes of the table's size.
  pairs as (
    select c.n,
           t.start_time = c.start_time as same,
           t.start_time < c.end_time
             and (t.end_time > c.start_time or t.end_time < t.start_time) as over
    from rows c
    join public.teaching_sessions t
      on t.class_id = c.class_id and t.session_date = c.session_date
    union all
    select c.n, false, t.end_time < t.start_time and t.end_time > c.start_time
    from rows c
    join public.teaching_sessions t
      on t.class_id = c.class_id and t.session_date = c.session_date - 1
  ),
  found as (
    select p.n, bool_or(p.same) as same, bool_or(p.over) as over
    from pairs p
    group by p.n
  ),
  judged as (
    select c.*,
      case
        when skip_holidays and c.status = 'Open' and exists (
          select 1 from public.holidays h
          where h.first_date <= c.session_date and h.last_date >= c.session_date)
          then 'holiday'
        when f.same then 'exists'
        when f.over then 'overlap'
        else 'new'
      end as answer
    from rows c
    left join found f on f.n = c.n
  ),
  ordered as (
    select j.*,
           max(j.end_time) over (partition by j.class_id, j.session_date order by j.start_time, j.n
                                 rows between unbounded preceding and 1 preceding) as end_before
    from judged j
    where j.answer <> 'holiday'
  )
  select (select array_agg(j.answer order by j.n) from judged j),
         coalesce((select bool_or(o.start_time < o.end_before) from ordered o), false)
    into answers, clashes;

  if not write or coalesce(array_length(answers, 1), 0) = 0 then
    return json_build_object('answers', coalesce(to_json(answers), '[]'::json),
                             'created', created);
  end if;

  -- `--type` is given for every row or none; without it the column's default applies
  -- (and a database without the column takes the import).
  typed := exists (select 1 from jsonb_array_elements(sessions) e where e ? 'session_type');

  if not clashes then
    if typed then
      with ins as (
        insert into public.teaching_sessions (class_id, session_date, start_time, end_time,
          timezone, closes_at, scheduled_task_id, status, closed_at, closed_by, session_type)
        select (e.v->>'class_id')::bigint, (e.v->>'session_date')::date,
               (e.v->>'start_time')::time, (e.v->>'end_time')::time, e.v->>'timezone',
               (e.v->>'closes_at')::timestamptz, e.v->>'scheduled_task_id',
               coalesce(e.v->>'status', 'Open'), (e.v->>'closed_at')::timestamptz,
               e.v->>'closed_by', e.v->>'session_type'
        from jsonb_array_elements(sessions) with ordinality as e (v, n)
        where answers[e.n::integer] = 'new'
        order by e.n
        on conflict do nothing
        returning *
      )
      select coalesce(json_agg(ins.*), '[]'::json) into created from ins;
    else
      with ins as (
        insert into public.teaching_sessions (class_id, session_date, start_time, end_time,
          timezone, closes_at, scheduled_task_id, status, closed_at, closed_by)
        select (e.v->>'class_id')::bigint, (e.v->>'session_date')::date,
               (e.v->>'start_time')::time, (e.v->>'end_time')::time, e.v->>'timezone',
               (e.v->>'closes_at')::timestamptz, e.v->>'scheduled_task_id',
               coalesce(e.v->>'status', 'Open'), (e.v->>'closed_at')::timestamptz,
               e.v->>'closed_by'
        from jsonb_array_elements(sessions) with ordinality as e (v, n)
        where answers[e.n::integer] = 'new'
        order by e.n
        on conflict do nothing
        returning *
      )
      select coalesce(json_agg(ins.*), '[]'::json) into created from ins;
    end if;
    return json_build_object('answers', to_json(answers), 'created', created);
  end if;

  -- Rows of the chunk clash: one by one, each checked against what is stored now
  -- (the rows of this chunk written before it included).
  for r in
    select e.n,
           (e.v->>'class_id')::bigint as class_id,
           (e.v->>'session_date')::date as session_date,
           (e.v->>'start_time')::time as start_time,
           (e.v->>'end_time')::time as end_time,
           e.v->>'timezone' as timezone,
           (e.v->>'closes_at')::timestamptz as closes_at,
           e.v->>'scheduled_task_id' as scheduled_task_id,
           coalesce(e.v->>'status', 'Open') as status,
           (e.v->>'closed_at')::timestamptz as closed_at,
           e.v->>'closed_by' as closed_by,
           e.v->>'session_type' as session_type
    from jsonb_array_elements(sessions) with ordinality as e (v, n)
    order by e.n
  loop
    if answers[r.n::integer] = 'holiday' then
      continue;
    end if;
    select coalesce(bool_or(t.session_date = r.session_date and t.start_time = r.start_time), false),
           coalesce(bool_or(case when t.session_date = r.session_date
                                 then t.start_time < r.end_time
                                      and (t.end_time > r.start_time or t.end_time < t.start_time)
                                 else t.end_time < t.start_time and t.end_time > r.start_time
                            end), false)
      into same, over
    from public.teaching_sessions t
    where t.class_id = r.class_id
      and t.session_date in (r.session_date, r.session_date - 1);
    if same then
      answers[r.n::integer] := 'exists';
      continue;
    elsif over then
      answers[r.n::integer] := 'overlap';
      continue;
    end if;
    written := null;
    if typed then
      insert into public.teaching_sessions as t (class_id, session_date, start_time, end_time,
        timezone, closes_at, scheduled_task_id, status, closed_at, closed_by, session_type)
      values (r.class_id, r.session_date, r.start_time, r.end_time, r.timezone, r.closes_at,
              r.scheduled_task_id, r.status, r.closed_at, r.closed_by, r.session_type)
      on conflict do nothing
      returning to_jsonb(t.*) into written;
    else
      insert into public.teaching_sessions as t (class_id, session_date, start_time, end_time,
        timezone, closes_at, scheduled_task_id, status, closed_at, closed_by)
      values (r.class_id, r.session_date, r.start_time, r.end_time, r.timezone, r.closes_at,
              r.scheduled_task_id, r.status, r.closed_at, r.closed_by)
      on conflict do nothing
      returning to_jsonb(t.*) into written;
    end if;
    if written is null then
      -- Committed by another writer since the check: its row stands.
      answers[r.n::integer] := case when exists (
        select 1 from public.teaching_sessions t
        where t.class_id = r.class_id and t.session_date = r.session_date
          and t.start_time = r.start_time) then 'exists' else 'overlap' end;
    else
      answers[r.n::integer] := 'new';
      written_rows := written_rows || jsonb_build_array(written);
    end if;
  end loop;
  return json_build_object('answers', to_json(answers), 'created', written_rows);
end
$$;

revoke all on function public.attctl_import_sessions(jsonb, boolean, boolean) from public, anon, authenticated;
-- A teacher (or admin) signed in imports their classes' timetable: RLS decides, as for
-- their inserts.
grant execute on function public.attctl_import_sessions(jsonb, boolean, boolean)
  to service_role, authenticated;

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
    'version', '20261205130000',
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
