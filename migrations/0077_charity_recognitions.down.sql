DROP TABLE charity_recognitions;
