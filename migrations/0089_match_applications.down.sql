-- the linked application is kept as its number in the free reference, as before this migration
UPDATE matches SET reference = '申报 ' || application_id WHERE application_id IS NOT NULL AND reference = '';
DROP TRIGGER matches_application_of_project ON matches;
DROP FUNCTION matches_application_of_project();
ALTER TABLE matches DROP COLUMN application_id;
