-- The activity sums per year as well as per quarter (issue 13, speed at 2 M). A statistics page asks for a year
-- more often than for a quarter, and the district's page then added up four quarters × urban/rural for each of
-- 30 towns and 5 主题系列 (1,200 kept rows, about a millisecond of PostgreSQL per page, the page's costliest
-- statement). The year rows hold the same sums at the same three levels (community, town, district), written by
-- the same trigger from the same deltas, so a year reads a quarter of the rows.
CREATE TABLE activity_year_counts (
    code            text NOT NULL,
    year            date NOT NULL, -- 1 January of the year
    rural           boolean NOT NULL,
    series          text NOT NULL,
    reports         bigint NOT NULL,
    participants    bigint NOT NULL,
    volunteers      bigint NOT NULL,
    volunteer_hours numeric NOT NULL,
    beneficiaries   bigint NOT NULL,
    PRIMARY KEY (code, year, rural, series)
);

-- The function of 0067, which also writes the year rows.
CREATE OR REPLACE FUNCTION activity_quarter_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $fn$
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
                beneficiaries = c.beneficiaries + excluded.beneficiaries),
        y AS (
            INSERT INTO activity_year_counts AS c (code, year, rural, series, reports, participants, volunteers,
                                                   volunteer_hours, beneficiaries)
            SELECT code, date_trunc('year', quarter)::date, rural, series, sum(d), sum(d * participants),
                   sum(d * volunteers), sum(d * volunteer_hours), sum(d * beneficiaries_total)
            FROM d GROUP BY 1, 2, 3, 4
            HAVING sum(d) <> 0 OR sum(d * participants) <> 0 OR sum(d * volunteers) <> 0
                OR sum(d * volunteer_hours) <> 0 OR sum(d * beneficiaries_total) <> 0
            ON CONFLICT (code, year, rural, series) DO UPDATE SET
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

-- Start from the quarter rows (which equal a recount of the reports, as the property test checks), in key order.
INSERT INTO activity_year_counts (code, year, rural, series, reports, participants, volunteers, volunteer_hours,
                                  beneficiaries)
SELECT code, date_trunc('year', quarter)::date, rural, series, sum(reports), sum(participants), sum(volunteers),
       sum(volunteer_hours), sum(beneficiaries)
FROM activity_quarter_counts
GROUP BY 1, 2, 3, 4
HAVING sum(reports) <> 0 OR sum(participants) <> 0 OR sum(volunteers) <> 0 OR sum(volunteer_hours) <> 0
    OR sum(beneficiaries) <> 0
ORDER BY 1, 2, 3, 4;
