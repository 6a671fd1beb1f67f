DROP TABLE matches;
DROP FUNCTION matches_same_town();
DROP TABLE matching_events;
DROP TABLE service_projects;
DROP TABLE community_needs;
