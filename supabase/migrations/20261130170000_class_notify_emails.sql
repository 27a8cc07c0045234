-- attctl: each class's email recipients for notifications.
--
-- classes.notify_emails holds the addresses that are emailed about the class's sessions
-- (closed, closing soon, ...), besides ATTCTL_MAIL_TO. attctl validates every address
-- before writing it (`class create|update --notify-email`); the check here keeps the column
-- a list of non-empty strings without blanks, whatever else writes to it.
-- Every statement is idempotent.

alter table public.classes
  add column if not exists notify_emails text[] not null default '{}';

-- True when every element looks like an address (something@something, no blanks). In a
-- function because a CHECK constraint cannot hold a subquery.
create or replace function public.attctl_valid_emails(emails text[])
returns boolean
language sql
immutable
set search_path = ''
as $$
  select coalesce(array_length(emails, 1), 0) <= 100
     and not exists (select 1 from unnest(emails) as e (a)
                     where e.a is null or e.a !~ '^[^[:space:]@]+@[^[:space:]@]+$')
$$;

revoke all on function public.attctl_valid_emails(text[]) from public, anon, authenticated;
grant execute on function public.attctl_valid_emails(text[]) to service_role;

do $$
begin
  if not exists (
    select 1 from pg_catalog.pg_constraint k
    join pg_catalog.pg_namespace n on n.oid = k.connamespace
    where n.nspname = 'public' and k.conname = 'classes_notify_emails_check'
  ) then
    alter table public.classes
      add constraint classes_notify_emails_check
      check (public.attctl_valid_emails(notify_emails));
  end if;
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
    'version', '20261130170000',
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
