-- attctl: staff sign in as themselves (Supabase Auth); the database decides what each may do.
--
-- Who is staff:
--   public.staff          one row per Supabase Auth user: role 'teacher' or 'admin'. Keyed on
--                         the auth user id (the access token's `sub`), not on the email claim:
--                         an id is never reused or changed, while an email changes with the
--                         user's address and, on a project that lets people sign up without
--                         confirming it, can be claimed by whoever signs up first. The email
--                         is kept beside it for people; `attctl staff add EMAIL` resolves it to
--                         the user id once (attctl_staff_add), so the account must exist.
--   public.staff_classes  which classes a teacher teaches.
--   On the original app's database, teachers.auth_id + classes.teacher_id already say who
--   teaches what: such a user is a teacher of those classes without a staff row.
--
-- What each may do (Row Level Security for the `authenticated` role; the service role
-- bypasses RLS and keeps full access, anon keeps exactly what it had):
--   teacher  reads, creates, reschedules, closes and deletes the sessions of their classes;
--            reads those classes, the holidays and the school's settings; nothing else.
--   admin    everything a teacher does, for every class; writes classes, holidays, the
--            school's settings and staff.
--   others   a signed-in user who is not staff: nothing (attctl says so; see attctl_whoami).
--
-- Audit: created_by_user (on insert) and closed_by_user (on a close by hand) hold the writer's
-- user id, set by the database from the access token, so they cannot be forged by a client.
-- A signed-in writer cannot set scheduled_task_id to anything but null: runs are the
-- worker's (it plans every Open session without one, and follows session_events, whose
-- payload now names the writer as `actor`, to cancel the runs of what others deleted,
-- moved or closed).
--
-- Every statement is idempotent.

--------------------------------------------------------------------------------
-- Who is asking
--------------------------------------------------------------------------------

-- The request's JWT claims as PostgREST sets them ('{}' outside PostgREST: psql, the dashboard).
create or replace function public.attctl_jwt_claims()
returns jsonb
language sql
stable
set search_path = ''
as $$
  select coalesce(nullif(current_setting('request.jwt.claims', true), '')::jsonb, '{}'::jsonb)
$$;

-- The signed-in user's id (Supabase's auth.uid()), without depending on the auth schema.
create or replace function public.attctl_uid()
returns uuid
language sql
stable
set search_path = ''
as $$
  select case when s ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
              then s::uuid end
  from (select public.attctl_jwt_claims() ->> 'sub' as s) c
$$;

