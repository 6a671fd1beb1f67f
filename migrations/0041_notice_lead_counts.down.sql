DROP TRIGGER notice_lead_delete ON major_activities;
DROP TRIGGER notice_lead_update ON major_activities;
DROP TRIGGER notice_lead_insert ON major_activities;
DROP FUNCTION notice_lead_apply();
DROP TABLE notice_lead_counts;
