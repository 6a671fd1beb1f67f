ALTER TABLE community_offices DROP COLUMN version;
