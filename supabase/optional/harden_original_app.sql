-- OPTIONAL, NOT A MIGRATION: closes the original app's tables to the anon key.
--
-- attctl's migrations never change the access of tables that existed before attctl (see
-- attctl_table_origin): the app reads and writes them with its own keys. `attctl doctor`
-- (check supabase.app_access) says what those keys can do today. Apply this file only when
-- the school has decided to, after reading what it breaks:
--
--   * every call of the original app made with the anon key stops working on classes and
--     teaching_sessions: the QR check-in's read of the session (attendance://{session_id}/...),
--     the session and class listings of its API, and any write it makes with that key. Reads
--     answer `permission denied for table ...` (42501), not an empty list;
--   * calls with the authenticated role (a signed-in teacher or student) see nothing until
--     policies for them exist (the staff sign-in work adds them);
--   * the service-role key (attctl, attctl-worker, the app's own worker) keeps full access.
--
-- Try it first without keeping it:   psql "$DATABASE_URL" -1 -f harden_original_app.sql -c 'rollback'
--   (nothing is kept; the notices say what would change). To apply:
--   psql "$DATABASE_URL" -1 -f supabase/optional/harden_original_app.sql
-- To undo: `alter table public.<table> disable row level security;` and grant the privileges
-- back (`grant all on public.<table> to anon;`). Idempotent.

do $$
declare
  tbl text;
begin
  foreach tbl in array array['classes', 'teaching_sessions'] loop
    if pg_catalog.to_regclass(format('public.%I', tbl)) is null then
      continue;
    end if;
    execute format('alter table public.%I enable row level security', tbl);
    execute format('drop policy if exists attctl_service_role_all on public.%I', tbl);
    execute format('create policy attctl_service_role_all on public.%I '
                   'as permissive for all to service_role using (true) with check (true)', tbl);
    execute format('grant all on table public.%I to service_role', tbl);
    execute format('revoke all on table public.%I from anon', tbl);
    raise notice 'public.%: Row Level Security on, anon revoked, service_role keeps full access', tbl;
  end loop;
end $$;

notify pgrst, 'reload schema';
