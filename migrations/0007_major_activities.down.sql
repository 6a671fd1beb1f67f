DROP TABLE major_activity_events;
DROP TABLE major_activities;
