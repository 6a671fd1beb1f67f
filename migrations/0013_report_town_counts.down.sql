DROP TRIGGER report_town_counts_delete ON activity_reports;
DROP TRIGGER report_town_counts_update ON activity_reports;
DROP TRIGGER report_town_counts_insert ON activity_reports;
DROP FUNCTION report_town_counts_apply();
DROP TABLE report_town_counts;
