-- attctl beside the original app, on the app's own database: adapt, never break its writes.
--
-- The original app (its SQLAlchemy models) keeps writing and reading these tables while
-- attctl runs. Its rules and attctl's must both hold:
--   * status: the app's CHECK allows 'Open' and 'Close' (its Python default), while its own
--     worker and attctl write 'Closed'. The CHECK is WIDENED to all three, not replaced by
--     attctl's two: the app's rows keep the value the app wrote and reads back (an anon read
--     answers as before), and both spellings of closed are accepted from any writer. attctl
--     reads 'Close' as Closed everywhere (the SQL below, the client's parser). No row is
--     rewritten.
--   * columns attctl adds are filled for writers that know nothing of them: timezone from
--     the school's zone (the column's default: school_settings, else the database's
--     TimeZone when it is an IANA name, else UTC; an explicit null is still refused),
--     closes_at by the trigger, the rest have defaults;
--   * NOT NULL columns of the app's that attctl does not write get a value the school can
--     see: created_at/updated_at from the database clock (naive UTC, as the app writes them,
--     on its `timestamp without time zone` columns), session_type from the school's default
--     (school_settings.default_session_type, 'theory' until set), classes.code derived from
--     the name and made unique. attctl names what was filled in its output.
--   * privileges and Row Level Security of tables that existed before attctl are left as
--     they are (see attctl_table_origin in the first migration); attctl's trigger functions
--     that write attctl's own tables run as their owner, so an app write through the anon
--     key still succeeds.
-- Tables attctl does not know (attendances, class_students, ...) are not touched.
-- Every statement is idempotent.

--------------------------------------------------------------------------------
-- Which tables are the app's: databases migrated before attctl_table_origin existed
--------------------------------------------------------------------------------

-- attctl_table_origin is created by the first migration; on a database that ran an older
-- version of it, the table is new here and both tables exist. Before this version attctl
-- set access on both tables whatever their origin, so where its policy is present attctl
-- already manages their access and keeps doing so; elsewhere they are the app's.
create table if not exists public.attctl_table_origin (
  table_name text primary key,
  created_by_attctl boolean not null,
  recorded_at timestamptz not null default now()
);
insert into public.attctl_table_origin (table_name, created_by_attctl)
select t, exists (
  select 1 from pg_catalog.pg_policy p
  where p.polrelid = format('public.%I', t)::regclass and p.polname = 'attctl_service_role_all')
from unnest(array['classes', 'teaching_sessions']) as t
on conflict (table_name) do nothing;
alter table public.attctl_table_origin enable row level security;
revoke all on table public.attctl_table_origin from anon, authenticated;
grant all on table public.attctl_table_origin to service_role;

--------------------------------------------------------------------------------
-- The school's settings: one row
--------------------------------------------------------------------------------

create table if not exists public.school_settings (
  id boolean primary key default true constraint school_settings_one_row check (id),
  -- IANA zone of the school: new sessions' zone when none is given, whoever writes them.
  timezone text constraint school_settings_timezone_check
    check (timezone is null or timezone = 'UTC' or timezone ~ '^[A-Za-z]+(/[A-Za-z0-9_+-]+)+$'),
  -- session_type of new sessions on the app's database when none is given.
  default_session_type text constraint school_settings_session_type_check
    check (default_session_type is null or default_session_type ~ '^[a-z][a-z_-]{0,39}$'),
  updated_at timestamptz not null default now()
);

-- An unknown zone name is refused here (AT TIME ZONE raises 22023), not at the next insert
-- of every session.
create or replace function public.school_settings_before_write()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if new.timezone is not null then
    perform now() at time zone new.timezone;
  end if;
  new.updated_at := now();
  return new;
end
$$;
revoke all on function public.school_settings_before_write() from public, anon, authenticated;
drop trigger if exists school_settings_before_write on public.school_settings;
create trigger school_settings_before_write
  before insert or update on public.school_settings
  for each row execute function public.school_settings_before_write();

alter table public.school_settings enable row level security;
drop policy if exists attctl_service_role_all on public.school_settings;
create policy attctl_service_role_all on public.school_settings
  as permissive for all to service_role using (true) with check (true);
grant all on table public.school_settings to service_role;
revoke all on table public.school_settings from anon, authenticated;

