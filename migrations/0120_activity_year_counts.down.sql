-- Back to the function of 0067, which writes the quarter rows only.
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

DROP TABLE activity_year_counts;
