ALTER TABLE training_sessions DROP CONSTRAINT training_sessions_room_kind;
UPDATE training_sessions SET venue_kind = '其他' WHERE room_id IS NOT NULL;
ALTER TABLE training_sessions DROP COLUMN room_id;
