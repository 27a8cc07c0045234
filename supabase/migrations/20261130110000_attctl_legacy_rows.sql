-- attctl: rows left by the original app never stop the sweep, and doctor can name them.
--
-- An upgraded database keeps the original app's rows as they were (see the first
-- migration's header). Real data holds rows that break attctl's rules: lowercase statuses,
-- sessions crossing midnight, zero-length sessions, duplicates, rows with no class. This
-- migration:
--   * fixes the one thing with an obvious meaning: status case and whitespace
--     ('open ' -> 'Open'), with a count in its notices;
--   * gives sessions that cross midnight (end before start) the next day's closing instant,
--     with the DST rules of that day. attctl still refuses to create or move a session to
--     such times; the rule now lives in the trigger (checked when a row is inserted or its
--     times change), so an old overnight or zero-length row can still be closed;
--   * adds attctl_close_overdue(): the sweep's bulk close, which isolates a row that cannot
--     be updated instead of failing the whole write;
--   * adds attctl_store_run_ids(): a backlog's run ids stored in one request per chunk;
--   * adds attctl_legacy_report() and attctl_repair_legacy() for `attctl doctor` and
--     `attctl doctor --repair`.
-- Every statement is idempotent.

--------------------------------------------------------------------------------
-- End after start: a trigger rule instead of a CHECK
--------------------------------------------------------------------------------

-- A NOT VALID CHECK is still enforced on every UPDATE of an old row, so a legacy overnight
-- session could never be closed. The trigger below checks the rule only when the times are
-- written (insert, or an update that changes them) and reports the same constraint name.
-- (Running every migration again re-adds the CHECK in the first file; this one drops it
-- again, so the end state is the same.)
alter table public.teaching_sessions drop constraint if exists teaching_sessions_time_order_check;

create or replace function public.teaching_sessions_before_write()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if tg_op = 'UPDATE' then
    new.updated_at := now();
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

  -- A session whose end is before its start (only old rows: see above) ends the next day.
  new.closes_at := ((new.session_date + (new.end_time < new.start_time)::integer) + new.end_time)
                   at time zone new.timezone;

  if new.status = 'Closed' then
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

--------------------------------------------------------------------------------
-- Safe repairs of old rows, also run by `attctl doctor --repair`
--------------------------------------------------------------------------------

-- Applies (or, with apply = false, only lists) the repairs that have one obvious meaning:
--   status_case: 'open', ' Closed ' ... -> 'Open' / 'Closed';
--   closes_at:   a closing instant that differs from date + end time in the row's zone.
-- A row the repair cannot write (it breaks another rule) is listed under 'failed' and
-- left as it is. Answers {"status_case":{"count","ids"},"closes_at":{...},"failed":[...]}.
create or replace function public.attctl_repair_legacy(apply boolean default false)
returns json
language plpgsql
set search_path = ''
as $$
declare
  r record;
  status_ids bigint[] := '{}';
  closes_ids bigint[] := '{}';
  failed json[] := '{}';
begin
  for r in
    select s.id, initcap(lower(btrim(s.status))) as fixed
    from public.teaching_sessions s
    where s.status is not null and s.status not in ('Open', 'Closed')
      and lower(btrim(s.status)) in ('open', 'closed')
    order by s.id
  loop
    if apply then
      begin
        update public.teaching_sessions s
           set status = r.fixed,
               closed_at = case when r.fixed = 'Closed'
                                then coalesce(s.closed_at, s.updated_at, s.created_at, now()) end
         where s.id = r.id;
      exception when others then
        failed := failed || json_build_object('id', r.id, 'repair', 'status_case',
                                              'code', sqlstate, 'message', sqlerrm);
        continue;
      end;
    end if;
    status_ids := status_ids || r.id;
  end loop;

  for r in
    select s.id
    from public.teaching_sessions s
    where s.session_date is not null and s.start_time is not null and s.end_time is not null
      and s.timezone is not null
      and s.closes_at is distinct from
          ((s.session_date + (s.end_time < s.start_time)::integer) + s.end_time) at time zone s.timezone
    order by s.id
  loop
    if apply then
      begin
        -- The trigger recomputes closes_at on any update.
        update public.teaching_sessions s set closes_at = s.closes_at where s.id = r.id;
      exception when others then
        failed := failed || json_build_object('id', r.id, 'repair', 'closes_at',
                                              'code', sqlstate, 'message', sqlerrm);
        continue;
      end;
    end if;
    closes_ids := closes_ids || r.id;
  end loop;

  return json_build_object(
    'applied', apply,
    'status_case', json_build_object('count', cardinality(status_ids), 'ids', to_json(status_ids)),
    'closes_at', json_build_object('count', cardinality(closes_ids), 'ids', to_json(closes_ids)),
    'failed', to_json(failed));