-- Who wrote a change, for session_events' `actor`: the token's role (`database` when there
-- is no token: psql, the dashboard's SQL editor) and user id.
create or replace function public.attctl_actor()
returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_build_object(
    'role', coalesce(public.attctl_jwt_claims() ->> 'role', 'database'),
    'user_id', public.attctl_uid())
$$;

grant execute on function public.attctl_jwt_claims() to anon, authenticated, service_role;
grant execute on function public.attctl_uid() to anon, authenticated, service_role;
grant execute on function public.attctl_actor() to anon, authenticated, service_role;

--------------------------------------------------------------------------------
-- Staff
--------------------------------------------------------------------------------

create table if not exists public.staff (
  user_id uuid primary key,
  email text not null,
  role text not null,
  added_at timestamptz not null default now(),
  added_by uuid,
  constraint staff_role_check check (role in ('teacher', 'admin'))
);
create unique index if not exists staff_email_key on public.staff (lower(email));

create table if not exists public.staff_classes (
  user_id uuid not null references public.staff (user_id) on delete cascade,
  class_id bigint not null references public.classes (id) on delete cascade,
  primary key (user_id, class_id)
);
create index if not exists staff_classes_class_idx on public.staff_classes (class_id);

alter table public.staff enable row level security;
alter table public.staff_classes enable row level security;
revoke all on table public.staff, public.staff_classes from anon, authenticated;
grant select on table public.staff, public.staff_classes to authenticated;
grant all on table public.staff, public.staff_classes to service_role;

-- The caller's role: a staff row's, else 'teacher' for a teacher of the original app (where
-- its tables exist), else null. Security definer: it reads staff (and the app's teachers)
-- whatever the caller may read.
do $$
begin
  if to_regclass('public.teachers') is not null
     and exists (select 1 from information_schema.columns
                 where table_schema = 'public' and table_name = 'teachers' and column_name = 'auth_id')
     and exists (select 1 from information_schema.columns
                 where table_schema = 'public' and table_name = 'classes' and column_name = 'teacher_id') then
    execute $f$
      create or replace function public.attctl_app_class_ids(uid uuid)
      returns bigint[]
      language sql
      stable
      security definer
      set search_path = ''
      as $b$
        select coalesce(array_agg(c.id::bigint order by c.id), '{}')
        from public.classes c
        join public.teachers t on t.id = c.teacher_id
        where uid is not null and t.auth_id = uid
      $b$ $f$;
  else
    execute $f$
      create or replace function public.attctl_app_class_ids(uid uuid)
      returns bigint[]
      language sql
      stable
      security definer
      set search_path = ''
      as $b$ select '{}'::bigint[] $b$ $f$;
  end if;
end $$;
revoke all on function public.attctl_app_class_ids(uuid) from public, anon, authenticated;

create or replace function public.attctl_staff_role()
returns text
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce(
    (select s.role from public.staff s where s.user_id = public.attctl_uid()),
    case when cardinality(public.attctl_app_class_ids(public.attctl_uid())) > 0 then 'teacher' end)
$$;

create or replace function public.attctl_is_admin()
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce(public.attctl_staff_role() = 'admin', false)
$$;

-- The classes the caller teaches (an admin's own list too; admins reach every class through
-- attctl_is_admin()).
create or replace function public.attctl_my_class_ids()
returns bigint[]
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce(array_agg(distinct x order by x), '{}')
  from (
    select sc.class_id as x from public.staff_classes sc where sc.user_id = public.attctl_uid()
    union all
    select unnest(public.attctl_app_class_ids(public.attctl_uid()))
  ) ids
$$;

revoke all on function public.attctl_staff_role(), public.attctl_is_admin(), public.attctl_my_class_ids()
  from public, anon;
grant execute on function public.attctl_staff_role(), public.attctl_is_admin(), public.attctl_my_class_ids()
  to authenticated, service_role;

-- May the caller manage staff? The service role, an admin, or a direct database session
-- (psql as the owner: no PostgREST claims, and not PostgREST's login role).
create or replace function public.attctl_may_manage_staff()
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select public.attctl_jwt_claims() ->> 'role' = 'service_role'
      or public.attctl_is_admin()
      or (public.attctl_jwt_claims() = '{}'::jsonb and session_user <> 'authenticator')
$$;
revoke all on function public.attctl_may_manage_staff() from public, anon, authenticated;

--------------------------------------------------------------------------------
-- Row Level Security on the tables staff touch
--------------------------------------------------------------------------------

-- On the original app's tables (RLS off until now, every API role allowed), RLS is turned on
-- with a policy that keeps the access of anon and of signed-in users exactly as it was: the
-- app's anon-key calls, and whatever its own signed-in users (students checking in) do, go
-- on working. Staff are then narrowed by RESTRICTIVE policies (below), which apply only to
-- a user the database knows as staff: a teacher reaches their classes only, whatever the
-- app allows others. (On attctl's own tables there is no such policy: a signed-in user
-- who is not staff gets nothing.)
do $$
declare
  tbl text;
begin
  foreach tbl in array array['classes', 'teaching_sessions'] loop
    execute format('alter table public.%I enable row level security', tbl);
    if exists (select 1 from public.attctl_table_origin o
               where o.table_name = tbl and not o.created_by_attctl) then
      execute format('drop policy if exists attctl_app_access_unchanged on public.%I', tbl);
      execute format('create policy attctl_app_access_unchanged on public.%I '
                     'as permissive for all to anon, authenticated using (true) with check (true)', tbl);
    end if;
    execute format('drop policy if exists attctl_service_role_all on public.%I', tbl);
    execute format('create policy attctl_service_role_all on public.%I '
                   'as permissive for all to service_role using (true) with check (true)', tbl);
    execute format('grant select, insert, update, delete on table public.%I to authenticated', tbl);
  end loop;
end $$;

-- Staff never reach past their classes, whatever a permissive policy allows.
drop policy if exists attctl_staff_limit on public.teaching_sessions;
create policy attctl_staff_limit on public.teaching_sessions as restrictive for all to authenticated
  using ((select public.attctl_staff_role()) is null or (select public.attctl_is_admin())
         or class_id = any ((select public.attctl_my_class_ids())::bigint[]))
  with check ((select public.attctl_staff_role()) is null or (select public.attctl_is_admin())
              or class_id = any ((select public.attctl_my_class_ids())::bigint[]));
drop policy if exists attctl_staff_limit on public.classes;
create policy attctl_staff_limit on public.classes as restrictive for all to authenticated
  using ((select public.attctl_staff_role()) is null or (select public.attctl_is_admin())
         or id = any ((select public.attctl_my_class_ids())::bigint[]))
  with check ((select public.attctl_staff_role()) is null or (select public.attctl_is_admin()));
drop policy if exists attctl_staff_no_class_delete on public.classes;
create policy attctl_staff_no_class_delete on public.classes as restrictive for delete to authenticated
  using ((select public.attctl_staff_role()) is null or (select public.attctl_is_admin()));

-- Sessions: a teacher's classes, an admin's all. `(select …)` makes PostgreSQL evaluate the
-- helpers once per statement, not once per row.
drop policy if exists attctl_staff_read on public.teaching_sessions;
create policy attctl_staff_read on public.teaching_sessions for select to authenticated
  using ((select public.attctl_is_admin()) or class_id = any ((select public.attctl_my_class_ids())::bigint[]));
drop policy if exists attctl_staff_insert on public.teaching_sessions;
create policy attctl_staff_insert on public.teaching_sessions for insert to authenticated
  with check ((select public.attctl_is_admin()) or class_id = any ((select public.attctl_my_class_ids())::bigint[]));
drop policy if exists attctl_staff_update on public.teaching_sessions;
create policy attctl_staff_update on public.teaching_sessions for update to authenticated
  using ((select public.attctl_is_admin()) or class_id = any ((select public.attctl_my_class_ids())::bigint[]))
  with check ((select public.attctl_is_admin()) or class_id = any ((select public.attctl_my_class_ids())::bigint[]));
drop policy if exists attctl_staff_delete on public.teaching_sessions;
create policy attctl_staff_delete on public.teaching_sessions for delete to authenticated
  using ((select public.attctl_is_admin()) or class_id = any ((select public.attctl_my_class_ids())::bigint[]));

-- Classes: teachers read theirs; admins read and write all.
drop policy if exists attctl_staff_read on public.classes;
create policy attctl_staff_read on public.classes for select to authenticated
  using ((select public.attctl_is_admin()) or id = any ((select public.attctl_my_class_ids())::bigint[]));
drop policy if exists attctl_admin_write on public.classes;
create policy attctl_admin_write on public.classes for all to authenticated
  using ((select public.attctl_is_admin())) with check ((select public.attctl_is_admin()));

-- Holidays and the school's settings: every staff member reads (dates and the zone decide
-- what a teacher may plan); admins write.
do $$
declare
  tbl text;
begin
  foreach tbl in array array['holidays', 'school_settings'] loop
    if to_regclass(format('public.%I', tbl)) is null then
      continue;
    end if;
    execute format('grant select, insert, update, delete on table public.%I to authenticated', tbl);
    execute format('drop policy if exists attctl_staff_read on public.%I', tbl);
    execute format('create policy attctl_staff_read on public.%I for select to authenticated '
                   'using ((select public.attctl_staff_role()) is not null)', tbl);
    execute format('drop policy if exists attctl_admin_write on public.%I', tbl);
    execute format('create policy attctl_admin_write on public.%I for all to authenticated '
                   'using ((select public.attctl_is_admin())) with check ((select public.attctl_is_admin()))', tbl);
  end loop;
end $$;

-- Staff rows: one's own, or all for an admin. Written only through the functions below.
drop policy if exists attctl_staff_read on public.staff;
create policy attctl_staff_read on public.staff for select to authenticated
  using (user_id = (select public.attctl_uid()) or (select public.attctl_is_admin()));
drop policy if exists attctl_staff_read on public.staff_classes;
create policy attctl_staff_read on public.staff_classes for select to authenticated
  using (user_id = (select public.attctl_uid()) or (select public.attctl_is_admin()));

-- The outbox, warning runs and attctl's bookkeeping stay the service role's: RLS is on there
-- and no policy names `authenticated`. The closure report is a security-invoker function,
-- so a teacher's report covers the rows RLS shows them.
grant execute on function public.attctl_closure_report(text, timestamptz, date, date, bigint) to authenticated;
-- classes' CHECK on notify_emails calls it: an admin's insert runs it as `authenticated`.
grant execute on function public.attctl_valid_emails(text[]) to authenticated;

--------------------------------------------------------------------------------
-- Audit, and runs stay the worker's
--------------------------------------------------------------------------------

alter table public.teaching_sessions add column if not exists created_by_user uuid;
alter table public.teaching_sessions add column if not exists closed_by_user uuid;

create or replace function public.teaching_sessions_staff_write()
returns trigger
language plpgsql
set search_path = ''
as $$
declare
  uid uuid := public.attctl_uid();
  signed_in boolean := public.attctl_jwt_claims() ->> 'role' = 'authenticated';
begin
  if tg_op = 'INSERT' then
    if uid is not null then
      new.created_by_user := uid;
    end if;
    if signed_in then
      new.scheduled_task_id := null;
    end if;
    return new;
  end if;
  if signed_in and new.scheduled_task_id is not null
     and new.scheduled_task_id is distinct from old.scheduled_task_id then
    raise exception 'a signed-in user cannot set scheduled_task_id: the worker plans runs'
      using errcode = 'insufficient_privilege';
  end if;
  if coalesce(new.status in ('Closed', 'Close'), false)
     and not coalesce(old.status in ('Closed', 'Close'), false) then
    new.closed_by_user := case when coalesce(new.closed_by, 'manual') = 'manual' then uid end;
  elsif new.status = 'Open' and coalesce(old.status in ('Closed', 'Close'), false) then
    new.closed_by_user := null;
  elsif signed_in then
    new.created_by_user := old.created_by_user;
    new.closed_by_user := old.closed_by_user;
  end if;
  return new;
end
$$;
revoke all on function public.teaching_sessions_staff_write() from public, anon, authenticated;

drop trigger if exists teaching_sessions_staff_write on public.teaching_sessions;
create trigger teaching_sessions_staff_write
  before insert or update on public.teaching_sessions
  for each row execute function public.teaching_sessions_staff_write();

-- The outbox trigger of 20261204110000, with the writer (`actor`) in every event's payload:
-- the worker cancels the runs of what was deleted, moved or closed by writers that cannot
-- reach Hatchet (staff, the app, psql), and leaves the service role's own changes alone.
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
  actor jsonb := jsonb_build_object('actor', public.attctl_actor());
begin
  if tg_op = 'INSERT' then
    insert into public.session_events (type, session_id, payload)
    values ('session.created', new.id,
            jsonb_build_object('session', public.attctl_session_event_json(to_jsonb(new))) || actor);
  elsif tg_op = 'DELETE' then
    insert into public.session_events (type, session_id, payload)
    values ('session.deleted', old.id,
            jsonb_build_object('session', public.attctl_session_event_json(to_jsonb(old))) || actor);
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
                                 'closed_by', coalesce(new.closed_by, 'manual')) || actor);
    elsif new.status = 'Open' and was_closed then
      insert into public.session_events (type, session_id, payload)
      values ('session.reopened', new.id,
              jsonb_build_object('session', public.attctl_session_event_json(to_jsonb(new))) || actor);
    end if;
    if times_changed then
      insert into public.session_events (type, session_id, payload)
      values ('session.rescheduled', new.id,
              jsonb_build_object('session', public.attctl_session_event_json(to_jsonb(new)),
                                 'before', public.attctl_session_event_json(to_jsonb(old))) || actor);
    end if;
  end if;
  return null;
