DROP TABLE brand_projects;
