-- attctl: registers at close, on the original app's database (its `attendances` and
-- `class_students`). Where those tables do not exist (attctl's own database) nothing here
-- is ever run: the trigger is created only beside them, and the functions answer
-- "no registers".
--
-- At the close of a session, in the same transaction as the closing write (an AFTER
-- trigger on teaching_sessions, fired only when the status becomes closed, in either
-- spelling 'Closed' or the app's 'Close'):
--   * automark (ATTCTL_AUTOMARK=absent): every `active` student of the class with no
--     attendance row for the session gets one, status 'absent', attendance_time = the
--     close (naive UTC, as the app writes it), confidence_score null. Dropped students
--     and existing marks are never touched.
--   * late (ATTCTL_LATE_AFTER=10m): a 'present' mark whose attendance_time (naive UTC) is
--     later than the session's start (wall clock in the session's zone) plus N becomes
--     'late'.
--   * what the close found and did is kept in attctl_register_closes (one row per
--     session): whether a mark existed before the close (`taken`), how many attctl marked
--     absent and late. The report (attctl_register_report) reads it; the app's rows carry
--     no marker of ours.
--   * a class with active students whose session had no mark at all records a
--     `session.register_missing` event in the outbox (once per session: its dedupe key),
--     whoever closed it, attctl or the app.
--
-- The switches travel with each closing request, not in the database: attctl sends them
-- as the headers `X-Attctl-Automark: absent` and `X-Attctl-Late-After: <seconds>` on
-- every PostgREST request, and PostgREST hands a request's headers to the transaction
-- (`request.headers`). So the setting is attctl's configuration (flags > env > profile,
-- shown by `config show`), the same for the worker's runs, its sweep and a close by hand,
-- and a write by the app or in the dashboard (no such header) changes no mark.
--
-- Exactly once: the closing write is conditional (status = Open) and the trigger fires
-- only on the transition to closed, under the row lock of that write. A second close, a
-- retried run or a second worker finds the session closed and writes nothing; a crash
-- rolls back the close and its marks together. The insert also skips every student who
-- has a row (NOT EXISTS), so even a session reopened and closed again gets no second
-- mark. No unique index on attendances (session_id, student_id) is added: the app's own
-- check-in may already have written two rows for one student, and such an index would
-- refuse the app's writes (or fail the migration). The one race left is the app writing a
-- check-in in the same instant as the close: that student may then have both rows.
--
-- Every statement is idempotent.

--------------------------------------------------------------------------------
-- What each close did to its register
--------------------------------------------------------------------------------

-- No foreign key to teaching_sessions: a deleted session's row is harmless, and nothing
-- here may stop the app deleting or truncating its sessions.
create table if not exists public.attctl_register_closes (
  session_id bigint primary key,
  closed_at timestamptz not null,
  -- A mark existed before the close, or the class had no active student (nothing to take).
  taken boolean not null,
  -- Marks found at the close, and active students then.
  marked_before integer not null,
  enrolled integer not null,
  -- Marked absent and made late by attctl at its closes of the session.
  automarked integer not null default 0,
  made_late integer not null default 0
);
alter table public.attctl_register_closes enable row level security;
drop policy if exists attctl_service_role_all on public.attctl_register_closes;
create policy attctl_service_role_all on public.attctl_register_closes
  as permissive for all to service_role using (true) with check (true);
revoke all on table public.attctl_register_closes from anon, authenticated;
grant all on table public.attctl_register_closes to service_role;

--------------------------------------------------------------------------------
-- The outbox's new type
--------------------------------------------------------------------------------

do $$
begin
  if not exists (
    select 1
    from pg_catalog.pg_constraint k
    where k.conrelid = 'public.session_events'::regclass
      and k.conname = 'session_events_type_check'
      and pg_catalog.pg_get_constraintdef(k.oid) like '%session.register_missing%'
  ) then
    alter table public.session_events drop constraint if exists session_events_type_check;
    alter table public.session_events add constraint session_events_type_check
      check (type in ('session.created', 'session.closed', 'session.rescheduled',
                      'session.reopened', 'session.deleted', 'session.closing_soon',
                      'session.register_missing'));
  end if;
end
$$;

--------------------------------------------------------------------------------
-- Do registers exist here?
--------------------------------------------------------------------------------

-- `registers`: the app's attendances and class_students tables are here; `teachers`: who
-- teaches a class can be read (classes.teacher_id -> teachers.full_name).
create or replace function public.attctl_registers_info()
returns json
language sql
stable
set search_path = ''
as $$
  select json_build_object(
    'registers', to_regclass('public.attendances') is not null
                 and to_regclass('public.class_students') is not null,
    'teachers', to_regclass('public.teachers') is not null
                and exists (select 1 from pg_catalog.pg_attribute a
                            where a.attrelid = 'public.classes'::regclass
                              and a.attname = 'teacher_id' and a.attnum > 0
                              and not a.attisdropped))
$$;
revoke all on function public.attctl_registers_info() from public, anon, authenticated;
grant execute on function public.attctl_registers_info() to service_role;

