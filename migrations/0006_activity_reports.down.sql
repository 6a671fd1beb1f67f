DROP TABLE report_photos;
DROP TABLE activity_reports;
DROP SEQUENCE activity_report_no_seq;
