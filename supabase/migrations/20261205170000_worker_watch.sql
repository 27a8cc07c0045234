-- An idle worker's one look (issue 24): everything the worker without Hatchet needs to
-- know while nothing is due, in one call every 5 s. Before, it asked the outbox whether
-- anyone wrote every 5 s, and besides swept every minute (a close of the overdue, the
-- planner's read, a round of closes, the next closing instant) and claimed events every
-- 30 s (every 5 s with a channel): 20 to 30 requests a minute. Applies on attctl's own
-- database and on the original app's.

--------------------------------------------------------------------------------
-- The worker's look
--------------------------------------------------------------------------------

-- One answer, as json:
--   events:       the newest outbox events (id, occurred_at), newest first: those at or
--                 after events_since, at most 1,000; when events_since is null (the first
--                 look), those within 10 s of the newest (ChangeWatch::LOOKBACK), so that
--                 the next look does not take them for new. What the worker compares to
--                 tell a write.
--   overdue:      Open sessions due by overdue_before, latest closing first, at most 100
--                 (the worker leaves out the rows it knows it cannot close).
--   next_closing: the earliest closing instant of an Open session after closing_after.
--   deliver_now:  whether attctl_claim_events would find an event to send now: pending,
--                 due, not under a live claim, and no earlier pending event of its session.
--   next_delivery: the earliest next_attempt_at of such an event, due or not (a retry's
--                 instant), by the database's clock.
-- Each part is an index scan that stops at its first rows: session_events_occurred_at_idx
-- backwards, teaching_sessions_open_closes_at_idx both ways, session_events_pending_idx
-- (with session_events_pending_session_idx for the order of a session's events). The
-- bounds are compared as parameters, and so are the indexes' own conditions written here
-- as constants, so that any plan uses them.
create or replace function public.attctl_worker_watch(
  events_since timestamptz,
  overdue_before timestamptz,
  closing_after timestamptz)
returns json
language sql
stable
set search_path = ''
as $$
  with due as (
    select p.next_attempt_at
    from public.session_events p
    where p.state = 'pending'
      and (p.claimed_until is null or p.claimed_until < clock_timestamp())
      and not exists (
        select 1 from public.session_events q
         where q.state = 'pending' and q.session_id = p.session_id
           and (q.occurred_at, q.id) < (p.occurred_at, p.id))
    order by p.next_attempt_at
    limit 1
  )
  select json_build_object(
    'events', (
      select coalesce(json_agg(json_build_object('id', e.id, 'occurred_at', e.occurred_at)
                               order by e.occurred_at desc, e.id desc), '[]'::json)
      from (
        select x.id, x.occurred_at
        from public.session_events x
        where x.occurred_at >= coalesce(
                attctl_worker_watch.events_since,
                (select max(m.occurred_at) from public.session_events m) - interval '10 seconds',
                '-infinity')
        order by x.occurred_at desc, x.id desc
        limit 1000
      ) e),
    'overdue', (
      select coalesce(json_agg(o.id order by o.closes_at desc, o.id desc), '[]'::json)
      from (
        select s.id, s.closes_at
        from public.teaching_sessions s
        where s.status = 'Open' and s.closes_at <= attctl_worker_watch.overdue_before
        order by s.closes_at desc, s.id desc
        limit 100
      ) o),
    'next_closing', (
      select s.closes_at
      from public.teaching_sessions s
      where s.status = 'Open' and s.closes_at > attctl_worker_watch.closing_after
      order by s.closes_at, s.id
      limit 1),
    'deliver_now', coalesce((select d.next_attempt_at <= clock_timestamp() from due d), false),
    'next_delivery', (select d.next_attempt_at from due d)
  )
$$;

revoke all on function public.attctl_worker_watch(timestamptz, timestamptz, timestamptz)
  from public, anon, authenticated;
grant execute on function public.attctl_worker_watch(timestamptz, timestamptz, timestamptz)
  to service_role;

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
    'version', '20261205170000',
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