--------------------------------------------------------------------------------
-- The trigger
--------------------------------------------------------------------------------

-- The switches of the request that is closing the session (see the header); none outside
-- PostgREST.
create or replace function public.attctl_request_header(name text)
returns text
language plpgsql
stable
set search_path = ''
as $$
begin
  return nullif(current_setting('request.headers', true), '')::json ->> name;
exception when others then
  return null;
end
$$;
revoke all on function public.attctl_request_header(text) from public, anon, authenticated;

-- Security definer: the app may close a session with its own keys; the outbox and
-- attctl_register_closes are closed to them.
create or replace function public.teaching_sessions_register_at_close()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  automark text := public.attctl_request_header('x-attctl-automark');
  late_raw text := public.attctl_request_header('x-attctl-late-after');
  v_closed_at timestamptz := coalesce(new.closed_at, now());
  -- The app's clock columns are naive UTC.
  utc_now timestamp := now() at time zone 'UTC';
  n_enrolled integer;
  n_before integer;
  n_absent integer := 0;
  n_late integer := 0;
begin
  if to_regclass('public.attendances') is null or to_regclass('public.class_students') is null then
    return null;
  end if;

  select count(*) into n_before from public.attendances a where a.session_id = new.id;
  select count(distinct cs.student_id) into n_enrolled
    from public.class_students cs
   where cs.class_id = new.class_id and cs.status = 'active';

  if late_raw ~ '^[0-9]{1,7}$' then
    update public.attendances a
       set status = 'late', updated_at = utc_now
     where a.session_id = new.id and a.status = 'present'
       and a.attendance_time > (((new.session_date + new.start_time) at time zone new.timezone)
                                at time zone 'UTC') + make_interval(secs => late_raw::integer);
    get diagnostics n_late = row_count;
  end if;

  if automark = 'absent' then
    insert into public.attendances
      (session_id, student_id, status, attendance_time, confidence_score, created_at, updated_at)
    select new.id, x.student_id, 'absent', v_closed_at at time zone 'UTC', null, utc_now, utc_now
    from (select distinct cs.student_id
            from public.class_students cs
           where cs.class_id = new.class_id and cs.status = 'active'
             and not exists (select 1 from public.attendances a
                              where a.session_id = new.id and a.student_id = cs.student_id)) x;
    get diagnostics n_absent = row_count;
  end if;

  -- A session closed again (after a reopen) keeps what its first close found: its own
  -- absent marks are not a register taken.
  insert into public.attctl_register_closes as r
    (session_id, closed_at, taken, marked_before, enrolled, automarked, made_late)
  values (new.id, v_closed_at, n_before > 0 or n_enrolled = 0, n_before, n_enrolled, n_absent, n_late)
  on conflict (session_id) do update
     set closed_at = excluded.closed_at,
         taken = r.taken or excluded.marked_before > r.automarked,
         marked_before = excluded.marked_before,
         enrolled = excluded.enrolled,
         automarked = r.automarked + excluded.automarked,
         made_late = r.made_late + excluded.made_late;

  if n_before = 0 and n_enrolled > 0 then
    insert into public.session_events (type, session_id, payload, dedupe_key)
    values ('session.register_missing', new.id,
            jsonb_build_object('session', public.attctl_session_event_json(to_jsonb(new)),
                               'enrolled', n_enrolled, 'automarked', n_absent),
            format('register_missing:%s', new.id))
    on conflict (dedupe_key) do nothing;
  end if;
  return null;
end
$$;
revoke all on function public.teaching_sessions_register_at_close() from public, anon, authenticated;

-- Named to fire after teaching_sessions_record_event (triggers fire in name order), so a
-- session's `session.closed` comes before its `session.register_missing`.
do $$
begin
  drop trigger if exists teaching_sessions_register_at_close on public.teaching_sessions;
  if to_regclass('public.attendances') is not null and to_regclass('public.class_students') is not null then
    create trigger teaching_sessions_register_at_close
      after update of status on public.teaching_sessions
      for each row
      when (new.status in ('Closed', 'Close')
            and not coalesce(old.status in ('Closed', 'Close'), false))
      execute function public.teaching_sessions_register_at_close();
  end if;
end
$$;

--------------------------------------------------------------------------------
-- `session close --dry-run`: how many automark would mark
--------------------------------------------------------------------------------

create or replace function public.attctl_automark_preview(p_ids bigint[])
returns json
language plpgsql
stable
set search_path = ''
as $$
declare
  result json;
begin
  if to_regclass('public.attendances') is null or to_regclass('public.class_students') is null then
    return null;
  end if;
  select coalesce(json_agg(json_build_object('session_id', s.id, 'would_mark', (
           select count(distinct cs.student_id)
             from public.class_students cs
            where cs.class_id = s.class_id and cs.status = 'active'
              and not exists (select 1 from public.attendances a
                               where a.session_id = s.id and a.student_id = cs.student_id)))
         order by s.id), '[]'::json)
    into result
    from public.teaching_sessions s
   where s.id = any (p_ids) and s.status = 'Open';
  return result;
