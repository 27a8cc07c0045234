-- attctl: a session-event outbox, written by a trigger in the same transaction as the change.
--
-- Every insert, close, reopen, change of times and delete of a teaching session records
-- one row in public.session_events, whichever path made it (attctl, the worker, a SQL
-- editor or the Supabase dashboard): the trigger runs inside the writing transaction, so a
-- change and its event commit or roll back together. The worker delivers the rows to the
-- configured channels (webhook, Slack, email) and keeps the delivery state here:
--   state            pending -> delivered | failed (after 24 h of retries);
--   deliveries       per channel: {"webhook": {"state": "delivered", "attempts": 2, ...}};
--   claimed_by/_until a lease taken by one worker (attctl_claim_events), so that several
--                    workers never send the same event at the same time;
--   dedupe_key       unique; `session.closing_soon` rows carry "<session>:<offset>:<closes_at>"
--                    so that a warning is recorded at most once per session and offset.
-- Every statement is idempotent.

create table if not exists public.session_events (
  id uuid primary key default gen_random_uuid(),
  type text not null,
  session_id bigint not null,
  occurred_at timestamptz not null default clock_timestamp(),
  payload jsonb not null default '{}'::jsonb,
  state text not null default 'pending',
  deliveries jsonb not null default '{}'::jsonb,
  attempts integer not null default 0,
  next_attempt_at timestamptz not null default clock_timestamp(),
  claimed_by text,
  claimed_until timestamptz,
  last_error text,
  delivered_at timestamptz,
  dedupe_key text,
  constraint session_events_type_check check (type in (
    'session.created', 'session.closed', 'session.rescheduled', 'session.reopened',
    'session.deleted', 'session.closing_soon')),
  constraint session_events_state_check check (state in ('pending', 'delivered', 'failed')),
  constraint session_events_dedupe_key_key unique (dedupe_key)
);

-- The delivery loop's next work, and `events list` in time order.
create index if not exists session_events_pending_idx
  on public.session_events (next_attempt_at) where state = 'pending';
create index if not exists session_events_occurred_at_idx
  on public.session_events (occurred_at, id);

--------------------------------------------------------------------------------
-- The trigger
--------------------------------------------------------------------------------

-- The session row (as to_jsonb gives it) plus its class's name. It takes jsonb, not the
-- row type, so that nothing here depends on the table's type (the table can still be
-- dropped and created again).
create or replace function public.attctl_session_event_json(s jsonb)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select s || jsonb_build_object(
    'class_name', (select c.name from public.classes c where c.id = (s ->> 'class_id')::bigint))
$$;

revoke all on function public.attctl_session_event_json(jsonb) from public, anon, authenticated;

create or replace function public.teaching_sessions_record_event()
returns trigger
language plpgsql
set search_path = ''
as $$
declare
  times_changed boolean;
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
    if new.status = 'Closed' and old.status is distinct from 'Closed' then
      insert into public.session_events (type, session_id, payload)
      values ('session.closed', new.id,
              jsonb_build_object('session', public.attctl_session_event_json(to_jsonb(new)),
                                 'closed_by', coalesce(new.closed_by, 'manual')));
    elsif new.status = 'Open' and old.status = 'Closed' then
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

drop trigger if exists teaching_sessions_record_event on public.teaching_sessions;
create trigger teaching_sessions_record_event
  after insert or update or delete on public.teaching_sessions
  for each row execute function public.teaching_sessions_record_event();

--------------------------------------------------------------------------------
-- Delivery: claims, warnings, retries, pruning
--------------------------------------------------------------------------------

-- Claims up to max_events due events for one worker, for lease_seconds. Pending events
-- whose type is not in types (filtered out, or no channel configured) are settled as
-- delivered with nothing sent, so they do not wait forever. SKIP LOCKED and the lease
-- condition make two workers' claims disjoint.
create or replace function public.attctl_claim_events(
  worker text, lease_seconds integer, max_events integer, types text[])
