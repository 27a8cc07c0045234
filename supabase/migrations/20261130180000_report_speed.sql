-- attctl report: a faster attctl_closure_report() (issue 13), and the automatic-close lag
-- histogram. Same signature, same grants (service_role only), same figures to the bit.
-- Idempotent: safe to apply again.
--
-- Why it is faster than 20261130120000's: that one aggregated every session twice (per
-- group and over all, in one process) and sorted every lag twice (its group's and the
-- total's), so a report over a million sessions spent most of its time sorting. Exact
-- percentiles only need a few ranks. So:
--   1. attctl_report_buckets() reads the sessions once, and counts them per group, kind of
--      close and fine bucket of the value (1/16 s of lag; 1/8 min early for manual closes),
--      collecting the values of each bucket unsorted. Its aggregates combine, so
--      PostgreSQL runs it in parallel workers where the server allows them (RETURN QUERY
--      may; PL/pgSQL's SELECT INTO may not); nothing is sorted;
--   2. the counts say which bucket holds each rank a statistic reads (p50, p95, max, the
--      median minutes early), and which rank inside it;
--   3. only those buckets' values (a few hundred each) are sorted, to read that rank.
-- A bucket is floor(value * 2^k), clamped: multiplying by 2^k is exact in binary, so the
-- buckets keep the values' order and the rank found is the exact one. The percentiles are
-- then interpolated as percentile_cont does, (lo + frac * (hi - lo)), so the figures are
-- the same bits as before and as attctl's SQLite store. A statistic over no rows is null.
-- plan_cache_mode = force_custom_plan plans every call with its own arguments: an unused
-- filter folds away, a used one can use an index, and p_by picks its one grouping
-- expression instead of testing p_by on every row.
--
-- auto_lag_histogram: the automatic closes of each group (and of all) counted in fixed
-- log-scale buckets of their lag, in seconds: < 0, [0, 0.5), [0.5, 1), [1, 2), [2, 5),
-- [5, 10), [10, 30), [30, 60), [60, 120), [120, 300), [300, 600), [600, 1800),
-- [1800, 3600), >= 3600 (14 counts). The edges are multiples of 1/16 s: each fine bucket
-- falls in one of them.

-- The values of a bucket, unsorted. array_append extends the array in place inside an
-- aggregate, and array_cat combines the partial arrays of parallel workers.
create or replace aggregate public.attctl_report_collect(float8) (
  sfunc = pg_catalog.array_append,
  stype = float8[],
  combinefunc = pg_catalog.array_cat,
  parallel = safe
);

-- Sessions counted per (group, code), with the values of each. code = kind * 2^22 +
-- bucket, where kind = closed_by part * 4 + status part. closed_by part: 0 none or
-- unknown, 1 manual (not early), 2 auto, 3 sweep, 4 manual and early. Status part: 1 Open
-- and past its end, 2 Open and upcoming, 3 closed with no closed_by, 0 otherwise. bucket:
-- 0 when the session has no value, else 2^21 + the fine bucket of its value clamped to
-- +-2^20 (so always > 0). The value is the lag in seconds (part 2) or the minutes early
-- (part 4), computed exactly as the 20261130120000 function did.
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
begin
  -- The group key is a number (hashes fast); its label is made by attctl_closure_report().
  -- Weekday, week and month come from session_date, the session's own local date: never
  -- from UTC. Weeks are keyed by their Monday (days since Monday 2000-01-03), months as
  -- yyyymm, closed_by in the alphabetical order of its labels.
  return query
  select x.gkey,
    x.kind::bigint * 4194304
      + case when x.v is null then 0
             else 2097152 + least(greatest(
                    floor(x.v * case when x.kind / 4 = 2 then 16 else 8 end),
                    -1048576), 1048576)::bigint
        end as code,
    count(*) as n,
    public.attctl_report_collect(x.v) filter (where x.v is not null) as vals
  from (
    select
      case p_by
        when 'class' then s.class_id
        when 'weekday' then date_part('isodow', s.session_date)::bigint
        when 'week' then s.session_date - date_part('isodow', s.session_date)::int + 1 - date '2000-01-03'
        when 'month' then (date_part('year', s.session_date) * 100 + date_part('month', s.session_date))::bigint
        else case s.closed_by when 'auto' then 1 when 'manual' then 2 when 'sweep' then 4
                  else case when s.status = 'Open' then 3 else 5 end end
      end as gkey,
      (case s.closed_by
         when 'manual' then case when s.closed_at < s.closes_at then 4 else 1 end
         when 'auto' then 2
         when 'sweep' then 3
         else 0 end) * 4
      + case when s.status = 'Open' then case when s.closes_at <= p_now then 1 else 2 end
             when s.closed_by is null then 3
             else 0 end as kind,
      case
        when s.closed_by = 'auto' and s.closed_at is not null then
          date_part('epoch', s.closed_at - s.closes_at)
        when s.closed_by = 'manual' and s.closed_at < s.closes_at then
          date_part('epoch', s.closes_at - s.closed_at) / 60
      end as v,
      -- Never read: a volatile (and parallel-safe) output keeps this subquery from being
      -- merged into the grouping around it. Merged, the planner would estimate the groups
      -- from the distinct values of closed_at and closes_at (one per row) and aggregate in
      -- one process; over the subquery's outputs it expects a few thousand groups and
      -- aggregates in parallel workers first. Here, too, each value is computed once.
      clock_timestamp() as keep_apart
    from public.teaching_sessions s
    where (p_from is null or s.session_date >= p_from)
      and (p_to is null or s.session_date <= p_to)
      and (p_class_id is null or s.class_id = p_class_id)
  ) x
  group by 1, 2;
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
    select grouping(f.gkey) as is_total, f.gkey, f.part, f.bucket, sum(f.n)::bigint as n
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
    -- Totals have no group key; within one is_total the keys are all set or all null.
    join c on c.is_total = r.is_total and coalesce(c.gkey, 0) = coalesce(r.gkey, 0)
      and c.part = r.part and r.rank >= c.before and r.rank < c.before + c.n
  ),
  -- The value at each rank: its bucket's values (the group's, or every group's for the
  -- total), sorted.
  picked as (
    select p.is_total, p.gkey, p.part, p.rank,
      (select u.v
         from f, unnest(f.vals) as u (v)
         where f.part = p.part and f.bucket = p.bucket and (p.is_total = 1 or f.gkey = p.gkey)
         order by u.v
         offset p.rank_in limit 1) as v
    from picks p
  ),
  agg as (
    select
      grouping(f.gkey) as is_total,
      f.gkey,
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
    select grouping(h.gkey) as is_total, h.gkey, h.i, sum(h.n)::bigint as n
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
      left join hist on hist.is_total = k.is_total and coalesce(hist.gkey, 0) = coalesce(k.gkey, 0)
        and hist.i = g.i
    ) h
    group by h.is_total, h.gkey
  ),
  stats as (
    select a.*,
      coalesce(hj.counts, json_build_array(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
        as auto_lag_histogram,
      case when l.f50 = 0 then l.lo50 else l.lo50 + l.f50 * (l.hi50 - l.lo50) end as p50,
      case when l.f95 = 0 then l.lo95 else l.lo95 + l.f95 * (l.hi95 - l.lo95) end as p95,
      l.top as auto_lag_max_s,
      case when e.f50 = 0 then e.lo50 else e.lo50 + e.f50 * (e.hi50 - e.lo50) end
        as manual_early_median_min
    from agg a
    left join hist_json hj on hj.is_total = a.is_total and coalesce(hj.gkey, 0) = coalesce(a.gkey, 0)
    cross join lateral (
      select x.pos50 - floor(x.pos50) as f50, x.pos95 - floor(x.pos95) as f95,
        max(k.v) filter (where k.rank = floor(x.pos50)) as lo50,
        max(k.v) filter (where k.rank = ceil(x.pos50)) as hi50,
        max(k.v) filter (where k.rank = floor(x.pos95)) as lo95,
        max(k.v) filter (where k.rank = ceil(x.pos95)) as hi95,
        max(k.v) filter (where k.rank = a.n_lags - 1) as top
      from (select 0.5::float8 * (a.n_lags - 1) as pos50,
                   0.95::float8 * (a.n_lags - 1) as pos95) x
      left join picked k on k.is_total = a.is_total and k.gkey is not distinct from a.gkey
        and k.part = 2
      group by x.pos50, x.pos95
    ) l
    cross join lateral (
      select x.pos50 - floor(x.pos50) as f50,
        max(k.v) filter (where k.rank = floor(x.pos50)) as lo50,
        max(k.v) filter (where k.rank = ceil(x.pos50)) as hi50
      from (select 0.5::float8 * (a.manual_early - 1) as pos50) x
      left join picked k on k.is_total = a.is_total and k.gkey is not distinct from a.gkey
        and k.part = 4
      group by x.pos50
    ) e
  ),
  labelled as (
    select a.*,
      case p_by
        when 'class' then coalesce(c.name, 'class ' || a.gkey::text)
        when 'weekday' then to_char(date '2000-01-02' + a.gkey::int, 'FMDay')
        when 'week' then to_char(date '2000-01-03' + a.gkey::int, 'IYYY-"W"IW')
        when 'month' then to_char(make_date((a.gkey / 100)::int, (a.gkey % 100)::int, 1), 'YYYY-MM')
        else case a.gkey when 1 then 'auto' when 2 then 'manual' when 3 then 'open' when 4 then 'sweep'
                         else 'unrecorded' end
      end as grp,
      case p_by when 'class' then coalesce(c.name, 'class ' || a.gkey::text) else null end as name_ord
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


revoke all on function public.attctl_report_buckets(text, timestamptz, date, date, bigint)
  from public, anon, authenticated;
grant execute on function public.attctl_report_buckets(text, timestamptz, date, date, bigint)
  to service_role;
revoke all on function public.attctl_report_collect(float8) from public, anon, authenticated;
grant execute on function public.attctl_report_collect(float8) to service_role;
revoke all on function public.attctl_closure_report(text, timestamptz, date, date, bigint)
  from public, anon, authenticated;
grant execute on function public.attctl_closure_report(text, timestamptz, date, date, bigint)
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
    'version', '20261130180000',
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
