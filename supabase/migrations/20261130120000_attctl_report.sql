-- attctl report: closure analytics computed in PostgreSQL (issue 13).
--
-- attctl_closure_report() aggregates teaching_sessions in one call (PostgREST RPC), so a
-- report never downloads rows. Idempotent: safe to apply again.
--
-- Lags are date_part('epoch', closed_at - closes_at): float8, from the interval's whole days
-- and remaining microseconds. attctl's SQLite store computes the very same operations, so
-- both give bit-identical figures. percentile_cont interpolates linearly; a statistic over
-- no rows is null, never 0. Groups are aggregated by hashing on a small key (no sort of the
-- whole table); each group's lags are then sorted once by percentile_cont.

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

  -- The group key is a number (hashes fast); its label is made after aggregating. Weekday,
  -- week and month come from session_date, the session's own local date: never from UTC.
  -- Weeks are keyed by their Monday (days since Monday 2000-01-03), months as yyyymm,
  -- closed_by in the alphabetical order of its labels.
  with base as (
    select
      case p_by
        when 'class' then s.class_id
        when 'weekday' then date_part('isodow', s.session_date)::bigint
        when 'week' then s.session_date - date_part('isodow', s.session_date)::int + 1 - date '2000-01-03'
        when 'month' then (date_part('year', s.session_date) * 100 + date_part('month', s.session_date))::bigint
        else case s.closed_by when 'auto' then 1 when 'manual' then 2 when 'sweep' then 4
                  else case when s.status = 'Open' then 3 else 5 end end
      end as gkey,
      s.status,
      s.closed_by,
      s.closes_at,
      case when s.closed_by = 'auto' and s.closed_at is not null then
        date_part('epoch', s.closed_at - s.closes_at)
      end as lag_s,
      case when s.closed_by = 'manual' and s.closed_at < s.closes_at then
        date_part('epoch', s.closes_at - s.closed_at) / 60
      end as early_min
    from public.teaching_sessions s
    where (p_from is null or s.session_date >= p_from)
      and (p_to is null or s.session_date <= p_to)
      and (p_class_id is null or s.class_id = p_class_id)
  ),
  agg as (
    -- Hash aggregation (no sort of the whole table by group): the lags of each group are
    -- collected, then percentile_cont sorts each group's own values once.
    select
      grouping(gkey) as is_total,
      gkey,
      count(*) as sessions,
      count(*) filter (where closed_by = 'manual') as closed_manual,
      count(*) filter (where closed_by = 'auto') as closed_auto,
      count(*) filter (where closed_by = 'sweep') as closed_sweep,
      count(*) filter (where status = 'Open' and closes_at <= p_now) as open_past_end,
      count(*) filter (where status = 'Open' and closes_at > p_now) as open_upcoming,
      array_agg(lag_s) filter (where lag_s is not null) as lags,
      max(lag_s) as auto_lag_max_s,
      array_agg(early_min) filter (where early_min is not null) as early,
      count(*) filter (where status <> 'Open' and closed_by is null) as closed_unrecorded
    from base
    group by grouping sets ((gkey), ())
  ),
  stats as materialized (
    select a.*,
      (select percentile_cont(array[0.5, 0.95]::float8[]) within group (order by v)
         from unnest(a.lags) as v) as lag_p,
      (select percentile_cont(0.5) within group (order by v)
         from unnest(a.early) as v) as manual_early_median_min,
      coalesce(cardinality(a.early), 0) as manual_early
    from agg a
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
      'auto_lag_p50_s', lag_p[1],
      'auto_lag_p95_s', lag_p[2],
      'auto_lag_max_s', auto_lag_max_s,
      'manual_early', manual_early,
      'manual_early_median_min', manual_early_median_min,
      'closed_unrecorded', closed_unrecorded
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
    'version', '20261130120000',
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
