DROP TABLE evaluations;
DROP TABLE work_reports;
