-- The organizations per 服务领域 and status alone, beside the counts of 0016 that also split them by tier, legal
-- form, 性质 and 党建 (issue 13, speed at 2 M). The statistics pages and the 考核 sheets read the 服务领域 of the
-- live groups per child division only, and the district's page read each town's rows of every combination of
-- those four (650 rows on the bench's data, and many more where groups vary more): these hold one row per field
-- and status, at the same two levels, written by the same trigger from the same deltas.
--
-- The organizations table is locked against writes for the migration, so that no change is counted by the old
-- function and missed by the backfill.
LOCK TABLE organizations IN SHARE MODE;

CREATE TABLE org_field_status_counts (
    community_code text NOT NULL,
    field          text NOT NULL,
    status         text NOT NULL,
    n              bigint NOT NULL,
    PRIMARY KEY (community_code, field, status)
);
CREATE TABLE org_field_status_town_counts (
    town_code text NOT NULL,
    rural     boolean NOT NULL,
    field     text NOT NULL,
    status    text NOT NULL,
    n         bigint NOT NULL,
    PRIMARY KEY (town_code, rural, field, status)
);

-- The function of 0016, which also writes the two tables above.
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
            DO UPDATE SET n = c.n + excluded.n),
        g AS (
            INSERT INTO org_field_status_counts AS c (community_code, field, status, n)
            SELECT community_code, field, status, sum(d) FROM f
            GROUP BY 1, 2, 3 HAVING sum(d) <> 0
            ON CONFLICT (community_code, field, status) DO UPDATE SET n = c.n + excluded.n),
        h AS (
            INSERT INTO org_field_status_town_counts AS c (town_code, rural, field, status, n)
            SELECT town_code, rural, field, status, sum(d) FROM f
            GROUP BY 1, 2, 3, 4 HAVING sum(d) <> 0
            ON CONFLICT (town_code, rural, field, status) DO UPDATE SET n = c.n + excluded.n)
        INSERT INTO org_field_town_counts AS c (town_code, rural, field, tier, legal_form, nature, party_status, status, n)
        SELECT town_code, rural, field, tier, legal_form, nature, party_status, status, sum(d) FROM f
        GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 HAVING sum(d) <> 0
        ON CONFLICT (town_code, rural, field, tier, legal_form, nature, party_status, status)
        DO UPDATE SET n = c.n + excluded.n
        $q$, src);
    RETURN NULL;
END;
$fn$;

-- Start from the rows of 0016 (which equal a recount, as the property test checks).
INSERT INTO org_field_status_counts (community_code, field, status, n)
SELECT community_code, field, status, sum(n) FROM org_field_counts GROUP BY 1, 2, 3 HAVING sum(n) <> 0;
INSERT INTO org_field_status_town_counts (town_code, rural, field, status, n)
SELECT town_code, rural, field, status, sum(n) FROM org_field_town_counts GROUP BY 1, 2, 3, 4 HAVING sum(n) <> 0;

-- Read like org_field_rollup: the town rows, or the community rows with their community's urban/rural.
CREATE VIEW org_field_status_rollup AS
    SELECT 'town' AS by, town_code AS code, rural, field, status, n
    FROM org_field_status_town_counts
    UNION ALL
    SELECT 'community', c.community_code, v.rural, c.field, c.status, c.n
    FROM org_field_status_counts c JOIN divisions v ON v.code = c.community_code;