end
$$;
revoke all on function public.teaching_sessions_record_event() from public, anon, authenticated;

--------------------------------------------------------------------------------
-- attctl staff / whoami (POST /rest/v1/rpc/…)
--------------------------------------------------------------------------------

-- The caller as attctl shows it: {user_id, email, role (null: not staff), classes}.
create or replace function public.attctl_whoami()
returns json
language sql
stable
security definer
set search_path = ''
as $$
  select json_build_object(
    'user_id', public.attctl_uid(),
    'email', public.attctl_jwt_claims() ->> 'email',
    'role', public.attctl_staff_role(),
    'classes', coalesce((
      select json_agg(json_build_object('id', c.id, 'name', c.name) order by c.name, c.id)
      from public.classes c
      where c.id = any (public.attctl_my_class_ids())), '[]'::json))
$$;
revoke all on function public.attctl_whoami() from public, anon;
grant execute on function public.attctl_whoami() to authenticated, service_role;

create or replace function public.attctl_staff_json(uid uuid)
returns json
language sql
stable
security definer
set search_path = ''
as $$
  select json_build_object(
    'user_id', s.user_id,
    'email', s.email,
    'role', s.role,
    'added_at', s.added_at,
    'classes', coalesce((
      select json_agg(c.name order by c.name, c.id)
      from public.staff_classes sc join public.classes c on c.id = sc.class_id
      where sc.user_id = s.user_id), '[]'::json))
  from public.staff s where s.user_id = uid
