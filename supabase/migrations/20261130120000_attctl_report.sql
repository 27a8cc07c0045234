-- attctl report: closure analytics computed in PostgreSQL (issue 13).
--
-- attctl_closure_report() aggregates teaching_sessions in one call (PostgREST RPC), so a
-- report never downloads rows. Idempotent: safe to apply again.
--
-- Lags are computed in whole microseconds and converted to float8 before any arithmetic,
-- so that attctl's SQLite store, which does the same, gives bit-identical figures.
-- percentile_cont interpolates linearly; a statistic over no rows is null, never 0.

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

  with base as (
    select
      case p_by
        when 'class' then coalesce(c.name, 'class ' || s.class_id::text)
        -- session_date is the session's own local date: no conversion from UTC.
        when 'weekday' then to_char(s.session_date, 'FMDay')
        when 'week' then to_char(s.session_date, 'IYYY-"W"IW')
        when 'month' then to_char(s.session_date, 'YYYY-MM')
        else coalesce(s.closed_by, case when s.status = 'Open' then 'open' else 'unrecorded' end)
      end as grp,
      case p_by
        when 'class' then coalesce(c.name, 'class ' || s.class_id::text)
        when 'weekday' then extract(isodow from s.session_date)::int::text
        when 'week' then to_char(s.session_date, 'IYYY-"W"IW')
        when 'month' then to_char(s.session_date, 'YYYY-MM')
        else coalesce(s.closed_by, case when s.status = 'Open' then 'open' else 'unrecorded' end)
      end as ord,
      s.status,
      s.closed_by,
      s.closes_at,
      case when s.closed_by = 'auto' and s.closed_at is not null then
        ((extract(epoch from s.closed_at) - extract(epoch from s.closes_at)) * 1000000)::bigint::float8
          / 1000000::float8
      end as lag_s,
      case when s.closed_by = 'manual' and s.closed_at < s.closes_at then
        ((extract(epoch from s.closes_at) - extract(epoch from s.closed_at)) * 1000000)::bigint::float8
          / 60000000::float8
      end as early_min
    from public.teaching_sessions s
    left join public.classes c on c.id = s.class_id
    where (p_from is null or s.session_date >= p_from)
      and (p_to is null or s.session_date <= p_to)
      and (p_class_id is null or s.class_id = p_class_id)
  ),
  agg as (
    select
      grouping(grp) as is_total,
      grp,
      min(ord) as ord,
      count(*) as sessions,
      count(*) filter (where closed_by = 'manual') as closed_manual,
      count(*) filter (where closed_by = 'auto') as closed_auto,
      count(*) filter (where closed_by = 'sweep') as closed_sweep,
      count(*) filter (where status = 'Open' and closes_at <= p_now) as open_past_end,
      count(*) filter (where status = 'Open' and closes_at > p_now) as open_upcoming,
      percentile_cont(0.5) within group (order by lag_s) as auto_lag_p50_s,
      percentile_cont(0.95) within group (order by lag_s) as auto_lag_p95_s,
      max(lag_s) as auto_lag_max_s,
      count(early_min) as manual_early,
      percentile_cont(0.5) within group (order by early_min) as manual_early_median_min,
      count(*) filter (where status <> 'Open' and closed_by is null) as closed_unrecorded
    from base
    group by grouping sets ((grp), ())
  ),
  rows as (
    select is_total, ord, grp, json_build_object(
      'group', grp,
      'sessions', sessions,
      'closed_manual', closed_manual,
      'closed_auto', closed_auto,
      'closed_sweep', closed_sweep,
      'open_past_end', open_past_end,
      'open_upcoming', open_upcoming,
      'auto_lag_p50_s', auto_lag_p50_s,
      'auto_lag_p95_s', auto_lag_p95_s,
      'auto_lag_max_s', auto_lag_max_s,
      'manual_early', manual_early,
      'manual_early_median_min', manual_early_median_min,
      'closed_unrecorded', closed_unrecorded
    ) as doc
    from agg
  )
  select json_build_object(
    'groups', coalesce(
      (select json_agg(doc order by ord collate "C", grp collate "C") from rows where is_total = 0),
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
