ALTER TABLE applications DROP COLUMN publish_contact;