$$;
revoke all on function public.attctl_staff_json(uuid) from public, anon, authenticated;

-- Adds (or updates) a staff member by the email of their Supabase Auth account: the role is
-- set, the classes are added to what they teach. Errors name what is wrong.
create or replace function public.attctl_staff_add(email text, role text, class_ids bigint[] default '{}')
returns json
language plpgsql
security definer
set search_path = ''
as $$
#variable_conflict use_variable
declare
  uid uuid;
  found_email text;
  missing bigint[];
begin
  if not public.attctl_may_manage_staff() then
    raise exception 'only an admin (or the service key) may add staff'
      using errcode = 'insufficient_privilege';
  end if;
  if role is null or role not in ('teacher', 'admin') then
    raise exception 'role must be teacher or admin' using errcode = 'check_violation';
  end if;
  if to_regclass('auth.users') is null then
    raise exception 'this database has no Supabase Auth users (auth.users)'
      using errcode = 'undefined_table';
  end if;
  execute 'select u.id, u.email from auth.users u where lower(u.email) = lower($1) order by u.created_at limit 1'
    into uid, found_email using btrim(email);
  if uid is null then
    raise exception 'no Supabase Auth user has the email %', btrim(email)
      using errcode = 'no_data_found',
            hint = 'invite them first (Supabase dashboard: Authentication > Users > Invite), then add them';
  end if;
  select coalesce(array_agg(x), '{}') into missing
  from unnest(coalesce(class_ids, '{}')) as x
  where not exists (select 1 from public.classes c where c.id = x);
  if cardinality(missing) > 0 then
    raise exception 'no class with id %', missing[1] using errcode = 'foreign_key_violation';
  end if;
  insert into public.staff as s (user_id, email, role, added_by)
  values (uid, found_email, role, public.attctl_uid())
  on conflict (user_id) do update set role = excluded.role, email = excluded.email;
  insert into public.staff_classes (user_id, class_id)
  select uid, x from unnest(coalesce(class_ids, '{}')) as x
  on conflict do nothing;
  return public.attctl_staff_json(uid);
