ALTER TABLE brand_projects DROP COLUMN version;
