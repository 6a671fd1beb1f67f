DROP TABLE party_meetings;
