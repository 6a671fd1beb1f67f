-- A session's attendance is written with a token like every other mutating form: attendance_version counts the
-- attendance writes (typed or imported), so a sheet posted twice, or a person added from a stale page, writes
-- nothing — attending is idempotent, but a repeat would rewrite the person and leave a second audit row.
ALTER TABLE training_sessions ADD COLUMN attendance_version integer NOT NULL DEFAULT 0 CHECK (attendance_version >= 0);
