DROP TABLE application_events;
DROP TABLE applications;
