-- attctl: wall-clock times are 00:00:00 to 23:59:59.
--
-- PostgreSQL's `time` also holds 24:00:00, and it stores an input of 23:59:60 (a leap
-- second) as 24:00:00. attctl refuses both before any request; this constraint makes the
-- database refuse them too, whoever writes (the Supabase dashboard, other clients).
--
-- Idempotent, like the first migration: the constraint is added NOT VALID (new writes are
-- checked, existing rows are left as they are) and then validated when no existing row
-- breaks it; while one does, it stays NOT VALID with a WARNING, and running this file again
-- after fixing those rows (`attctl session reschedule ID --end ...`) validates it.

do $$
begin
  if not exists (
    select 1 from pg_catalog.pg_constraint
    where conrelid = 'public.teaching_sessions'::regclass
      and conname = 'teaching_sessions_wall_clock_check'
  ) then
    alter table public.teaching_sessions
      add constraint teaching_sessions_wall_clock_check
      check (start_time < time '24:00' and end_time < time '24:00') not valid;
  end if;
end $$;

do $$
begin
  if exists (
    select 1 from pg_catalog.pg_constraint
    where conrelid = 'public.teaching_sessions'::regclass
      and conname = 'teaching_sessions_wall_clock_check'
      and not convalidated
  ) then
    begin
      alter table public.teaching_sessions validate constraint teaching_sessions_wall_clock_check;
    exception when check_violation then
      raise warning 'constraint teaching_sessions_wall_clock_check stays NOT VALID: some sessions end at 24:00:00; reschedule them and run this migration again';
    end;
  end if;
end $$;

notify pgrst, 'reload schema';
