ALTER TABLE report_photos DROP COLUMN public;
