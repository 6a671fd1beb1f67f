-- Kept counts for the statistics pages (issue 13): organizations by community × tier × legal form × 性质 × 党建 ×
-- status, the same by 服务领域, and current activity reports by community × month × 主题系列 × 活动类别 with their
-- participants, volunteers, volunteer hours and beneficiaries per 服务对象. Each is kept per community and again per
-- town and urban/rural (a town holds both 社区 and 村), so that a district page sums a few rows per town and a town
-- page a few per community (PERFORMANCE.md: count(*) GROUP BY over 1 M rows took ~350 ms). The town tables take
-- urban/rural from the community's division when the row changes; a division that later changes kind (a 村 becoming
-- a 社区 by an import) leaves its past rows under the old kind until the counts are rebuilt.
--
-- One statement-level trigger per table keeps all four tables of its kind in one statement: the changed rows
-- become signed deltas (old −1, new +1), are summed per key, and keys whose sum is zero (an update that moved
-- nothing the counts see) are not written at all. The statement is built once per operation because a
-- transition table that the operation lacks (old_rows of an INSERT) cannot be named.

-- An organization counts once here.
CREATE TABLE org_stat_counts (
    community_code text NOT NULL,
    tier           text NOT NULL,
    legal_form     text NOT NULL,
    nature         text NOT NULL,
    party_status   text NOT NULL,
    status         text NOT NULL,
    n              bigint NOT NULL,
    PRIMARY KEY (community_code, tier, legal_form, nature, party_status, status)
);
CREATE TABLE org_stat_town_counts (
    town_code    text NOT NULL,
    rural        boolean NOT NULL,
    tier         text NOT NULL,
    legal_form   text NOT NULL,
    nature       text NOT NULL,
    party_status text NOT NULL,
    status       text NOT NULL,
    n            bigint NOT NULL,
    PRIMARY KEY (town_code, rural, tier, legal_form, nature, party_status, status)
);
-- An organization counts once per 服务领域 it names ('' when it names none), so these do not add up to a total.
CREATE TABLE org_field_counts (
    community_code text NOT NULL,
    field          text NOT NULL,
    tier           text NOT NULL,
    legal_form     text NOT NULL,
    nature         text NOT NULL,
    party_status   text NOT NULL,
    status         text NOT NULL,
    n              bigint NOT NULL,
    PRIMARY KEY (community_code, field, tier, legal_form, nature, party_status, status)
);
CREATE TABLE org_field_town_counts (
    town_code    text NOT NULL,
    rural        boolean NOT NULL,
    field        text NOT NULL,
    tier         text NOT NULL,
    legal_form   text NOT NULL,
    nature       text NOT NULL,
    party_status text NOT NULL,
    status       text NOT NULL,
    n            bigint NOT NULL,
    PRIMARY KEY (town_code, rural, field, tier, legal_form, nature, party_status, status)
);

CREATE FUNCTION org_stat_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $fn$
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

CREATE TRIGGER org_stat_counts_insert AFTER INSERT ON organizations
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION org_stat_counts_apply();
CREATE TRIGGER org_stat_counts_update AFTER UPDATE ON organizations
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION org_stat_counts_apply();
CREATE TRIGGER org_stat_counts_delete AFTER DELETE ON organizations
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION org_stat_counts_apply();

-- Current revisions (superseded_at IS NULL) of activity reports per month. A correction supersedes one revision
-- and inserts the next: the update takes the old figures out, the insert puts the new ones in.
CREATE TABLE activity_month_counts (
    community_code  text NOT NULL,
    month           date NOT NULL,
    series          text NOT NULL,
    category        text NOT NULL,
    reports         bigint NOT NULL,
    participants    bigint NOT NULL,
    volunteers      bigint NOT NULL,
    volunteer_hours numeric NOT NULL,
    beneficiaries   bigint NOT NULL,
    PRIMARY KEY (community_code, month, series, category)
);
-- The town rows leave out the 活动类别 (and the 服务对象 rows the series too): a district page reads them for every
-- town and month of a year, and shows neither; a town's or a community's category stays in the community rows.
CREATE TABLE activity_month_town_counts (
    town_code       text NOT NULL,
    month           date NOT NULL,
    rural           boolean NOT NULL,
    series          text NOT NULL,
    reports         bigint NOT NULL,
    participants    bigint NOT NULL,
    volunteers      bigint NOT NULL,
    volunteer_hours numeric NOT NULL,
    beneficiaries   bigint NOT NULL,
    PRIMARY KEY (town_code, month, rural, series)
);
-- Per 服务对象: how many current reports served the group (a count above zero) and how many people of it.
CREATE TABLE activity_beneficiary_counts (
    community_code text NOT NULL,
    month          date NOT NULL,
    series         text NOT NULL,
    category       text NOT NULL,
    target         text NOT NULL,
    reports        bigint NOT NULL,
    people         bigint NOT NULL,
    PRIMARY KEY (community_code, month, series, category, target)
);
CREATE TABLE activity_beneficiary_town_counts (
    town_code text NOT NULL,
    month     date NOT NULL,
    rural     boolean NOT NULL,
    target    text NOT NULL,
    reports   bigint NOT NULL,
    people    bigint NOT NULL,
    PRIMARY KEY (town_code, month, rural, target)
);

