DROP TRIGGER party_meeting_counts_insert ON party_meetings;
DROP TRIGGER party_meeting_counts_update ON party_meetings;
DROP TRIGGER party_meeting_counts_delete ON party_meetings;
DROP FUNCTION party_meeting_counts_apply();
DROP TABLE party_meeting_counts;
DROP TABLE party_meeting_org_quarters;
