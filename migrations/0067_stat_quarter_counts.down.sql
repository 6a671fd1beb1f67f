DROP TRIGGER activity_quarter_counts_delete ON activity_reports;
DROP TRIGGER activity_quarter_counts_update ON activity_reports;
DROP TRIGGER activity_quarter_counts_insert ON activity_reports;
DROP FUNCTION activity_quarter_counts_apply();
DROP TABLE beneficiary_quarter_counts;
DROP TABLE activity_quarter_counts;