-- The zone of a new session that names none. Security definer: the app inserts with its
-- own role (the anon key included), which cannot read school_settings.
create or replace function public.attctl_school_timezone()
returns text
language sql
stable
security definer
set search_path = ''
as $$
  -- The database's TimeZone is a zone PostgreSQL knows (it cannot be set otherwise); the
  -- pattern keeps out abbreviations and POSIX offsets, which IANA reads differently. (No
  -- look-up in pg_timezone_names: it reads the zone files, and PostgREST may evaluate a
  -- column default once per row of a bulk insert.)
  select coalesce(
    (select s.timezone from public.school_settings s where s.id),
    case when current_setting('TimeZone') = 'UTC'
           or current_setting('TimeZone') ~ '^[A-Za-z]+(/[A-Za-z0-9_+-]+)+$'
         then current_setting('TimeZone') end,
    'UTC')
$$;
revoke all on function public.attctl_school_timezone() from public;
grant execute on function public.attctl_school_timezone() to anon, authenticated, service_role;

create or replace function public.attctl_school_session_type()
returns text
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce((select s.default_session_type from public.school_settings s where s.id), 'theory')
$$;
revoke all on function public.attctl_school_session_type() from public;
grant execute on function public.attctl_school_session_type() to anon, authenticated, service_role;

--------------------------------------------------------------------------------
-- Status: 'Close' is closed too
--------------------------------------------------------------------------------

-- Widen (see the header) the app's CHECK; attctl's own ('Open', 'Closed') stays as it is on
-- a database where the app never wrote 'Close'.
do $$
declare
  def text;
  n bigint;
begin
  select pg_catalog.pg_get_constraintdef(k.oid) into def
  from pg_catalog.pg_constraint k
  where k.conrelid = 'public.teaching_sessions'::regclass
    and k.conname = 'teaching_sessions_status_check';
  if def is not null and def like '%''Close''%' and def not like '%''Closed''%' then
    alter table public.teaching_sessions drop constraint teaching_sessions_status_check;
    alter table public.teaching_sessions add constraint teaching_sessions_status_check
      check (status in ('Open', 'Close', 'Closed'));
    select count(*) into n from public.teaching_sessions where status = 'Close';
    raise notice 'teaching_sessions_status_check now also accepts ''Closed'' (was: %); % rows keep the app''s ''Close'', read as Closed',
      def, n;
  end if;
end $$;

-- closed_at/closed_by belong to a closed session, whichever spelling says so.
do $$
declare
  r record;
begin
  for r in
    select * from (values
      ('teaching_sessions_closed_by_status_check',
       $c$check (closed_by is null or status in ('Closed', 'Close'))$c$),
      ('teaching_sessions_closed_at_status_check',
       $c$check (closed_at is null or status in ('Closed', 'Close'))$c$)
    ) as t (name, def)
  loop
    if exists (
      select 1 from pg_catalog.pg_constraint k
      where k.conrelid = 'public.teaching_sessions'::regclass and k.conname = r.name
        and pg_catalog.pg_get_constraintdef(k.oid) not like '%''Close''%'
    ) then
      execute format('alter table public.teaching_sessions drop constraint %I', r.name);
    end if;
    if not exists (
      select 1 from pg_catalog.pg_constraint k
      where k.conrelid = 'public.teaching_sessions'::regclass and k.conname = r.name
    ) then
      execute format('alter table public.teaching_sessions add constraint %I %s', r.name, r.def);
    end if;
  end loop;
end $$;

--------------------------------------------------------------------------------
-- Defaults for writers that know nothing of attctl, and for attctl on the app's columns
--------------------------------------------------------------------------------