end
$$;
revoke all on function public.attctl_automark_preview(bigint[]) from public, anon, authenticated;
grant execute on function public.attctl_automark_preview(bigint[]) to service_role;

--------------------------------------------------------------------------------
-- `attctl report registers`
--------------------------------------------------------------------------------

-- One row per closed session (either spelling) of the range: enrolled = active students
-- of the class now; the marks by status; automarked and taken as the close recorded them
-- (a session closed before this migration: taken when it has a mark or nobody to mark).
-- Registers not taken first, then by date.
create or replace function public.attctl_register_rows(p_from date, p_to date, p_class_id bigint)
returns table (session_id bigint, class_id bigint, class text, date date, enrolled bigint,
               marked bigint, present bigint, late bigint, absent bigint, automarked bigint,
               taken boolean)
language plpgsql
stable
set search_path = ''
as $$
#variable_conflict use_column
begin
  return query
  with s as (
    select t.id, t.class_id, t.session_date
      from public.teaching_sessions t
     where t.status in ('Closed', 'Close')
       and (p_from is null or t.session_date >= p_from)
       and (p_to is null or t.session_date <= p_to)
       and (p_class_id is null or t.class_id = p_class_id)
  ), m as (
    select a.session_id,
           count(*) as marked,
           count(*) filter (where a.status = 'present') as present,
           count(*) filter (where a.status = 'late') as late,
           count(*) filter (where a.status = 'absent') as absent
      from public.attendances a
     where a.session_id in (select s.id from s)
     group by a.session_id
  ), e as (
    select cs.class_id, count(distinct cs.student_id) as enrolled
      from public.class_students cs
     where cs.status = 'active' and cs.class_id in (select s.class_id from s)
     group by cs.class_id
  )
  select s.id::bigint, s.class_id::bigint, c.name::text, s.session_date,
         coalesce(e.enrolled, 0)::bigint, coalesce(m.marked, 0)::bigint,
         coalesce(m.present, 0)::bigint, coalesce(m.late, 0)::bigint,
         coalesce(m.absent, 0)::bigint, coalesce(r.automarked, 0)::bigint,
         coalesce(r.taken, coalesce(m.marked, 0) > 0 or coalesce(e.enrolled, 0) = 0)
    from s
    join public.classes c on c.id = s.class_id
    left join m on m.session_id = s.id
    left join e on e.class_id = s.class_id
    left join public.attctl_register_closes r on r.session_id = s.id;
end
$$;
revoke all on function public.attctl_register_rows(date, date, bigint) from public, anon, authenticated;

-- {"registers": false} where the tables are missing; otherwise {"registers": true,
-- "rows": [...]} by session, or with p_by = 'teacher' one row per teacher of the classes
-- ({"teachers": false} where the tables cannot say who teaches).
create or replace function public.attctl_register_report(
  p_from date default null, p_to date default null, p_class_id bigint default null,
  p_by text default 'session')
returns json
language plpgsql
stable
set search_path = ''
as $$
declare
  info json := public.attctl_registers_info();
  result json;
begin
  if not (info ->> 'registers')::boolean then
    return json_build_object('registers', false);
  end if;
  if p_by = 'teacher' then
    if not (info ->> 'teachers')::boolean then
      return json_build_object('registers', true, 'teachers', false);
    end if;
    select coalesce(json_agg(json_build_object(
             'teacher', g.teacher, 'sessions', g.sessions, 'not_taken', g.not_taken,
             'enrolled', g.enrolled, 'marked', g.marked, 'present', g.present,
             'late', g.late, 'absent', g.absent, 'automarked', g.automarked)
           order by g.not_taken desc, g.teacher), '[]'::json)
      into result
      from (select t.full_name::text as teacher, count(*) as sessions,
                   count(*) filter (where not x.taken) as not_taken,
                   sum(x.enrolled) as enrolled, sum(x.marked) as marked,
                   sum(x.present) as present, sum(x.late) as late, sum(x.absent) as absent,
                   sum(x.automarked) as automarked
              from public.attctl_register_rows(p_from, p_to, p_class_id) x
              join public.classes c on c.id = x.class_id
              left join public.teachers t on t.id = c.teacher_id
             group by t.full_name) g;
    return json_build_object('registers', true, 'teachers', true, 'rows', result);
  end if;
  select coalesce(json_agg(json_build_object(
           'session_id', x.session_id, 'class', x.class, 'date', x.date,
           'enrolled', x.enrolled, 'marked', x.marked, 'present', x.present,
           'late', x.late, 'absent', x.absent, 'automarked', x.automarked, 'taken', x.taken)
         order by x.taken, x.date, x.session_id), '[]'::json)
    into result
    from public.attctl_register_rows(p_from, p_to, p_class_id) x;
  return json_build_object('registers', true, 'rows', result);
end
$$;
revoke all on function public.attctl_register_report(date, date, bigint, text) from public, anon, authenticated;
grant execute on function public.attctl_register_report(date, date, bigint, text) to service_role;

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
    'version', '20261205120000',
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
