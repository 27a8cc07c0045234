-- A district's semester (2,000,000 sessions, 2,500 classes): what `cargo bench -p
-- attctl-worker --bench district` found growing with the table or with the classes, made
-- flat. Applies on attctl's own database and on the original app's.

--------------------------------------------------------------------------------
-- `attctl status` and `session list --status open`: Open sessions in list order
--------------------------------------------------------------------------------

-- PostgREST sends `status=eq.Open` as a parameter, and a generic plan cannot use an index
-- whose WHERE names 'Open': it walked (session_date, start_time, id) from the first day
-- and filtered out every Closed session before today (1.6 million in a semester).
create index if not exists teaching_sessions_status_date_start_id_idx
  on public.teaching_sessions (status, session_date, start_time, id);

--------------------------------------------------------------------------------
-- The sweep's planning: Open sessions with no run
--------------------------------------------------------------------------------

-- Only the sessions that may need a run: none, a claim, or a value that is neither a run
-- id nor a local run (the original app's). Planned sessions (the rest of the semester) are
-- not in it, so a sweep with nothing to plan reads nothing; before, it walked every future
-- Open session in closing order and tested each with the UUID pattern.
create index if not exists teaching_sessions_open_runless_idx
  on public.teaching_sessions (closes_at, id)
  where status = 'Open'
    and (scheduled_task_id is null
         or (scheduled_task_id !~ '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'
             and scheduled_task_id not like 'local-%'));

-- The sessions `unscheduled_open` reads: with no run, or a claim older than
-- `stale_claims_before` (its worker died), or the original app's values; closing after
-- `after`, in closing order. The conditions are written here, as constants, so that the
-- index above is used whatever plan the call gets (PostgREST's filters are parameters).
create or replace function public.attctl_unscheduled_open(
  after timestamptz,
  stale_claims_before timestamptz,
  max_rows integer)
returns setof public.teaching_sessions
language sql
stable
set search_path = ''
as $$
  select s.*
  from public.teaching_sessions s
  where s.status = 'Open'
    and (s.scheduled_task_id is null
         or (s.scheduled_task_id !~ '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'
             and s.scheduled_task_id not like 'local-%'))
    and s.closes_at > attctl_unscheduled_open.after
    and (s.scheduled_task_id is null
         or s.scheduled_task_id not like 'claim:%'
         or s.updated_at < attctl_unscheduled_open.stale_claims_before)
  order by s.closes_at, s.id
  limit attctl_unscheduled_open.max_rows
$$;

revoke all on function public.attctl_unscheduled_open(timestamptz, timestamptz, integer)
  from public, anon, authenticated;
grant execute on function public.attctl_unscheduled_open(timestamptz, timestamptz, integer)
  to service_role;

--------------------------------------------------------------------------------
-- `attctl report closures` with many classes
--------------------------------------------------------------------------------

-- Same figures as 20261130180000_report_speed.sql (checked equal on the benchmark's data
-- for every grouping); what changed grew with the square of the groups: 85 s for 100,000
-- sessions of 2,500 classes, now 1.5 s. Unchanged grants.

create or replace function public.attctl_report_buckets(
  p_by text,
  p_now timestamptz,
  p_from date default null,
  p_to date default null,
  p_class_id bigint default null
)
returns table (gkey bigint, code bigint, n bigint, vals float8[])
language plpgsql
stable
set search_path = ''
set work_mem = '64MB'
set plan_cache_mode = 'force_custom_plan'
as $$
declare
  collect text;
begin
  -- The group key is a number (hashes fast); its label is made by attctl_closure_report().
  -- Weekday, week and month come from session_date, the session's own local date: never
  -- from UTC. Weeks are keyed by their Monday (days since Monday 2000-01-03), months as
  -- yyyymm, closed_by in the alphabetical order of its labels.
  --
  -- The values are collected by attctl_report_collect (parallel workers) when the groups
  -- are few, and by array_agg (one process on PostgreSQL 15) when they are many: each
  -- attctl_report_collect state is an expanded array with a memory context of its own, and
  -- the hash aggregate sums its memory over every group's context each time it adds a
  -- group, so its time grows with the square of the groups (3.5 s instead of 0.35 s for
  -- 80,000 sessions of 2,500 classes).
  collect := case
    when p_by = 'class' and p_class_id is null
         and (select count(*) from public.classes) > 64 then 'pg_catalog.array_agg'
    else 'public.attctl_report_collect' end;
  return query execute format('
  select x.gkey,
    x.kind::bigint * 4194304
      + case when x.v is null then 0
             else 2097152 + least(greatest(
                    floor(x.v * case when x.kind / 4 = 2 then 16 else 8 end),
                    -1048576), 1048576)::bigint
        end as code,
    count(*) as n,
    %s(x.v) filter (where x.v is not null) as vals
  from (
    select
      case $1
        when ''class'' then s.class_id
        when ''weekday'' then date_part(''isodow'', s.session_date)::bigint
        when ''week'' then s.session_date - date_part(''isodow'', s.session_date)::int + 1 - date ''2000-01-03''
        when ''month'' then (date_part(''year'', s.session_date) * 100 + date_part(''month'', s.session_date))::bigint
        else case s.closed_by when ''auto'' then 1 when ''manual'' then 2 when ''sweep'' then 4
                  else case when s.status = ''Open'' then 3 else 5 end end
      end as gkey,
      (case s.closed_by
         when ''manual'' then case when s.closed_at < s.closes_at then 4 else 1 end
         when ''auto'' then 2
         when ''sweep'' then 3
         else 0 end) * 4
      + case when s.status = ''Open'' then case when s.closes_at <= $2 then 1 else 2 end
             when s.closed_by is null then 3
             else 0 end as kind,
      case
        when s.closed_by = ''auto'' and s.closed_at is not null then
          date_part(''epoch'', s.closed_at - s.closes_at)
        when s.closed_by = ''manual'' and s.closed_at < s.closes_at then
          date_part(''epoch'', s.closes_at - s.closed_at) / 60
      end as v,
      -- Never read: a volatile (and parallel-safe) output keeps this subquery from being
      -- merged into the grouping around it. Merged, the planner would estimate the groups
      -- from the distinct values of closed_at and closes_at (one per row) and aggregate in
      -- one process; over the subquery''s outputs it expects a few thousand groups and
      -- aggregates in parallel workers first. Here, too, each value is computed once.
      clock_timestamp() as keep_apart
    from public.teaching_sessions s
    where ($3 is null or s.session_date >= $3)
      and ($4 is null or s.session_date <= $4)
      and ($5 is null or s.class_id = $5)
  ) x
  group by 1, 2', collect)
  using p_by, p_now, p_from, p_to, p_class_id;
end;
$$;

create or replace function public.attctl_closure_report(
  p_by text,
  p_now timestamptz,
  p_from date default null,
  p_to date default null,
  p_class_id bigint default null
)
returns json
language plpgsql
stable
set search_path = ''
set work_mem = '64MB'
as $$
declare
  result json;
begin
  if p_by is null or p_by not in ('class', 'weekday', 'week', 'month', 'closed_by') then
    raise exception 'unknown grouping %: use class, weekday, week, month or closed_by', p_by
      using errcode = '22023';
  end if;
  if p_now is null then
    raise exception 'p_now is required' using errcode = '22023';
  end if;

  with f as materialized (
    select b.gkey, b.code / 16777216 as part, (b.code / 4194304) % 4 as st,
      b.code % 4194304 as bucket, b.n, b.vals
    from public.attctl_report_buckets(p_by, p_now, p_from, p_to, p_class_id) b
  ),
  -- Which rank of which bucket each statistic reads, per group (is_total 0) and over all
  -- (1): lags (part 2) p50, p95 and max; minutes early (part 4) p50. Ranks are 0-based,
  -- floor and ceil of p * (n - 1), as percentile_cont.
  b as (
    select grouping(f.gkey) as is_total, coalesce(f.gkey, -9223372036854775808) as gkey, f.part, f.bucket,
      sum(f.n)::bigint as n
    from f
    where f.bucket > 0
    group by grouping sets ((f.gkey, f.part, f.bucket), (f.part, f.bucket))
  ),
  c as (
    select b.*,
      sum(b.n) over (partition by b.is_total, b.gkey, b.part order by b.bucket) - b.n as before,
      sum(b.n) over (partition by b.is_total, b.gkey, b.part) as total
    from b
  ),
  scopes as (
    select distinct c.is_total, c.gkey, c.part, c.total from c
  ),
  ranks as (
    select distinct s.is_total, s.gkey, s.part, r.rank
    from scopes s,
      lateral unnest(case s.part
        when 2 then array[floor(0.5::float8 * (s.total - 1)), ceil(0.5::float8 * (s.total - 1)),
                          floor(0.95::float8 * (s.total - 1)), ceil(0.95::float8 * (s.total - 1)),
                          (s.total - 1)::float8]
        else array[floor(0.5::float8 * (s.total - 1)), ceil(0.5::float8 * (s.total - 1))]
      end) as r (rank)
  ),
  picks as (
    select r.is_total, r.gkey, r.part, c.bucket, (r.rank - c.before)::int as rank_in, r.rank
    from ranks r
    -- Totals have the group key -2^63 (no group has it), so that every join is on equal keys.
    join c on c.is_total = r.is_total and c.gkey = r.gkey
      and c.part = r.part and r.rank >= c.before and r.rank < c.before + c.n
  ),
  -- The value at each rank: its bucket's values (the group's, or every group's for the
  -- total), sorted.
  -- Each pick joined to its own bucket only (a hash join; totals to that bucket of every
  -- group), not a scan of every bucket per pick: that grew with the square of the groups.
  picked_vals as (
    select p.is_total, p.gkey, p.part, p.rank, p.rank_in, u.v
    from picks p
    join f on f.part = p.part and f.bucket = p.bucket and f.gkey = p.gkey
    cross join unnest(f.vals) as u (v)
    where p.is_total = 0
    union all
    select p.is_total, p.gkey, p.part, p.rank, p.rank_in, u.v
    from picks p
    join f on f.part = p.part and f.bucket = p.bucket
    cross join unnest(f.vals) as u (v)
    where p.is_total = 1
  ),
  picked as (
    select z.is_total, z.gkey, z.part, z.rank, z.v
    from (
      select pv.*, row_number() over (
          partition by pv.is_total, pv.gkey, pv.part, pv.rank order by pv.v) - 1 as rn
      from picked_vals pv
    ) z
    where z.rn = z.rank_in
  ),
  agg as (
    select
      grouping(f.gkey) as is_total,
      coalesce(f.gkey, -9223372036854775808) as gkey,
      coalesce(sum(f.n), 0)::bigint as sessions,
      coalesce(sum(f.n) filter (where f.part in (1, 4)), 0)::bigint as closed_manual,
      coalesce(sum(f.n) filter (where f.part = 2), 0)::bigint as closed_auto,
      coalesce(sum(f.n) filter (where f.part = 3), 0)::bigint as closed_sweep,
      coalesce(sum(f.n) filter (where f.st = 1), 0)::bigint as open_past_end,
      coalesce(sum(f.n) filter (where f.st = 2), 0)::bigint as open_upcoming,
      coalesce(sum(f.n) filter (where f.part = 2 and f.bucket > 0), 0)::bigint as n_lags,
      coalesce(sum(f.n) filter (where f.part = 4), 0)::bigint as manual_early,
      coalesce(sum(f.n) filter (where f.st = 3), 0)::bigint as closed_unrecorded
    from f
    group by grouping sets ((f.gkey), ())
  ),
  hist as (
    select grouping(h.gkey) as is_total, coalesce(h.gkey, -9223372036854775808) as gkey, h.i,
      sum(h.n)::bigint as n
    from (
      select f.gkey, f.n,
        width_bucket(f.bucket - 2097152,
          array[0, 8, 16, 32, 80, 160, 480, 960, 1920, 4800, 9600, 28800, 57600]::bigint[]) as i
      from f where f.part = 2 and f.bucket > 0
    ) h
    group by grouping sets ((h.gkey, h.i), (h.i))
  ),
  hist_json as (
    select h.is_total, h.gkey,
      json_agg(coalesce(h.n, 0) order by h.i) as counts
    from (
      select k.is_total, k.gkey, g.i, hist.n
      from (select distinct hist.is_total, hist.gkey from hist) k
      cross join generate_series(0, 13) as g (i)
      left join hist on hist.is_total = k.is_total and hist.gkey = k.gkey
        and hist.i = g.i
    ) h
    group by h.is_total, h.gkey
  ),
  -- The values at the ranks each group needs, gathered per group in one hash join.
  lag_picks as materialized (
    select a.is_total, a.gkey,
      max(k.v) filter (where k.rank = floor(0.5::float8 * (a.n_lags - 1))) as lo50,
      max(k.v) filter (where k.rank = ceil(0.5::float8 * (a.n_lags - 1))) as hi50,
      max(k.v) filter (where k.rank = floor(0.95::float8 * (a.n_lags - 1))) as lo95,
      max(k.v) filter (where k.rank = ceil(0.95::float8 * (a.n_lags - 1))) as hi95,
      max(k.v) filter (where k.rank = a.n_lags - 1) as top
    from agg a
    join picked k on k.is_total = a.is_total and k.gkey = a.gkey and k.part = 2
    group by a.is_total, a.gkey
  ),
  early_picks as materialized (
    select a.is_total, a.gkey,
      max(k.v) filter (where k.rank = floor(0.5::float8 * (a.manual_early - 1))) as lo50,
      max(k.v) filter (where k.rank = ceil(0.5::float8 * (a.manual_early - 1))) as hi50
    from agg a
    join picked k on k.is_total = a.is_total and k.gkey = a.gkey and k.part = 4
    group by a.is_total, a.gkey
  ),
  stats as (
    select a.*,
      coalesce(hj.counts, json_build_array(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
        as auto_lag_histogram,
      case when a.lf50 = 0 then l.lo50 else l.lo50 + a.lf50 * (l.hi50 - l.lo50) end as p50,
      case when a.lf95 = 0 then l.lo95 else l.lo95 + a.lf95 * (l.hi95 - l.lo95) end as p95,
      l.top as auto_lag_max_s,
      case when a.ef50 = 0 then e.lo50 else e.lo50 + a.ef50 * (e.hi50 - e.lo50) end
        as manual_early_median_min
    from (
      select agg.*,
        0.5::float8 * (agg.n_lags - 1) - floor(0.5::float8 * (agg.n_lags - 1)) as lf50,
        0.95::float8 * (agg.n_lags - 1) - floor(0.95::float8 * (agg.n_lags - 1)) as lf95,
        0.5::float8 * (agg.manual_early - 1) - floor(0.5::float8 * (agg.manual_early - 1)) as ef50
      from agg
    ) a
    left join hist_json hj on hj.is_total = a.is_total and hj.gkey = a.gkey
    left join lag_picks l on l.is_total = a.is_total and l.gkey = a.gkey
    left join early_picks e on e.is_total = a.is_total and e.gkey = a.gkey
  ),
  labelled as (
    select a.*,
      case p_by
        when 'class' then coalesce(c.name, 'class ' || nullif(a.gkey, -9223372036854775808)::text)
        when 'weekday' then to_char(date '2000-01-02' + nullif(a.gkey, -9223372036854775808)::int, 'FMDay')
        when 'week' then to_char(date '2000-01-03' + nullif(a.gkey, -9223372036854775808)::int, 'IYYY-"W"IW')
        when 'month' then to_char(make_date((nullif(a.gkey, -9223372036854775808) / 100)::int, (nullif(a.gkey, -9223372036854775808) % 100)::int, 1), 'YYYY-MM')
        else case nullif(a.gkey, -9223372036854775808) when 1 then 'auto' when 2 then 'manual' when 3 then 'open' when 4 then 'sweep'
                         else 'unrecorded' end
      end as grp,
      case p_by when 'class' then coalesce(c.name, 'class ' || nullif(a.gkey, -9223372036854775808)::text) else null end as name_ord
    from stats a
    left join public.classes c on p_by = 'class' and c.id = a.gkey and a.is_total = 0
  ),
  rows as (
    select is_total, gkey, name_ord, grp, json_build_object(
      'group', grp,
      'sessions', sessions,
      'closed_manual', closed_manual,
      'closed_auto', closed_auto,
      'closed_sweep', closed_sweep,
      'open_past_end', open_past_end,
      'open_upcoming', open_upcoming,
      'auto_lag_p50_s', p50,
      'auto_lag_p95_s', p95,
      'auto_lag_max_s', auto_lag_max_s,
      'manual_early', manual_early,
      'manual_early_median_min', manual_early_median_min,
      'closed_unrecorded', closed_unrecorded,
      'auto_lag_histogram', auto_lag_histogram
    ) as doc
    from labelled
  )
  select json_build_object(
    'groups', coalesce(
      (select json_agg(doc order by name_ord collate "C", gkey) from rows where is_total = 0),
      '[]'::json),
    'total', (select doc from rows where is_total = 1)
  )
  into result;
  return result;
end;
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
    'version', '20261205160000',
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
