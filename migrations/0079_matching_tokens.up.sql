-- 品牌项目 designation carries a form token like every other mutating form: the designations of the district
-- are counted by their revisions, so a designation posted twice or from a stale page writes nothing.
ALTER TABLE brand_projects ADD COLUMN version integer NOT NULL DEFAULT 1 CHECK (version >= 1);
