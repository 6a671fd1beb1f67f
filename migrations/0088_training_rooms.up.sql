-- A session's venue is a support platform's room where one exists (rooms of 0024): venue_kind 平台场地 names the
-- room, 其他 keeps the typed place alone. Rows from before keep their typed venue (其他, no room).
ALTER TABLE training_sessions ADD COLUMN room_id bigint REFERENCES rooms (id);
CREATE INDEX training_sessions_room_idx ON training_sessions (room_id) WHERE room_id IS NOT NULL;
ALTER TABLE training_sessions ADD CONSTRAINT training_sessions_room_kind
    CHECK ((room_id IS NOT NULL) = (venue_kind = '平台场地'));
