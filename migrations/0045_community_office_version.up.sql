-- The community office form names the version it was built from, so that two clerks editing one office do not
-- silently overwrite each other: 0 means no office recorded yet.
ALTER TABLE community_offices ADD COLUMN version integer NOT NULL DEFAULT 1;
