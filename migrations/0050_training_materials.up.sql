-- 培训资料: the documents of a training session (课件, 讲义, 签到表扫描件), kept in the uploads folder like a
-- filing's documents; a row names the stored file.
CREATE TABLE training_materials (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    session_id   bigint NOT NULL REFERENCES training_sessions (id),
    title        text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 100),
    filename     text NOT NULL,
    content_type text NOT NULL,
    size_bytes   bigint NOT NULL CHECK (size_bytes > 0),
    storage_key  text NOT NULL UNIQUE,
    sha256       text NOT NULL,
    created_by   bigint REFERENCES accounts (id),
    uploaded_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX training_materials_session_idx ON training_materials (session_id, id);
