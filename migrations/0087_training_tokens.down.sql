ALTER TABLE training_sessions DROP COLUMN attendance_version;