-- created_at/updated_at: the database clock. The app's columns are `timestamp without time
-- zone` holding naive UTC (utcnow): their default is the UTC wall clock, whatever the
-- database's TimeZone. A default the app or a person set is kept.
do $$
declare
  r record;
begin
  for r in
    select c.relname as tbl, a.attname as col,
           pg_catalog.format_type(a.atttypid, a.atttypmod) as typ,
           pg_catalog.pg_get_expr(d.adbin, d.adrelid) as def
    from pg_catalog.pg_attribute a
    join pg_catalog.pg_class c on c.oid = a.attrelid
    join pg_catalog.pg_namespace n on n.oid = c.relnamespace
    left join pg_catalog.pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
    where n.nspname = 'public' and c.relname in ('classes', 'teaching_sessions')
      and a.attname in ('created_at', 'updated_at') and a.attnum > 0 and not a.attisdropped
  loop
    if r.typ = 'timestamp without time zone' and (r.def is null or r.def = 'now()') then
      execute format('alter table public.%I alter column %I set default (now() at time zone ''UTC'')',
                     r.tbl, r.col);
    elsif r.def is null then
      execute format('alter table public.%I alter column %I set default now()', r.tbl, r.col);
    end if;
  end loop;
end $$;

alter table public.teaching_sessions alter column timezone set default public.attctl_school_timezone();

do $$
begin
  if exists (select 1 from pg_catalog.pg_attribute a
             where a.attrelid = 'public.teaching_sessions'::regclass
               and a.attname = 'session_type' and not a.attisdropped) then
    alter table public.teaching_sessions
      alter column session_type set default public.attctl_school_session_type();
  end if;
end $$;

-- classes.code (the app's, NOT NULL UNIQUE): derived from the name when a writer gives none,
-- upper case, letters and digits joined by '-', at most 32 characters, with '-2', '-3', ...
-- when taken. Created only where the column exists. (Which letters count, and their upper
-- case, follow the database's locale: with C, ASCII only.)
create or replace function public.attctl_class_code(class_name text)
returns text
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  base text;
  candidate text;
  n integer := 1;
begin
  base := btrim(left(btrim(regexp_replace(upper(coalesce(class_name, '')), '[^[:alnum:]]+', '-', 'g'), '-'), 32), '-');
  if base = '' then
    base := 'CLASS';
  end if;
  candidate := base;
  loop
    exit when not exists (select 1 from public.classes c where c.code = candidate);
    n := n + 1;
    candidate := left(base, 32 - length(n::text) - 1) || '-' || n;
  end loop;
  return candidate;
end
$$;
revoke all on function public.attctl_class_code(text) from public, anon, authenticated;
grant execute on function public.attctl_class_code(text) to service_role;

create or replace function public.classes_fill_code()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if new.code is null then
    new.code := public.attctl_class_code(new.name);
  end if;
  return new;
end
$$;
revoke all on function public.classes_fill_code() from public, anon, authenticated;

do $$
begin
  if exists (select 1 from pg_catalog.pg_attribute a
             where a.attrelid = 'public.classes'::regclass
               and a.attname = 'code' and not a.attisdropped) then
    drop trigger if exists classes_fill_code on public.classes;
    create trigger classes_fill_code
      before insert on public.classes
      for each row execute function public.classes_fill_code();
  end if;
end $$;

--------------------------------------------------------------------------------
-- The session trigger: 'Close' is closed, zone from the school, the app's clock columns
--------------------------------------------------------------------------------

create or replace function public.teaching_sessions_before_write()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if tg_op = 'UPDATE' then
    if pg_catalog.pg_typeof(new.updated_at) = 'timestamp without time zone'::regtype then
      new.updated_at := now() at time zone 'UTC';
    else
      new.updated_at := now();
    end if;
  end if;

  if (tg_op = 'INSERT'
      or (new.session_date, new.start_time, new.end_time)
         is distinct from (old.session_date, old.start_time, old.end_time))
     and new.end_time <= new.start_time then
    raise exception 'new row for relation "teaching_sessions" violates check constraint "teaching_sessions_time_order_check"'
      using errcode = 'check_violation',
            constraint = 'teaching_sessions_time_order_check',
            table = 'teaching_sessions',
            schema = 'public',
            detail = format('end_time %s is not after start_time %s', new.end_time, new.start_time);
  end if;

  -- A session whose end is before its start (only old rows) ends the next day.
  new.closes_at := ((new.session_date + (new.end_time < new.start_time)::integer) + new.end_time)
                   at time zone new.timezone;

  if new.status in ('Closed', 'Close') then
    if new.closed_at is null then
      new.closed_at := now();
    end if;
  elsif new.status = 'Open' and tg_op = 'UPDATE' and old.status is distinct from 'Open' then
    new.closed_at := null;
    new.closed_by := null;
  end if;

  return new;
end
$$;

revoke all on function public.teaching_sessions_before_write() from public, anon, authenticated;

-- The outbox is attctl's table, closed to anon: the trigger that writes it runs as its
-- owner, so that the app's writes through its own keys still succeed. A session that
-- becomes closed in either spelling is one session.closed event.
create or replace function public.teaching_sessions_record_event()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  times_changed boolean;
  was_closed boolean;
  is_closed boolean;
begin
  if tg_op = 'INSERT' then
    insert into public.session_events (type, session_id, payload)
    values ('session.created', new.id,
            jsonb_build_object('session', public.attctl_session_event_json(to_jsonb(new))));
  elsif tg_op = 'DELETE' then
    insert into public.session_events (type, session_id, payload)
    values ('session.deleted', old.id,
            jsonb_build_object('session', public.attctl_session_event_json(to_jsonb(old))));
  else
    times_changed := (new.session_date, new.start_time, new.end_time, new.timezone, new.closes_at)
                     is distinct from
                     (old.session_date, old.start_time, old.end_time, old.timezone, old.closes_at);
    was_closed := coalesce(old.status in ('Closed', 'Close'), false);
    is_closed := coalesce(new.status in ('Closed', 'Close'), false);
    if is_closed and not was_closed then
      insert into public.session_events (type, session_id, payload)
      values ('session.closed', new.id,
              jsonb_build_object('session', public.attctl_session_event_json(to_jsonb(new)),
                                 'closed_by', coalesce(new.closed_by, 'manual')));
    elsif new.status = 'Open' and was_closed then
      insert into public.session_events (type, session_id, payload)
      values ('session.reopened', new.id,
              jsonb_build_object('session', public.attctl_session_event_json(to_jsonb(new))));
    end if;
    if times_changed then
      insert into public.session_events (type, session_id, payload)
      values ('session.rescheduled', new.id,
              jsonb_build_object('session', public.attctl_session_event_json(to_jsonb(new)),
                                 'before', public.attctl_session_event_json(to_jsonb(old))));
    end if;
  end if;
  return null;
end
$$;

revoke all on function public.teaching_sessions_record_event() from public, anon, authenticated;

-- The event's copy of the session: the app's naive UTC clock columns as instants, and its
-- 'Close' as 'Closed', so that every consumer of the outbox reads one shape.
create or replace function public.attctl_session_event_json(s jsonb)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select s
    || jsonb_build_object(
         'class_name', (select c.name from public.classes c where c.id = (s ->> 'class_id')::bigint))
    || case when s ->> 'status' = 'Close' then jsonb_build_object('status', 'Closed') else '{}'::jsonb end
    || (select coalesce(jsonb_object_agg(k, to_jsonb(((s ->> k)::timestamp at time zone 'UTC'))), '{}'::jsonb)
        from unnest(array['created_at', 'updated_at']) as k
        where s ->> k ~ '^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?$')
$$;
revoke all on function public.attctl_session_event_json(jsonb) from public, anon, authenticated;

--------------------------------------------------------------------------------
-- doctor: old rows ('Close' is a known status now) and what the migrations fill
--------------------------------------------------------------------------------

-- attctl_legacy_report() of 20261130110000, with 'Close' among the known statuses.
do $$
declare
  src text;
begin
  select pg_catalog.pg_get_functiondef('public.attctl_legacy_report()'::regprocedure) into src;
  if src not like '%''Close'', ''Closed''%' then
    -- Both queries (status_case, unknown_status) test this: 'Close' is now neither.
    src := replace(src, $r$status not in ('Open', 'Closed')$r$, $r$status not in ('Open', 'Close', 'Closed')$r$);
    execute src;
  end if;
end $$;

-- What attctl's migrations fill for writers that do not send a value, and who may do what on
-- the tables that existed before attctl: for `attctl doctor` (POST /rest/v1/rpc/attctl_app_compat).
create or replace function public.attctl_app_compat()
returns json
language sql
stable
set search_path = ''
as $$
  select json_build_object(
    'school', json_build_object(
      'timezone', (select s.timezone from public.school_settings s where s.id),
      'default_session_type', (select s.default_session_type from public.school_settings s where s.id),
      'fallback_timezone', public.attctl_school_timezone()),
    'app_tables', (
      select coalesce(json_agg(o.table_name order by o.table_name), '[]'::json)
      from public.attctl_table_origin o where not o.created_by_attctl),
    'fills', (
      select coalesce(json_agg(json_build_object(
               'table', c.relname, 'column', a.attname,
               'default', pg_catalog.pg_get_expr(d.adbin, d.adrelid))
             order by c.relname, a.attname), '[]'::json)
      from pg_catalog.pg_attribute a
      join pg_catalog.pg_class c on c.oid = a.attrelid
      join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      join pg_catalog.pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
      where n.nspname = 'public' and c.relname in ('classes', 'teaching_sessions')
        and a.attname in ('session_type', 'timezone', 'created_at', 'updated_at')
        and a.attnum > 0 and not a.attisdropped),
    'class_code_filled', exists (
      select 1 from pg_catalog.pg_trigger t
      where t.tgrelid = 'public.classes'::regclass and t.tgname = 'classes_fill_code'),
    'access', (
      select coalesce(json_agg(json_build_object(
               'table', o.table_name, 'role', r.role,
               'rls', c.relrowsecurity,
               'policies', (select count(*) from pg_catalog.pg_policy p
                            where p.polrelid = c.oid
                              and (p.polroles = '{0}' or
                                   (select oid from pg_catalog.pg_roles where rolname = r.role) = any (p.polroles))),
               'select', pg_catalog.has_table_privilege(r.role, c.oid, 'SELECT'),
               'insert', pg_catalog.has_table_privilege(r.role, c.oid, 'INSERT'),
               'update', pg_catalog.has_table_privilege(r.role, c.oid, 'UPDATE'),
               'delete', pg_catalog.has_table_privilege(r.role, c.oid, 'DELETE'))
             order by o.table_name, r.role), '[]'::json)
      from public.attctl_table_origin o
      join pg_catalog.pg_class c on c.oid = format('public.%I', o.table_name)::regclass
      cross join (values ('anon'), ('authenticated')) as r (role)
      where not o.created_by_attctl
        and exists (select 1 from pg_catalog.pg_roles x where x.rolname = r.role))
  )
$$;
revoke all on function public.attctl_app_compat() from public, anon, authenticated;
grant execute on function public.attctl_app_compat() to service_role;

--------------------------------------------------------------------------------
-- The sweep's bulk close: due by the session's own date, end time and zone
--------------------------------------------------------------------------------

-- attctl_close_overdue() of 20261130110000, with one more condition: the closing instant the
-- row's wall-clock fields give is due too. The trigger keeps closes_at in step on every
-- write, but a row written with the trigger disabled (a restore, a replication, a hand edit)
-- could hold an earlier instant, and a lesson in 2030 must not be closed today. Such a row
-- is left Open (`attctl doctor` names it under closes_at_stale).
-- The closing instant a session's wall-clock fields give (an end before the start is the
-- next day's), or null when they cannot give one (a zone PostgreSQL does not know): the
-- caller then trusts the stored instant, so one such row never stops the sweep.
create or replace function public.attctl_wall_closes_at(d date, start_time time, end_time time, zone text)
returns timestamptz
language plpgsql
stable
set search_path = ''
as $$
begin
  return ((d + (end_time < start_time)::integer) + end_time) at time zone zone;
exception when others then
  return null;
end
$$;
revoke all on function public.attctl_wall_closes_at(date, time, time, text) from public, anon, authenticated;
grant execute on function public.attctl_wall_closes_at(date, time, time, text) to service_role;

create or replace function public.attctl_close_overdue(
  due_by timestamptz,
  unplanned_due_by timestamptz,
  closed_by text,
  closed_at timestamptz)
returns json
language plpgsql
set search_path = ''
as $$
declare
  closed bigint[];
  failed json[] := '{}';
  one bigint;
  r record;
begin
  begin
    with done as (
      update public.teaching_sessions s
         set status = 'Closed', closed_at = attctl_close_overdue.closed_at,
             closed_by = attctl_close_overdue.closed_by
       where s.status = 'Open'
         and (s.closes_at <= due_by
              or (s.closes_at <= unplanned_due_by
                  and (s.scheduled_task_id is null or s.scheduled_task_id like 'claim:%')))
         and coalesce(public.attctl_wall_closes_at(s.session_date, s.start_time, s.end_time, s.timezone)
                      <= case when s.scheduled_task_id is null or s.scheduled_task_id like 'claim:%'
                              then greatest(due_by, unplanned_due_by) else due_by end,
                      true)
      returning s.id)
    select coalesce(array_agg(id order by id), '{}') into closed from done;
    return json_build_object('closed', to_json(closed), 'failed', '[]'::json);
  exception when others then
    null; -- fall through to one row at a time
  end;

  closed := '{}';
  for r in
    select s.id
    from public.teaching_sessions s
    where s.status = 'Open'
      and (s.closes_at <= due_by
           or (s.closes_at <= unplanned_due_by
               and (s.scheduled_task_id is null or s.scheduled_task_id like 'claim:%')))
      and coalesce(public.attctl_wall_closes_at(s.session_date, s.start_time, s.end_time, s.timezone)
                      <= case when s.scheduled_task_id is null or s.scheduled_task_id like 'claim:%'
                              then greatest(due_by, unplanned_due_by) else due_by end,
                      true)
    order by s.closes_at, s.id
  loop
    begin
      update public.teaching_sessions s
         set status = 'Closed', closed_at = attctl_close_overdue.closed_at,
             closed_by = attctl_close_overdue.closed_by
       where s.id = r.id and s.status = 'Open'
      returning s.id into one;
      if one is not null then
        closed := closed || one;
      end if;
    exception when others then
      failed := failed || json_build_object('id', r.id, 'code', sqlstate, 'message', sqlerrm);
    end;
  end loop;
  return json_build_object('closed', to_json(closed), 'failed', to_json(failed));
end
$$;

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
    'version', '20261204110000',
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
