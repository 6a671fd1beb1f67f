DROP TRIGGER matches_contract_of_project ON matches;
DROP FUNCTION matches_contract_of_project();
ALTER TABLE matching_events DROP COLUMN room_id;
ALTER TABLE matches DROP COLUMN contract_id;
