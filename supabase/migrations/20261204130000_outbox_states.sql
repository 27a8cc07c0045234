-- attctl: two more states of the session-event outbox, and one session's events in order.
--
--   skipped  no configured channel takes the event's type (filtered out by
--            ATTCTL_NOTIFY_EVENTS, or no channel at all): nothing was sent. Such events
--            used to be marked delivered, with no delivery.
--   expired  a session.closing_soon that could no longer be of use when its turn came:
--            its session was deleted, closed, moved to another closing instant, or is past
--            its end. It is settled without being sent (a warning after the close misleads).
--
-- attctl_claim_events() settles both kinds in the same call as the claim, and no longer
-- hands out an event while an earlier event of the same session is still pending, so a
-- session's events reach the receivers in the order they happened.
--
-- Every statement is idempotent.

-- The state CHECK, widened (only when it does not allow the new states yet).
do $$
begin
  if not exists (
    select 1
    from pg_catalog.pg_constraint k
    join pg_catalog.pg_class c on c.oid = k.conrelid
    join pg_catalog.pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relname = 'session_events'
      and k.conname = 'session_events_state_check'
      and pg_catalog.pg_get_constraintdef(k.oid) like '%expired%'
      and pg_catalog.pg_get_constraintdef(k.oid) like '%skipped%'
  ) then
    alter table public.session_events drop constraint if exists session_events_state_check;
    alter table public.session_events add constraint session_events_state_check
      check (state in ('pending', 'delivered', 'failed', 'skipped', 'expired'));
  end if;
end
$$;

-- The pending events of one session in time order: what the claim looks up for each
-- candidate.
create index if not exists session_events_pending_session_idx
  on public.session_events (session_id, occurred_at) where state = 'pending';

-- Claims up to max_events due events for one worker, for lease_seconds, after settling:
--   - pending events whose type is not in types as skipped;
--   - pending closing_soon warnings whose session is gone, not Open, closing at another
--     instant than the warning's, or past its end, as expired (unless a live claim holds
--     one: its worker checks the end itself).
-- An event whose session has an earlier pending event is not claimed (one session's
-- events go out in order). SKIP LOCKED and the lease condition make two workers' claims
-- disjoint.
create or replace function public.attctl_claim_events(
  worker text, lease_seconds integer, max_events integer, types text[])
returns setof public.session_events
language plpgsql
set search_path = ''
as $$
begin
  update public.session_events e
     set state = 'skipped', claimed_by = null, claimed_until = null
   where e.state = 'pending' and not (e.type = any (types));

  update public.session_events e
     set state = 'expired', claimed_by = null, claimed_until = null
   where e.state = 'pending' and e.type = 'session.closing_soon'
     and (e.claimed_until is null or e.claimed_until < clock_timestamp())
     and not exists (
       select 1 from public.teaching_sessions s
        where s.id = e.session_id and s.status = 'Open'
          and s.closes_at > clock_timestamp()
          -- The warning's key is "<session>:<offset>:<closing instant>": compared as
          -- text, so that no row's payload can make the claim fail on a cast.
          and e.dedupe_key like format('%s:%%:%s', s.id,
                to_char(s.closes_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')));

  return query
  update public.session_events e
     set claimed_by = worker,
         claimed_until = clock_timestamp() + make_interval(secs => lease_seconds)
   where e.id in (
     select p.id from public.session_events p
      where p.state = 'pending' and p.next_attempt_at <= clock_timestamp()
        and (p.claimed_until is null or p.claimed_until < clock_timestamp())
        and not exists (
          select 1 from public.session_events q
           where q.state = 'pending' and q.session_id = p.session_id
             and (q.occurred_at, q.id) < (p.occurred_at, p.id))
      order by p.next_attempt_at, p.occurred_at
      limit max_events
      for update of p skip locked)
  returning e.*;
end
$$;

revoke all on function public.attctl_claim_events(text, integer, integer, text[])
  from public, anon, authenticated;
grant execute on function public.attctl_claim_events(text, integer, integer, text[]) to service_role;

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
    'version', '20261204130000',
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
