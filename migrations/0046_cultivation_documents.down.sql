DROP TABLE cultivation_documents;
