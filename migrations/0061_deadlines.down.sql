DROP INDEX major_activities_changes_idx;
DROP INDEX filings_waiting_idx;
DROP TABLE deadline_settings;
