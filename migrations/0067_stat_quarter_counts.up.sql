-- Kept activity counts at the grain the statistics pages read (issue 13, speed at 2 M organizations / 10 M
-- reports). The pages ask for a year or a quarter, and for the trend by quarter since 2021, never for a month or a
-- 活动类别; yet the kept rows of 0016 are per month × 主题系列 × 活动类别 (and × 服务对象), so a town's page summed
-- ~13,600 activity rows and ~17,000 服务对象 rows scattered over ~18,000 pages, and its ranking, score sheet and
-- 述职 did the same again.
--
-- These tables keep the same sums per quarter × 主题系列 (and per quarter × 服务对象), at every level at once: a
-- row's code is a community (12 digits), its town (9) or the district (6), and rural is the community's urban/rural
-- when the row was written (as the town rows of 0016 take it). A district page then reads a few rows per town and
-- quarter, and the trend of any division reads its own code's rows: 24 quarters × 2 × 5 series at most.
--
-- The 0016 tables stay: they are the kept counts per month and category the issue names.
CREATE TABLE activity_quarter_counts (
    code            text NOT NULL,
    quarter         date NOT NULL,
    rural           boolean NOT NULL,
    series          text NOT NULL,
    reports         bigint NOT NULL,
    participants    bigint NOT NULL,
    volunteers      bigint NOT NULL,
    volunteer_hours numeric NOT NULL,
    beneficiaries   bigint NOT NULL,
    PRIMARY KEY (code, quarter, rural, series)
);
CREATE TABLE beneficiary_quarter_counts (
    code    text NOT NULL,
    quarter date NOT NULL,
    rural   boolean NOT NULL,
    target  text NOT NULL,
    reports bigint NOT NULL,
    people  bigint NOT NULL,
    PRIMARY KEY (code, quarter, rural, target)
);

-- The same signed-delta arithmetic as activity_month_counts_apply (0016), each changed report counted at its
-- community, its town and the district.
CREATE FUNCTION activity_quarter_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
    cols constant text := 'community_code, date_trunc(''quarter'', activity_date)::date AS quarter, series, '
        'participants, volunteers, volunteer_hours, beneficiaries_total, beneficiaries';
    src text;
BEGIN
    src := CASE TG_OP
        WHEN 'INSERT' THEN format('SELECT %s, 1 AS d FROM new_rows WHERE superseded_at IS NULL', cols)
        WHEN 'DELETE' THEN format('SELECT %s, -1 AS d FROM old_rows WHERE superseded_at IS NULL', cols)
        ELSE format('SELECT %1$s, -1 AS d FROM old_rows WHERE superseded_at IS NULL
                     UNION ALL SELECT %1$s, 1 FROM new_rows WHERE superseded_at IS NULL', cols) END;
    EXECUTE format($q$
        WITH d AS MATERIALIZED (
            SELECT l.code, x.quarter, v.rural, x.series, x.participants, x.volunteers, x.volunteer_hours,
                   x.beneficiaries_total, x.beneficiaries, x.d
            FROM (%s) x JOIN divisions v ON v.code = x.community_code,
                 unnest(ARRAY[x.community_code, left(x.community_code, 9), left(x.community_code, 6)]) AS l (code)),
        a AS (
            INSERT INTO activity_quarter_counts AS c (code, quarter, rural, series, reports, participants, volunteers,
                                                      volunteer_hours, beneficiaries)
            SELECT code, quarter, rural, series, sum(d), sum(d * participants), sum(d * volunteers),
                   sum(d * volunteer_hours), sum(d * beneficiaries_total)
            FROM d GROUP BY 1, 2, 3, 4
            HAVING sum(d) <> 0 OR sum(d * participants) <> 0 OR sum(d * volunteers) <> 0
                OR sum(d * volunteer_hours) <> 0 OR sum(d * beneficiaries_total) <> 0
            ON CONFLICT (code, quarter, rural, series) DO UPDATE SET
                reports = c.reports + excluded.reports, participants = c.participants + excluded.participants,
                volunteers = c.volunteers + excluded.volunteers,
                volunteer_hours = c.volunteer_hours + excluded.volunteer_hours,
                beneficiaries = c.beneficiaries + excluded.beneficiaries)
        INSERT INTO beneficiary_quarter_counts AS c (code, quarter, rural, target, reports, people)
        SELECT d.code, d.quarter, d.rural, e.key, sum(d.d), sum(d.d * e.value::bigint)
        FROM d, jsonb_each_text(d.beneficiaries) AS e
        WHERE e.value::bigint > 0
        GROUP BY 1, 2, 3, 4 HAVING sum(d.d) <> 0 OR sum(d.d * e.value::bigint) <> 0
        ON CONFLICT (code, quarter, rural, target) DO UPDATE SET
            reports = c.reports + excluded.reports, people = c.people + excluded.people
        $q$, src);
    RETURN NULL;
END;
$fn$;

CREATE TRIGGER activity_quarter_counts_insert AFTER INSERT ON activity_reports
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION activity_quarter_counts_apply();
CREATE TRIGGER activity_quarter_counts_update AFTER UPDATE ON activity_reports
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION activity_quarter_counts_apply();
CREATE TRIGGER activity_quarter_counts_delete AFTER DELETE ON activity_reports
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION activity_quarter_counts_apply();

-- Start from the kept month rows of 0016 (which equal a recount of the reports, as the property test checks):
-- one statement per table over ~400,000 and ~1,850,000 rows instead of 10 M reports, written in key order so
-- that a division's rows share pages.
INSERT INTO activity_quarter_counts (code, quarter, rural, series, reports, participants, volunteers, volunteer_hours,
                                     beneficiaries)
SELECT l.code, date_trunc('quarter', c.month)::date, v.rural, c.series, sum(c.reports), sum(c.participants),
       sum(c.volunteers), sum(c.volunteer_hours), sum(c.beneficiaries)
FROM activity_month_counts c JOIN divisions v ON v.code = c.community_code,
     unnest(ARRAY[c.community_code, left(c.community_code, 9), left(c.community_code, 6)]) AS l (code)
GROUP BY 1, 2, 3, 4
HAVING sum(c.reports) <> 0 OR sum(c.participants) <> 0 OR sum(c.volunteers) <> 0 OR sum(c.volunteer_hours) <> 0
    OR sum(c.beneficiaries) <> 0
ORDER BY 1, 2, 3, 4;
INSERT INTO beneficiary_quarter_counts (code, quarter, rural, target, reports, people)
SELECT l.code, date_trunc('quarter', c.month)::date, v.rural, c.target, sum(c.reports), sum(c.people)
FROM activity_beneficiary_counts c JOIN divisions v ON v.code = c.community_code,
     unnest(ARRAY[c.community_code, left(c.community_code, 9), left(c.community_code, 6)]) AS l (code)
GROUP BY 1, 2, 3, 4
HAVING sum(c.reports) <> 0 OR sum(c.people) <> 0
ORDER BY 1, 2, 3, 4;
