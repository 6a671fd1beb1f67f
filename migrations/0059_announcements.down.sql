DROP TABLE announcement_files;
DROP TABLE announcements;