end
$$;

create or replace function public.attctl_staff_remove(email text)
returns json
language plpgsql
security definer
set search_path = ''
as $$
#variable_conflict use_variable
declare
  removed json;
begin
  if not public.attctl_may_manage_staff() then
    raise exception 'only an admin (or the service key) may remove staff'
      using errcode = 'insufficient_privilege';
  end if;
  select public.attctl_staff_json(s.user_id) into removed
  from public.staff s where lower(s.email) = lower(btrim(email));
  delete from public.staff s where lower(s.email) = lower(btrim(email));
  return removed;
end
$$;

create or replace function public.attctl_staff_list()
returns json
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  if not public.attctl_may_manage_staff() then
    raise exception 'only an admin (or the service key) may list staff'
      using errcode = 'insufficient_privilege';
  end if;
  return (select coalesce(json_agg(public.attctl_staff_json(s.user_id) order by lower(s.email)), '[]'::json)
          from public.staff s);
end
$$;

-- The policies in force on the tables staff touch, for `attctl doctor`.
create or replace function public.attctl_staff_policies()
returns json
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce(json_agg(json_build_object('table', p.tablename, 'policy', p.policyname,
                                             'command', p.cmd, 'roles', p.roles)
                           order by p.tablename, p.policyname), '[]'::json)
  from pg_catalog.pg_policies p
  where p.schemaname = 'public'
    and p.tablename in ('teaching_sessions', 'classes', 'holidays', 'school_settings', 'staff', 'staff_classes')
$$;

revoke all on function public.attctl_staff_add(text, text, bigint[]), public.attctl_staff_remove(text),
  public.attctl_staff_list(), public.attctl_staff_policies() from public, anon;
grant execute on function public.attctl_staff_add(text, text, bigint[]), public.attctl_staff_remove(text),
  public.attctl_staff_list(), public.attctl_staff_policies() to authenticated, service_role;


-- attctl_app_compat() of 20261204110000, saying per role whether a table is `open` to it:
-- no RLS, or a permissive policy that allows every row (attctl_app_access_unchanged). So
-- doctor still warns that the anon key can write every session, now that RLS is on there.
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
               'open', (not c.relrowsecurity) or exists (
                 select 1 from pg_catalog.pg_policy p
                 where p.polrelid = c.oid and p.polpermissive
                   and pg_catalog.pg_get_expr(p.polqual, p.polrelid) = 'true'
                   and (p.polroles = '{0}' or
                        (select oid from pg_catalog.pg_roles where rolname = r.role) = any (p.polroles))),
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
-- Schema version, for `attctl doctor` (POST /rest/v1/rpc/attctl_schema_info)
--------------------------------------------------------------------------------

create or replace function public.attctl_schema_info()
returns json
language sql
stable
set search_path = ''
as $$
  select json_build_object(
    'version', '20261205110000',
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