exception when invalid_parameter_value then
  -- An unknown zone name in some row makes the comparison above raise: report it rather
  -- than fail the whole repair (attctl_legacy_report names those rows).
  return json_build_object('applied', false, 'status_case', json_build_object('count', 0, 'ids', '[]'::json),
    'closes_at', json_build_object('count', 0, 'ids', '[]'::json),
    'failed', json_build_array(json_build_object('id', null, 'repair', 'closes_at',
                                                 'code', sqlstate, 'message', sqlerrm)));
end
$$;

revoke all on function public.attctl_repair_legacy(boolean) from public, anon, authenticated;
grant execute on function public.attctl_repair_legacy(boolean) to service_role;

do $$
declare
  result json;
begin
  result := public.attctl_repair_legacy(true);
  if (result->'status_case'->>'count')::int > 0 then
    raise notice 'normalised the status of % old teaching session(s): %',
      result->'status_case'->>'count', result->'status_case'->'ids';
  end if;
  if (result->'closes_at'->>'count')::int > 0 then
    raise notice 'recomputed closes_at of % old teaching session(s): %',
      result->'closes_at'->>'count', result->'closes_at'->'ids';
  end if;
  if json_array_length(result->'failed') > 0 then
    raise warning 'old teaching sessions that could not be repaired (see attctl doctor): %',
      result->'failed';
  end if;
end $$;

--------------------------------------------------------------------------------
-- The sweep's close, one request, one bad row never blocking the others
--------------------------------------------------------------------------------

-- Closes every Open session due by its cutoff: `due_by` for sessions with a planned run
-- (the run is given its grace), `unplanned_due_by` for those with none (no
-- scheduled_task_id, or a sweep's claim). One UPDATE does it; if that fails because some
-- row breaks a rule (an old row with no class, a zone PostgreSQL does not know, ...), each
-- due row is closed on its own and the ones that fail are returned, so every other session
-- still closes on time. Answers {"closed":[ids],"failed":[{"id","code","message"}]}.
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

revoke all on function public.attctl_close_overdue(timestamptz, timestamptz, text, timestamptz)
  from public, anon, authenticated;
grant execute on function public.attctl_close_overdue(timestamptz, timestamptz, text, timestamptz)
  to service_role;

--------------------------------------------------------------------------------
-- Planning a backlog: run ids stored in bulk
--------------------------------------------------------------------------------

-- The sweep claims a chunk of sessions (one conditional PATCH), creates their runs, then
-- stores every run id in one request: each id goes to its session only while the session
-- still holds the sweep's claim (or already holds that run id, so a retried request is a
-- no-op). `runs` is [{"id": 7, "run": "<run id>"}, ...]; answers the ids stored.
create or replace function public.attctl_store_run_ids(claim text, runs json)
returns json
language sql
set search_path = ''
as $$
  with wanted as (
    select x.id, x.run from json_to_recordset(runs) as x (id bigint, run text)
  ), done as (
    update public.teaching_sessions s
       set scheduled_task_id = w.run
      from wanted w
     where s.id = w.id
       and (s.scheduled_task_id = claim or s.scheduled_task_id = w.run)
    returning s.id
  )
  select coalesce(json_agg(id order by id), '[]'::json) from done
$$;

revoke all on function public.attctl_store_run_ids(text, json) from public, anon, authenticated;
grant execute on function public.attctl_store_run_ids(text, json) to service_role;

--------------------------------------------------------------------------------
-- What needs a person: `attctl doctor`
--------------------------------------------------------------------------------

-- One entry per kind of problem found in old rows: its count, the first 20 ids, whether
-- `attctl doctor --repair` fixes it (safe) and what a person should do otherwise.
create or replace function public.attctl_legacy_report()
returns json
language plpgsql
stable
set search_path = ''
as $$
declare
  problems json[] := '{}';
  n bigint;
  ids bigint[];
