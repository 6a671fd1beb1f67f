-- 重大活动 reported before the event (目标责任考核, action plan §四(二) and §三(二)2's 报告制度): per community
-- and month of the activity's start (北京时间), how many notices there are and how many were submitted before the
-- activity began. Kept by a statement trigger, so the score sheets never count notices per request.
CREATE TABLE notice_lead_counts (
    community_code text NOT NULL,
    month          date NOT NULL,
    notices        bigint NOT NULL,
    before_start   bigint NOT NULL,
    PRIMARY KEY (community_code, month)
);

CREATE FUNCTION notice_lead_apply() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
    cols constant text := 'community_code, date_trunc(''month'', starts_at AT TIME ZONE ''Asia/Shanghai'')::date AS month, '
        '(submitted_at < starts_at)::int AS early';
    src text;
BEGIN
    src := CASE TG_OP
        WHEN 'INSERT' THEN format('SELECT %s, 1 AS d FROM new_rows', cols)
        WHEN 'DELETE' THEN format('SELECT %s, -1 AS d FROM old_rows', cols)
        ELSE format('SELECT %1$s, -1 AS d FROM old_rows UNION ALL SELECT %1$s, 1 FROM new_rows', cols) END;
    EXECUTE format($q$
        INSERT INTO notice_lead_counts AS c (community_code, month, notices, before_start)
        SELECT community_code, month, sum(d), sum(d * early) FROM (%s) x
        GROUP BY 1, 2 HAVING sum(d) <> 0 OR sum(d * early) <> 0
        ON CONFLICT (community_code, month)
        DO UPDATE SET notices = c.notices + excluded.notices, before_start = c.before_start + excluded.before_start
        $q$, src);
    RETURN NULL;
END;
$fn$;

CREATE TRIGGER notice_lead_insert AFTER INSERT ON major_activities
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION notice_lead_apply();
CREATE TRIGGER notice_lead_update AFTER UPDATE ON major_activities
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION notice_lead_apply();
CREATE TRIGGER notice_lead_delete AFTER DELETE ON major_activities
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION notice_lead_apply();

INSERT INTO notice_lead_counts (community_code, month, notices, before_start)
SELECT community_code, date_trunc('month', starts_at AT TIME ZONE 'Asia/Shanghai')::date, count(*),
       count(*) FILTER (WHERE submitted_at < starts_at)
FROM major_activities GROUP BY 1, 2;
