DROP VIEW org_field_status_rollup;

-- Back to the function of 0016.
CREATE OR REPLACE FUNCTION org_stat_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
    cols constant text := 'community_code, town_code, tier, legal_form, nature, party_status, status, fields';
    src text;
BEGIN
    src := CASE TG_OP
        WHEN 'INSERT' THEN format('SELECT %s, 1 AS d FROM new_rows', cols)
        WHEN 'DELETE' THEN format('SELECT %s, -1 AS d FROM old_rows', cols)
        ELSE format('SELECT %1$s, -1 AS d FROM old_rows UNION ALL SELECT %1$s, 1 FROM new_rows', cols) END;
    EXECUTE format($q$
        WITH d AS MATERIALIZED (
            SELECT x.*, v.rural FROM (%s) x JOIN divisions v ON v.code = x.community_code),
        f AS MATERIALIZED (
            SELECT d.*, f.field FROM d,
                unnest(CASE WHEN cardinality(d.fields) = 0 THEN '{""}'::text[] ELSE d.fields END) AS f (field)),
        a AS (
            INSERT INTO org_stat_counts AS c (community_code, tier, legal_form, nature, party_status, status, n)
            SELECT community_code, tier, legal_form, nature, party_status, status, sum(d) FROM d
            GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(d) <> 0
            ON CONFLICT (community_code, tier, legal_form, nature, party_status, status)
            DO UPDATE SET n = c.n + excluded.n),
        b AS (
            INSERT INTO org_stat_town_counts AS c (town_code, rural, tier, legal_form, nature, party_status, status, n)
            SELECT town_code, rural, tier, legal_form, nature, party_status, status, sum(d) FROM d
            GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING sum(d) <> 0
            ON CONFLICT (town_code, rural, tier, legal_form, nature, party_status, status)
            DO UPDATE SET n = c.n + excluded.n),
        e AS (
            INSERT INTO org_field_counts AS c (community_code, field, tier, legal_form, nature, party_status, status, n)
            SELECT community_code, field, tier, legal_form, nature, party_status, status, sum(d) FROM f
            GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING sum(d) <> 0
            ON CONFLICT (community_code, field, tier, legal_form, nature, party_status, status)
            DO UPDATE SET n = c.n + excluded.n)
        INSERT INTO org_field_town_counts AS c (town_code, rural, field, tier, legal_form, nature, party_status, status, n)
        SELECT town_code, rural, field, tier, legal_form, nature, party_status, status, sum(d) FROM f
        GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 HAVING sum(d) <> 0
        ON CONFLICT (town_code, rural, field, tier, legal_form, nature, party_status, status)
        DO UPDATE SET n = c.n + excluded.n
        $q$, src);
    RETURN NULL;
END;
$fn$;

DROP TABLE org_field_status_town_counts;
DROP TABLE org_field_status_counts;
