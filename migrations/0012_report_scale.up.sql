-- What activity reports and work-report coverage need at 2 M organizations and 10 M activity reports
-- (PERFORMANCE.md): list indexes for the 主题系列 and 活动类别 filters, kept counts of current reports for list
-- totals, and kept counts of reported periods for the coverage pages. The counts are kept by statement-level
-- triggers with transition tables, as org_counts is (0005), so one COPY of millions of rows updates a few
-- thousand count rows once.

-- A series or category filter walked the jurisdiction's (…, activity_date, id) index and threw rows away: a
-- combination nobody files (文化铸魂 × 矛盾调解) read a town's whole 330 k reports for an empty page. With the
-- two words as leading equalities each (series, category) pair is one ordered range; a filter on one of them
-- reads at most a page from each pair (5 series × 8 categories) and merges them (see reportPairsListQuery).
CREATE INDEX activity_reports_town_kind_idx
    ON activity_reports (town_code, series, category, activity_date DESC, id DESC) WHERE superseded_at IS NULL;
CREATE INDEX activity_reports_community_kind_idx
    ON activity_reports (community_code, series, category, activity_date DESC, id DESC) WHERE superseded_at IS NULL;
CREATE INDEX activity_reports_district_kind_idx
    ON activity_reports (district_code, series, category, activity_date DESC, id DESC) WHERE superseded_at IS NULL;

-- Current revisions per community, 主题系列 and 活动类别: a list's total without recounting millions of rows.
CREATE TABLE report_counts (
    community_code text NOT NULL,
    series         text NOT NULL,
    category       text NOT NULL,
    n              bigint NOT NULL,
    PRIMARY KEY (community_code, series, category)
);

CREATE FUNCTION report_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        INSERT INTO report_counts AS c (community_code, series, category, n)
        SELECT community_code, series, category, -count(*) FROM old_rows WHERE superseded_at IS NULL
        GROUP BY community_code, series, category
        ON CONFLICT (community_code, series, category) DO UPDATE SET n = c.n + excluded.n;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        INSERT INTO report_counts AS c (community_code, series, category, n)
        SELECT community_code, series, category, count(*) FROM new_rows WHERE superseded_at IS NULL
        GROUP BY community_code, series, category
        ON CONFLICT (community_code, series, category) DO UPDATE SET n = c.n + excluded.n;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER report_counts_insert AFTER INSERT ON activity_reports
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_counts_apply();
CREATE TRIGGER report_counts_update AFTER UPDATE ON activity_reports
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_counts_apply();
CREATE TRIGGER report_counts_delete AFTER DELETE ON activity_reports
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_counts_apply();

INSERT INTO report_counts (community_code, series, category, n)
SELECT community_code, series, category, count(*) FROM activity_reports WHERE superseded_at IS NULL
GROUP BY community_code, series, category;

