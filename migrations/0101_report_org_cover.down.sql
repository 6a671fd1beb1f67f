CREATE INDEX activity_reports_org_idx ON activity_reports (org_id, activity_date DESC, id DESC)
    WHERE superseded_at IS NULL;
DROP INDEX activity_reports_org_cover_idx;