begin
  -- Status in the wrong case or with spaces: safe to repair.
  select count(*), (array_agg(id order by id))[1:20] into n, ids
  from public.teaching_sessions
  where status is not null and status not in ('Open', 'Closed')
    and lower(btrim(status)) in ('open', 'closed');
  if n > 0 then
    problems := problems || json_build_object('kind', 'status_case', 'count', n, 'ids', to_json(ids),
      'safe', true, 'fix', 'attctl doctor --repair (sets Open/Closed)');
  end if;

  -- Any other status: nothing to guess.
  select count(*), (array_agg(id order by id))[1:20] into n, ids
  from public.teaching_sessions
  where status is null or (status not in ('Open', 'Closed') and lower(btrim(status)) not in ('open', 'closed'));
  if n > 0 then
    problems := problems || json_build_object('kind', 'unknown_status', 'count', n, 'ids', to_json(ids),
      'safe', false, 'fix', 'decide each one: update public.teaching_sessions set status = ''Closed'' where id in (...)');
  end if;

  -- Closing instant out of step with date + end time (an edit that bypassed the trigger).
  begin
    select count(*), (array_agg(id order by id))[1:20] into n, ids
    from public.teaching_sessions s
    where s.session_date is not null and s.start_time is not null and s.end_time is not null
      and s.timezone is not null
      and s.closes_at is distinct from
          ((s.session_date + (s.end_time < s.start_time)::integer) + s.end_time) at time zone s.timezone;
  exception when invalid_parameter_value then
    n := 0;
  end;
  if n > 0 then
    problems := problems || json_build_object('kind', 'closes_at_stale', 'count', n, 'ids', to_json(ids),
      'safe', true, 'fix', 'attctl doctor --repair (recomputes closes_at)');
  end if;

  select count(*), (array_agg(id order by id))[1:20] into n, ids
  from public.teaching_sessions s
  where s.timezone is not null
    and not exists (select 1 from pg_catalog.pg_timezone_names z where z.name = s.timezone);
  if n > 0 then
    problems := problems || json_build_object('kind', 'unknown_timezone', 'count', n, 'ids', to_json(ids),
      'safe', false, 'fix', 'set an IANA zone: update public.teaching_sessions set timezone = ''Europe/London'' where id in (...)');
  end if;

  select count(*), (array_agg(id order by id))[1:20] into n, ids
  from public.teaching_sessions where class_id is null;
  if n > 0 then
    problems := problems || json_build_object('kind', 'no_class', 'count', n, 'ids', to_json(ids),
      'safe', false, 'fix', 'give each a class (update public.teaching_sessions set class_id = ... where id in (...)) or delete it, then run the migrations again');
  end if;

  select count(*), (array_agg(s.id order by s.id))[1:20] into n, ids
  from public.teaching_sessions s
  where s.class_id is not null
    and not exists (select 1 from public.classes c where c.id = s.class_id);
  if n > 0 then
    problems := problems || json_build_object('kind', 'unknown_class', 'count', n, 'ids', to_json(ids),
      'safe', false, 'fix', 'point each at an existing class or delete it, then run the migrations again');
  end if;

  select count(*), (array_agg(id order by id))[1:20] into n, ids
  from public.teaching_sessions
  where session_date is null or start_time is null or end_time is null;
  if n > 0 then
    problems := problems || json_build_object('kind', 'missing_times', 'count', n, 'ids', to_json(ids),
      'safe', false, 'fix', 'fill in session_date, start_time and end_time, or delete the rows, then run the migrations again');
  end if;

  select count(*), (array_agg(id order by id))[1:20] into n, ids
  from public.teaching_sessions where end_time = start_time;
  if n > 0 then
    problems := problems || json_build_object('kind', 'zero_length', 'count', n, 'ids', to_json(ids),
      'safe', false, 'fix', 'set the real end time (attctl session reschedule ID --end HH:MM) or delete the session');
  end if;

  select count(*), (array_agg(id order by id))[1:20] into n, ids
  from public.teaching_sessions where end_time < start_time;
  if n > 0 then
    problems := problems || json_build_object('kind', 'crosses_midnight', 'count', n, 'ids', to_json(ids),
      'safe', true, 'fix', 'nothing to do: these close the next day at their end time; new sessions cannot cross midnight');
  end if;

  -- Every row of a duplicate (class, date, start) group: a person keeps one.
  select count(*), (array_agg(id order by id))[1:20] into n, ids
  from (
    select s.id, count(*) over (partition by s.class_id, s.session_date, s.start_time) as copies
    from public.teaching_sessions s
    where s.class_id is not null and s.session_date is not null and s.start_time is not null
  ) d
  where d.copies > 1;
  if n > 0 then
    problems := problems || json_build_object('kind', 'duplicate_sessions', 'count', n, 'ids', to_json(ids),
      'safe', false, 'fix', 'keep one session per class, date and start time (attctl session delete ID ...), then run the migrations again to add the unique key');
  end if;

  select count(*), (array_agg(id order by id))[1:20] into n, ids
  from (
    select c.id, count(*) over (partition by c.name) as copies
    from public.classes c where c.name is not null
  ) d
  where d.copies > 1;
  if n > 0 then
    problems := problems || json_build_object('kind', 'duplicate_class_names', 'count', n, 'ids', to_json(ids),
      'safe', false, 'fix', 'rename or merge the classes (ids are class ids), then run the migrations again to add the unique key');
  end if;

  return json_build_object('problems', to_json(problems));
end
$$;

revoke all on function public.attctl_legacy_report() from public, anon, authenticated;
grant execute on function public.attctl_legacy_report() to service_role;

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
    'version', '20261130110000',
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
                        'teaching_sessions_class_id_fkey']) as w (name)
      where not exists (
        select 1 from pg_catalog.pg_constraint k
        join pg_catalog.pg_namespace n on n.oid = k.connamespace
        where n.nspname = 'public' and k.conname = w.name))
  )
$$;

revoke all on function public.attctl_schema_info() from public, anon, authenticated;
grant execute on function public.attctl_schema_info() to service_role;

notify pgrst, 'reload schema';
