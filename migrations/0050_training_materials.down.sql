DROP TABLE training_materials;
