DROP TABLE party_meeting_revisions;
ALTER TABLE party_meetings DROP COLUMN version;
