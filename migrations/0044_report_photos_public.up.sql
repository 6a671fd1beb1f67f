-- A photo of an activity report is shown on the group's public profile only when the committee marked it
-- public (no faces of residents who did not agree, no names on banners). A constant default adds the column
-- without rewriting the table. The profile reads a group's five latest current reports through
-- activity_reports_org_idx and their photos through (report_id, position): no new index is needed.
ALTER TABLE report_photos ADD COLUMN public boolean NOT NULL DEFAULT false;
