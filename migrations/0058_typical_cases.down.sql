DROP TABLE typical_case_events;
DROP TABLE typical_case_photos;
DROP TABLE typical_cases;