-- 定期工作报告 coverage: per community (the group's current one) and period, how many live groups (正常 or 活动异常)
-- have a first revision for the period. With the live groups per community from org_counts, "missing" is a
-- subtraction over a few hundred rows instead of a join of 2 M groups with their reports (measured ~1 s).
-- Two things move the count: a first revision being filed (or removed), and a group with reports changing
-- community or becoming live or not live.
CREATE TABLE work_report_counts (
    community_code text NOT NULL,
    period_year    integer NOT NULL,
    period_no      smallint NOT NULL,
    n              bigint NOT NULL,
    PRIMARY KEY (community_code, period_year, period_no)
);

CREATE FUNCTION work_report_counts_reports() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO work_report_counts AS c (community_code, period_year, period_no, n)
        SELECT o.community_code, w.period_year, w.period_no, -count(*)
        FROM old_rows w JOIN organizations o ON o.id = w.org_id
        WHERE w.revision = 1 AND o.status IN ('normal', 'abnormal')
        GROUP BY o.community_code, w.period_year, w.period_no
        ON CONFLICT (community_code, period_year, period_no) DO UPDATE SET n = c.n + excluded.n;
    ELSE
        INSERT INTO work_report_counts AS c (community_code, period_year, period_no, n)
        SELECT o.community_code, w.period_year, w.period_no, count(*)
        FROM new_rows w JOIN organizations o ON o.id = w.org_id
        WHERE w.revision = 1 AND o.status IN ('normal', 'abnormal')
        GROUP BY o.community_code, w.period_year, w.period_no
        ON CONFLICT (community_code, period_year, period_no) DO UPDATE SET n = c.n + excluded.n;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER work_report_counts_insert AFTER INSERT ON work_reports
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION work_report_counts_reports();
CREATE TRIGGER work_report_counts_delete AFTER DELETE ON work_reports
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION work_report_counts_reports();

-- Reports are never updated in place (a correction is a new revision), but should one be, its group or period
-- may change: take the old row out and put the new one in.
CREATE FUNCTION work_report_counts_report_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO work_report_counts AS c (community_code, period_year, period_no, n)
    SELECT community_code, period_year, period_no, sum(d) FROM (
        SELECT o.community_code, w.period_year, w.period_no, -1 AS d
        FROM old_rows w JOIN organizations o ON o.id = w.org_id
        WHERE w.revision = 1 AND o.status IN ('normal', 'abnormal')
        UNION ALL
        SELECT o.community_code, w.period_year, w.period_no, 1
        FROM new_rows w JOIN organizations o ON o.id = w.org_id
        WHERE w.revision = 1 AND o.status IN ('normal', 'abnormal')) x
    GROUP BY community_code, period_year, period_no
    ON CONFLICT (community_code, period_year, period_no) DO UPDATE SET n = c.n + excluded.n;
    RETURN NULL;
END;
$$;

CREATE TRIGGER work_report_counts_update AFTER UPDATE ON work_reports
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION work_report_counts_report_update();

-- A group's reports count in its current community while it is live: when an update changes either, its first
-- revisions move from the old (community, live) to the new one. Most updates change neither and cost one join
-- of the changed rows.
CREATE FUNCTION work_report_counts_orgs() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO work_report_counts AS c (community_code, period_year, period_no, n)
    SELECT community_code, period_year, period_no, sum(d) FROM (
        SELECT o.community_code, w.period_year, w.period_no, -1 AS d
        FROM old_rows o JOIN new_rows nw ON nw.id = o.id
        JOIN work_reports w ON w.org_id = o.id AND w.revision = 1
        WHERE o.status IN ('normal', 'abnormal')
          AND (nw.community_code <> o.community_code OR nw.status NOT IN ('normal', 'abnormal'))
        UNION ALL
        SELECT nw.community_code, w.period_year, w.period_no, 1
        FROM new_rows nw JOIN old_rows o ON o.id = nw.id
        JOIN work_reports w ON w.org_id = nw.id AND w.revision = 1
        WHERE nw.status IN ('normal', 'abnormal')
          AND (nw.community_code <> o.community_code OR o.status NOT IN ('normal', 'abnormal'))) x
    GROUP BY community_code, period_year, period_no
    ON CONFLICT (community_code, period_year, period_no) DO UPDATE SET n = c.n + excluded.n;
    RETURN NULL;
END;
$$;

CREATE TRIGGER work_report_counts_orgs AFTER UPDATE ON organizations
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION work_report_counts_orgs();

-- Organizations are not deleted while reports name them (the foreign key), so a delete needs no trigger.

INSERT INTO work_report_counts (community_code, period_year, period_no, n)
SELECT o.community_code, w.period_year, w.period_no, count(*)
FROM work_reports w JOIN organizations o ON o.id = w.org_id
WHERE w.revision = 1 AND o.status IN ('normal', 'abnormal')
GROUP BY o.community_code, w.period_year, w.period_no;
