-- 三会一课 in the statistics (issue 13): meetings held per community and quarter, and how many groups met at
-- least once, kept by a statement trigger on party_meetings so that the statistics page sums a few rows per
-- community instead of counting meetings. A meeting counts in the community it was recorded in (party_meetings
-- keeps it), as every report does: a group moving later leaves its past quarters where they were.
--
-- A group meeting several times in a quarter counts once among the groups that met, which a sum of deltas
-- cannot keep by itself: party_meeting_org_quarters keeps each group's meetings per quarter, and the community
-- row's groups_met moves by one when a group's count there goes from zero to more, or back.
CREATE TABLE party_meeting_org_quarters (
    org_id         bigint NOT NULL,
    quarter        date NOT NULL,
    community_code text NOT NULL,
    meetings       bigint NOT NULL,
    PRIMARY KEY (org_id, quarter, community_code)
);
CREATE TABLE party_meeting_counts (
    community_code text NOT NULL,
    quarter        date NOT NULL,
    meetings       bigint NOT NULL,
    attendance     bigint NOT NULL,
    groups_met     bigint NOT NULL,
    PRIMARY KEY (community_code, quarter)
);

CREATE FUNCTION party_meeting_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
    cols constant text := 'org_id, community_code, date_trunc(''quarter'', held_on)::date AS quarter, attendance';
    src text;
BEGIN
    src := CASE TG_OP
        WHEN 'INSERT' THEN format('SELECT %s, 1 AS d FROM new_rows', cols)
        WHEN 'DELETE' THEN format('SELECT %s, -1 AS d FROM old_rows', cols)
        ELSE format('SELECT %1$s, -1 AS d FROM old_rows UNION ALL SELECT %1$s, 1 FROM new_rows', cols) END;
    EXECUTE format($q$
        WITH d AS MATERIALIZED (
            SELECT org_id, community_code, quarter, sum(d) AS d, sum(d * attendance) AS a FROM (%s) x
            GROUP BY 1, 2, 3),
        o AS (
            INSERT INTO party_meeting_org_quarters AS c (org_id, quarter, community_code, meetings)
            SELECT org_id, quarter, community_code, d FROM d WHERE d <> 0
            ON CONFLICT (org_id, quarter, community_code) DO UPDATE SET meetings = c.meetings + excluded.meetings
            RETURNING c.org_id, c.quarter, c.community_code, c.meetings)
        INSERT INTO party_meeting_counts AS c (community_code, quarter, meetings, attendance, groups_met)
        SELECT d.community_code, d.quarter, sum(d.d), sum(d.a),
               sum(CASE WHEN o.meetings > 0 AND o.meetings - d.d <= 0 THEN 1
                        WHEN o.meetings <= 0 AND o.meetings - d.d > 0 THEN -1 ELSE 0 END)
        FROM d LEFT JOIN o USING (org_id, quarter, community_code)
        GROUP BY 1, 2 HAVING sum(d.d) <> 0 OR sum(d.a) <> 0
        ON CONFLICT (community_code, quarter) DO UPDATE SET meetings = c.meetings + excluded.meetings,
            attendance = c.attendance + excluded.attendance, groups_met = c.groups_met + excluded.groups_met
        $q$, src);
    RETURN NULL;
END;
$fn$;

CREATE TRIGGER party_meeting_counts_insert AFTER INSERT ON party_meetings
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION party_meeting_counts_apply();
CREATE TRIGGER party_meeting_counts_update AFTER UPDATE ON party_meetings
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION party_meeting_counts_apply();
CREATE TRIGGER party_meeting_counts_delete AFTER DELETE ON party_meetings
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION party_meeting_counts_apply();

-- Start from what is there, set-based.
INSERT INTO party_meeting_org_quarters (org_id, quarter, community_code, meetings)
SELECT org_id, date_trunc('quarter', held_on)::date, community_code, count(*) FROM party_meetings GROUP BY 1, 2, 3;
INSERT INTO party_meeting_counts (community_code, quarter, meetings, attendance, groups_met)
SELECT community_code, date_trunc('quarter', held_on)::date, count(*), sum(attendance), count(DISTINCT org_id)
FROM party_meetings GROUP BY 1, 2;
