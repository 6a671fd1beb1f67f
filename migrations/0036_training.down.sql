DROP TABLE training_attendance;
DROP TABLE trainees;
DROP TABLE training_sessions;
DROP TABLE training_plans;