returns setof public.session_events
language plpgsql
set search_path = ''
as $$
begin
  update public.session_events e
     set state = 'delivered', delivered_at = clock_timestamp(), claimed_by = null,
         claimed_until = null
   where e.state = 'pending' and not (e.type = any (types));

  return query
  update public.session_events e
     set claimed_by = worker,
         claimed_until = clock_timestamp() + make_interval(secs => lease_seconds)
   where e.id in (
     select p.id from public.session_events p
      where p.state = 'pending' and p.next_attempt_at <= clock_timestamp()
        and (p.claimed_until is null or p.claimed_until < clock_timestamp())
      order by p.next_attempt_at, p.occurred_at
      limit max_events
      for update skip locked)
  returning e.*;
end
$$;

revoke all on function public.attctl_claim_events(text, integer, integer, text[])
  from public, anon, authenticated;
grant execute on function public.attctl_claim_events(text, integer, integer, text[]) to service_role;

-- Records a closing_soon warning for one session and offset, once: only while the session
-- is Open and before its closing instant, and never twice for the same session, offset and
-- closing instant (several workers may try). Answers the event's id, or null.
create or replace function public.attctl_record_warning(
  p_session_id bigint, offset_seconds integer, expected_closes_at timestamptz)
returns uuid
language plpgsql
set search_path = ''
as $$
declare
  s public.teaching_sessions;
  new_id uuid;
begin
  select * into s from public.teaching_sessions t where t.id = p_session_id;
  if not found or s.status <> 'Open' or s.closes_at <> expected_closes_at
     or clock_timestamp() >= s.closes_at then
    return null;
  end if;
  insert into public.session_events (type, session_id, payload, dedupe_key)
  values ('session.closing_soon', s.id,
          jsonb_build_object('session', public.attctl_session_event_json(to_jsonb(s)),
                             'seconds_left',
                             greatest(0, floor(extract(epoch from s.closes_at - clock_timestamp())))::bigint,
                             'offset_seconds', offset_seconds),
          format('%s:%s:%s', s.id, offset_seconds,
                 to_char(s.closes_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')))
  on conflict (dedupe_key) do nothing
  returning id into new_id;
  return new_id;
end
$$;

revoke all on function public.attctl_record_warning(bigint, integer, timestamptz)
  from public, anon, authenticated;
grant execute on function public.attctl_record_warning(bigint, integer, timestamptz) to service_role;

-- The warning sweep: records every warning now due (an Open session closing within one
-- of the offsets, and not yet closed), once per session, offset and closing instant, in
-- one statement. Answers the new events' ids.
create or replace function public.attctl_record_due_warnings(offsets integer[])
returns setof uuid
language sql
set search_path = ''
as $$
  insert into public.session_events (type, session_id, payload, dedupe_key)
  select 'session.closing_soon', s.id,
         jsonb_build_object('session', public.attctl_session_event_json(to_jsonb(s)),
                            'seconds_left',
                            greatest(0, floor(extract(epoch from s.closes_at - clock_timestamp())))::bigint,
                            'offset_seconds', o.secs),
         format('%s:%s:%s', s.id, o.secs,
                to_char(s.closes_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))
    from public.teaching_sessions s
    cross join unnest(offsets) as o (secs)
   where s.status = 'Open'
     and s.closes_at > clock_timestamp()
     and s.closes_at <= clock_timestamp() + make_interval(secs => o.secs)
  on conflict (dedupe_key) do nothing
  returning id
$$;

revoke all on function public.attctl_record_due_warnings(integer[]) from public, anon, authenticated;
grant execute on function public.attctl_record_due_warnings(integer[]) to service_role;

--------------------------------------------------------------------------------
-- Row Level Security and grants, as for the other tables
--------------------------------------------------------------------------------

alter table public.session_events enable row level security;

drop policy if exists attctl_service_role_all on public.session_events;
create policy attctl_service_role_all on public.session_events
  as permissive for all to service_role using (true) with check (true);

grant all on table public.session_events to service_role;
revoke all on table public.session_events from anon;

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
    'version', '20261130160000',
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
