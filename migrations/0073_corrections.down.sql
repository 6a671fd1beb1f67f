DROP TABLE typical_case_revisions;
DROP TABLE announcement_revisions;
DROP FUNCTION revisions_append_only();
ALTER TABLE typical_cases DROP COLUMN corrected_at;
ALTER TABLE announcements DROP COLUMN corrected_at;
