-- Trends for the statistics pages (issue 13): 定期工作报告 filed on time, 评估评议 grades, and a monthly snapshot of
-- the organization counts whose history the kept counts of 0016 do not hold (活动异常, live groups at a month's end).
-- All are read per community and summed per town or district at request time: a few thousand small rows, never
-- the 10 M reports.

-- First revisions of 定期工作报告 per the community they were filed in and period: how many were filed and how many
-- of them before the period's end (北京时间). The period length is registry.PeriodMonths (6): a half-year.
CREATE TABLE work_report_ontime_counts (
    community_code text NOT NULL,
    period_year    integer NOT NULL,
    period_no      smallint NOT NULL,
    filed          bigint NOT NULL,
    on_time        bigint NOT NULL,
    PRIMARY KEY (community_code, period_year, period_no)
);

CREATE FUNCTION work_report_period_end(y integer, n smallint) RETURNS timestamptz
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN (make_date(y, (n - 1) * 6 + 1, 1) + interval '6 months')::timestamp AT TIME ZONE 'Asia/Shanghai';

CREATE FUNCTION work_report_ontime_apply() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
    cols constant text := 'community_code, period_year, period_no, '
        '(submitted_at < work_report_period_end(period_year, period_no))::int AS on_time';
    src text;
BEGIN
    src := CASE TG_OP
        WHEN 'INSERT' THEN format('SELECT %s, 1 AS d FROM new_rows WHERE revision = 1', cols)
        WHEN 'DELETE' THEN format('SELECT %s, -1 AS d FROM old_rows WHERE revision = 1', cols)
        ELSE format('SELECT %1$s, -1 AS d FROM old_rows WHERE revision = 1
                     UNION ALL SELECT %1$s, 1 FROM new_rows WHERE revision = 1', cols) END;
    EXECUTE format($q$
        INSERT INTO work_report_ontime_counts AS c (community_code, period_year, period_no, filed, on_time)
        SELECT community_code, period_year, period_no, sum(d), sum(d * on_time) FROM (%s) x
        GROUP BY 1, 2, 3 HAVING sum(d) <> 0 OR sum(d * on_time) <> 0
        ON CONFLICT (community_code, period_year, period_no)
        DO UPDATE SET filed = c.filed + excluded.filed, on_time = c.on_time + excluded.on_time
        $q$, src);
    RETURN NULL;
END;
$fn$;

CREATE TRIGGER work_report_ontime_insert AFTER INSERT ON work_reports
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION work_report_ontime_apply();
CREATE TRIGGER work_report_ontime_update AFTER UPDATE ON work_reports
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION work_report_ontime_apply();
CREATE TRIGGER work_report_ontime_delete AFTER DELETE ON work_reports
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION work_report_ontime_apply();

INSERT INTO work_report_ontime_counts (community_code, period_year, period_no, filed, on_time)
SELECT community_code, period_year, period_no, count(*),
       count(*) FILTER (WHERE submitted_at < work_report_period_end(period_year, period_no))
FROM work_reports WHERE revision = 1 GROUP BY 1, 2, 3;

-- 评估评议 grades that count (each group's latest version for the year) per the community it was evaluated in.
-- A re-evaluation is the next version (never an update): it takes its predecessor's grade out and puts its own in.
CREATE TABLE evaluation_grade_counts (
    community_code text NOT NULL,
    year           integer NOT NULL,
    grade          text NOT NULL,
    n              bigint NOT NULL,
    PRIMARY KEY (community_code, year, grade)
);

CREATE FUNCTION evaluation_grade_apply() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
    -- After the statement every new row is in the table, so a version inserted with its successor in one
    -- statement is put in by its own row and taken out by the successor's.
    INSERT INTO evaluation_grade_counts AS c (community_code, year, grade, n)
    SELECT community_code, year, grade, sum(d) FROM (
        SELECT community_code, year, grade, 1 AS d FROM new_rows
        UNION ALL
        SELECT p.community_code, p.year, p.grade, -1
        FROM new_rows nw JOIN evaluations p ON p.org_id = nw.org_id AND p.year = nw.year AND p.version = nw.version - 1) x
    GROUP BY 1, 2, 3 HAVING sum(d) <> 0
    ON CONFLICT (community_code, year, grade) DO UPDATE SET n = c.n + excluded.n;
    RETURN NULL;
END;
$fn$;

CREATE TRIGGER evaluation_grade_insert AFTER INSERT ON evaluations
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION evaluation_grade_apply();
-- Evaluations are a history: nothing updates or deletes them, and the counts would not follow if something did.
CREATE FUNCTION evaluations_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'evaluations are kept as a history: insert the next version instead'
        USING ERRCODE = 'restrict_violation';
END;
$$;
CREATE TRIGGER evaluations_append_only BEFORE UPDATE OR DELETE ON evaluations
    FOR EACH STATEMENT EXECUTE FUNCTION evaluations_append_only();

INSERT INTO evaluation_grade_counts (community_code, year, grade, n)
SELECT community_code, year, grade, count(*)
FROM (SELECT DISTINCT ON (org_id, year) community_code, year, grade FROM evaluations
      ORDER BY org_id, year, version DESC) x
GROUP BY 1, 2, 3;

-- The month-end state of each community's organizations, kept because the kept counts hold only the present:
-- live (正常 and 活动异常), 活动异常, ended (已注销 and 已撤销) and 党建-covered live groups. A month's rows are
-- taken at once, by one statement from the kept counts (the current month's rows are retaken until it ends);
-- months before the first snapshot are rebuilt from founding and status dates (see StatSnapshotBackfill).
CREATE TABLE stat_month_snapshots (
    community_code text NOT NULL REFERENCES divisions (code),
    month          date NOT NULL CHECK (extract(day FROM month) = 1),
    live           bigint NOT NULL,
    abnormal       bigint NOT NULL,
    ended          bigint NOT NULL,
    party_covered  bigint NOT NULL,
    taken_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (community_code, month)
);
CREATE INDEX stat_month_snapshots_month_idx ON stat_month_snapshots (month, community_code);
