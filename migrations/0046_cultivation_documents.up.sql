-- Documents of the cultivation records (issue 15): the 委托协议 of a platform run by an entrusted operator, the
-- 安家协议 of a group's home, the 验收 report of a 购买服务 contract. The files live in the uploads folder; a row
-- names exactly one record, and its kind follows from which.
CREATE TABLE cultivation_documents (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    platform_id   bigint REFERENCES platforms (id),
    housing_id    bigint REFERENCES housings (id),
    contract_id   bigint REFERENCES contracts (id),
    CONSTRAINT cultivation_documents_one_record CHECK (num_nonnulls(platform_id, housing_id, contract_id) = 1),
    kind          text NOT NULL,
    CONSTRAINT cultivation_documents_kind CHECK (
        (kind = '委托协议' AND platform_id IS NOT NULL) OR (kind = '安家协议' AND housing_id IS NOT NULL)
        OR (kind = '验收报告' AND contract_id IS NOT NULL)),
    filename      text NOT NULL CHECK (char_length(filename) BETWEEN 1 AND 120),
    content_type  text NOT NULL,
    size_bytes    bigint NOT NULL CHECK (size_bytes > 0),
    storage_key   text NOT NULL UNIQUE,
    sha256        text NOT NULL,
    uploaded_by   bigint REFERENCES accounts (id),
    uploaded_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX cultivation_documents_platform_idx ON cultivation_documents (platform_id) WHERE platform_id IS NOT NULL;
CREATE INDEX cultivation_documents_housing_idx ON cultivation_documents (housing_id) WHERE housing_id IS NOT NULL;
CREATE INDEX cultivation_documents_contract_idx ON cultivation_documents (contract_id) WHERE contract_id IS NOT NULL;
