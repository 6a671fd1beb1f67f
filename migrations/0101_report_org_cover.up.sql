-- A group's latest reports, as its public profile shows them (title, date, 主题系列), read from the index
-- alone: the profile of a group nobody opened lately read its five reports from five random pages of a 4 GB
-- table, the tail of the profile's time at 2 M groups. The key is activity_reports_org_idx's, which this
-- index replaces for every statement that used it.
SET maintenance_work_mem = '512MB';
CREATE INDEX activity_reports_org_cover_idx ON activity_reports (org_id, activity_date DESC, id DESC)
    INCLUDE (title, series) WHERE superseded_at IS NULL;
RESET maintenance_work_mem;
DROP INDEX activity_reports_org_idx;