CREATE FUNCTION activity_month_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
    cols constant text := 'community_code, town_code, date_trunc(''month'', activity_date)::date AS month, series, '
        'category, participants, volunteers, volunteer_hours, beneficiaries_total, beneficiaries';
    src text;
BEGIN
    src := CASE TG_OP
        WHEN 'INSERT' THEN format('SELECT %s, 1 AS d FROM new_rows WHERE superseded_at IS NULL', cols)
        WHEN 'DELETE' THEN format('SELECT %s, -1 AS d FROM old_rows WHERE superseded_at IS NULL', cols)
        ELSE format('SELECT %1$s, -1 AS d FROM old_rows WHERE superseded_at IS NULL
                     UNION ALL SELECT %1$s, 1 FROM new_rows WHERE superseded_at IS NULL', cols) END;
    EXECUTE format($q$
        WITH d AS MATERIALIZED (
            SELECT x.*, v.rural FROM (%s) x JOIN divisions v ON v.code = x.community_code),
        b AS MATERIALIZED (
            SELECT d.community_code, d.town_code, d.rural, d.month, d.series, d.category, d.d, e.key AS target,
                   e.value::bigint AS people
            FROM d, jsonb_each_text(d.beneficiaries) AS e
            WHERE e.value::bigint > 0),
        a1 AS (
            INSERT INTO activity_month_counts AS c (community_code, month, series, category, reports, participants,
                                                    volunteers, volunteer_hours, beneficiaries)
            SELECT community_code, month, series, category, sum(d), sum(d * participants), sum(d * volunteers),
                   sum(d * volunteer_hours), sum(d * beneficiaries_total)
            FROM d GROUP BY 1, 2, 3, 4
            HAVING sum(d) <> 0 OR sum(d * participants) <> 0 OR sum(d * volunteers) <> 0
                OR sum(d * volunteer_hours) <> 0 OR sum(d * beneficiaries_total) <> 0
            ON CONFLICT (community_code, month, series, category) DO UPDATE SET
                reports = c.reports + excluded.reports, participants = c.participants + excluded.participants,
                volunteers = c.volunteers + excluded.volunteers,
                volunteer_hours = c.volunteer_hours + excluded.volunteer_hours,
                beneficiaries = c.beneficiaries + excluded.beneficiaries),
        a2 AS (
            INSERT INTO activity_month_town_counts AS c (town_code, month, rural, series, reports, participants,
                                                         volunteers, volunteer_hours, beneficiaries)
            SELECT town_code, month, rural, series, sum(d), sum(d * participants), sum(d * volunteers),
                   sum(d * volunteer_hours), sum(d * beneficiaries_total)
            FROM d GROUP BY 1, 2, 3, 4
            HAVING sum(d) <> 0 OR sum(d * participants) <> 0 OR sum(d * volunteers) <> 0
                OR sum(d * volunteer_hours) <> 0 OR sum(d * beneficiaries_total) <> 0
            ON CONFLICT (town_code, month, rural, series) DO UPDATE SET
                reports = c.reports + excluded.reports, participants = c.participants + excluded.participants,
                volunteers = c.volunteers + excluded.volunteers,
                volunteer_hours = c.volunteer_hours + excluded.volunteer_hours,
                beneficiaries = c.beneficiaries + excluded.beneficiaries),
        b1 AS (
            INSERT INTO activity_beneficiary_counts AS c (community_code, month, series, category, target, reports, people)
            SELECT community_code, month, series, category, target, sum(d), sum(d * people)
            FROM b GROUP BY 1, 2, 3, 4, 5 HAVING sum(d) <> 0 OR sum(d * people) <> 0
            ON CONFLICT (community_code, month, series, category, target) DO UPDATE SET
                reports = c.reports + excluded.reports, people = c.people + excluded.people)
        INSERT INTO activity_beneficiary_town_counts AS c (town_code, month, rural, target, reports, people)
        SELECT town_code, month, rural, target, sum(d), sum(d * people)
        FROM b GROUP BY 1, 2, 3, 4 HAVING sum(d) <> 0 OR sum(d * people) <> 0
        ON CONFLICT (town_code, month, rural, target) DO UPDATE SET
            reports = c.reports + excluded.reports, people = c.people + excluded.people
        $q$, src);
    RETURN NULL;
END;
$fn$;

CREATE TRIGGER activity_month_counts_insert AFTER INSERT ON activity_reports
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION activity_month_counts_apply();
CREATE TRIGGER activity_month_counts_update AFTER UPDATE ON activity_reports
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION activity_month_counts_apply();
CREATE TRIGGER activity_month_counts_delete AFTER DELETE ON activity_reports
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION activity_month_counts_apply();

-- Start from what is there: the same triggers' arithmetic over every existing row, once.
INSERT INTO org_stat_counts (community_code, tier, legal_form, nature, party_status, status, n)
SELECT community_code, tier, legal_form, nature, party_status, status, count(*) FROM organizations
GROUP BY 1, 2, 3, 4, 5, 6;
INSERT INTO org_stat_town_counts (town_code, rural, tier, legal_form, nature, party_status, status, n)
SELECT town_code, v.rural, tier, legal_form, nature, party_status, status, count(*)
FROM organizations o JOIN divisions v ON v.code = o.community_code
GROUP BY 1, 2, 3, 4, 5, 6, 7;
INSERT INTO org_field_counts (community_code, field, tier, legal_form, nature, party_status, status, n)
SELECT community_code, f, tier, legal_form, nature, party_status, status, count(*)
FROM organizations, unnest(CASE WHEN cardinality(fields) = 0 THEN '{""}'::text[] ELSE fields END) AS f
GROUP BY 1, 2, 3, 4, 5, 6, 7;
INSERT INTO org_field_town_counts (town_code, rural, field, tier, legal_form, nature, party_status, status, n)
SELECT town_code, v.rural, f, tier, legal_form, nature, party_status, status, count(*)
FROM organizations o JOIN divisions v ON v.code = o.community_code,
    unnest(CASE WHEN cardinality(fields) = 0 THEN '{""}'::text[] ELSE fields END) AS f
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;
INSERT INTO activity_month_counts (community_code, month, series, category, reports, participants, volunteers,
                                   volunteer_hours, beneficiaries)
SELECT community_code, date_trunc('month', activity_date)::date, series, category, count(*), sum(participants),
       sum(volunteers), sum(volunteer_hours), sum(beneficiaries_total)
FROM activity_reports WHERE superseded_at IS NULL GROUP BY 1, 2, 3, 4;
INSERT INTO activity_month_town_counts (town_code, month, rural, series, reports, participants, volunteers,
                                        volunteer_hours, beneficiaries)
SELECT town_code, date_trunc('month', activity_date)::date, v.rural, series, count(*), sum(participants),
       sum(volunteers), sum(volunteer_hours), sum(beneficiaries_total)
FROM activity_reports r JOIN divisions v ON v.code = r.community_code
WHERE superseded_at IS NULL GROUP BY 1, 2, 3, 4;
INSERT INTO activity_beneficiary_counts (community_code, month, series, category, target, reports, people)
SELECT community_code, date_trunc('month', activity_date)::date, series, category, e.key, count(*), sum(e.value::bigint)
FROM activity_reports, jsonb_each_text(beneficiaries) AS e
WHERE superseded_at IS NULL AND e.value::bigint > 0 GROUP BY 1, 2, 3, 4, 5;
INSERT INTO activity_beneficiary_town_counts (town_code, month, rural, target, reports, people)
SELECT town_code, date_trunc('month', activity_date)::date, v.rural, e.key, count(*), sum(e.value::bigint)
FROM activity_reports r JOIN divisions v ON v.code = r.community_code, jsonb_each_text(r.beneficiaries) AS e
WHERE superseded_at IS NULL AND e.value::bigint > 0 GROUP BY 1, 2, 3, 4;

-- One name per kind of count for the statistics queries: the town rows, or the community rows with their
-- community's urban/rural. A query names the level it reads (by = 'town' or 'community') and the codes it wants
-- (each a range of the primary key), and PostgreSQL skips the other branch of the union without reading it.
CREATE VIEW org_stat_rollup AS
    SELECT 'town' AS by, town_code AS code, rural, tier, legal_form, nature, party_status, status, n
    FROM org_stat_town_counts
    UNION ALL
    SELECT 'community', c.community_code, v.rural, c.tier, c.legal_form, c.nature, c.party_status, c.status, c.n
    FROM org_stat_counts c JOIN divisions v ON v.code = c.community_code;
CREATE VIEW org_field_rollup AS
    SELECT 'town' AS by, town_code AS code, rural, field, tier, legal_form, nature, party_status, status, n
    FROM org_field_town_counts
    UNION ALL
    SELECT 'community', c.community_code, v.rural, c.field, c.tier, c.legal_form, c.nature, c.party_status, c.status, c.n
    FROM org_field_counts c JOIN divisions v ON v.code = c.community_code;
CREATE VIEW activity_month_rollup AS
    SELECT 'town' AS by, town_code AS code, rural, month, series, '' AS category, reports, participants, volunteers,
           volunteer_hours, beneficiaries
    FROM activity_month_town_counts
    UNION ALL
    SELECT 'community', c.community_code, v.rural, c.month, c.series, c.category, c.reports, c.participants,
           c.volunteers, c.volunteer_hours, c.beneficiaries
    FROM activity_month_counts c JOIN divisions v ON v.code = c.community_code;
CREATE VIEW activity_beneficiary_rollup AS
    SELECT 'town' AS by, town_code AS code, rural, month, '' AS series, '' AS category, target, reports, people
    FROM activity_beneficiary_town_counts
    UNION ALL
    SELECT 'community', c.community_code, v.rural, c.month, c.series, c.category, c.target, c.reports, c.people
    FROM activity_beneficiary_counts c JOIN divisions v ON v.code = c.community_code;
