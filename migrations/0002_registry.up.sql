-- The registry: organizations in three management tiers, their timeline and documents.

-- Two-character pieces of a name, for the bigram index that serves one- and two-character Chinese searches
-- (养老, 舞蹈) that a trigram index cannot (PERFORMANCE.md).
CREATE FUNCTION cso_bigrams(s text) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
    SELECT coalesce(array_agg(DISTINCT substr(s, i, 2)), '{}')
    FROM generate_series(1, char_length(s) - 1) AS i
$$;

CREATE TABLE organizations (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- jurisdiction, denormalised from the community so that every scope test is an equality on an indexed
    -- column (and so that Citus could distribute by division)
    district_code     text NOT NULL CHECK (length(district_code) = 6),
    town_code         text NOT NULL CHECK (length(town_code) = 9 AND starts_with(town_code, district_code)),
    community_code    text NOT NULL REFERENCES divisions (code)
                      CHECK (length(community_code) = 12 AND starts_with(community_code, town_code)),
    -- 管理层级: guided 村居指导, filed 镇街备案, registered 登记
    tier              text NOT NULL CHECK (tier IN ('guided', 'filed', 'registered')),
    legal_form        text NOT NULL CHECK (legal_form IN ('社会团体', '民办非企业单位', '基金会', '未登记团体')),
    name              text NOT NULL CHECK (char_length(name) BETWEEN 4 AND 80),
    name_prefix       text NOT NULL DEFAULT '',
    name_community    text NOT NULL DEFAULT '',
    name_zihao        text NOT NULL DEFAULT '',
    name_field        text NOT NULL DEFAULT '',
    name_form         text NOT NULL DEFAULT '',
    name_bigrams      text[] GENERATED ALWAYS AS (cso_bigrams(name)) STORED,
    uscc              text UNIQUE CHECK (uscc ~ '^[0-9A-HJ-NPQRTUWXY]{18}$'),
    filing_no         text UNIQUE,                    -- 备案编号, set when a 镇街 filing is approved
    CHECK (tier <> 'registered' OR uscc IS NOT NULL),
    CHECK ((tier = 'registered') = (legal_form <> '未登记团体')),
    fields            text[] NOT NULL DEFAULT '{}',   -- 服务领域, several allowed
    nature            text NOT NULL DEFAULT '' CHECK (nature IN ('', '服务性', '公益性', '互助性')),
    beneficiaries     text[] NOT NULL DEFAULT '{}',   -- 服务对象
    founded_on        date,
    leader_name       text NOT NULL DEFAULT '',
    -- 负责人 phone and 身份证号: sealed with a key held outside the database; the masks are what pages show
    leader_phone_enc  bytea,
    leader_phone_mask text NOT NULL DEFAULT '',
    leader_id_enc     bytea,
    leader_id_mask    text NOT NULL DEFAULT '',
    venue             text NOT NULL DEFAULT '',       -- 活动场所
    charter           text NOT NULL DEFAULT '',       -- 简易章程
    members           integer NOT NULL DEFAULT 0 CHECK (members >= 0),
    volunteers        integer NOT NULL DEFAULT 0 CHECK (volunteers >= 0),
    funding           text NOT NULL DEFAULT '',       -- 活动资金来源
    guide_unit        text NOT NULL DEFAULT '',       -- 指导单位
    party_status      text NOT NULL DEFAULT '未覆盖'
                      CHECK (party_status IN ('单独建立', '联合建立', '党建指导员', '未覆盖')),
    party_members     integer NOT NULL DEFAULT 0 CHECK (party_members >= 0),
    incubation        text NOT NULL DEFAULT '',       -- 孵化基地
    publish_contact   boolean NOT NULL DEFAULT false, -- the group chose to publish its leader's name publicly
    -- status: normal 正常, abnormal 活动异常, dissolved 已注销, revoked 已撤销
    status            text NOT NULL DEFAULT 'normal' CHECK (status IN ('normal', 'abnormal', 'dissolved', 'revoked')),
    status_on         date,
    status_reason     text NOT NULL DEFAULT '',
    demo              boolean NOT NULL DEFAULT false,
    created_at        timestamptz NOT NULL DEFAULT now(),
    created_by        bigint REFERENCES accounts (id),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    version           integer NOT NULL DEFAULT 1
);
-- No two live organizations in the district share a name (DESIGN.md).
CREATE UNIQUE INDEX organizations_live_name_key ON organizations (district_code, name)
    WHERE status IN ('normal', 'abnormal');
-- Keyset pages per jurisdiction, newest first.
CREATE INDEX organizations_district_idx ON organizations (district_code, id DESC);
CREATE INDEX organizations_town_idx ON organizations (town_code, id DESC);
CREATE INDEX organizations_community_idx ON organizations (community_code, id DESC);
CREATE INDEX organizations_name_bigrams_idx ON organizations USING gin (name_bigrams);

-- The timeline of an organization: every change is a row, never an overwrite (DESIGN.md).
CREATE TABLE org_events (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id         bigint NOT NULL REFERENCES organizations (id),
    community_code text NOT NULL,
    at             timestamptz NOT NULL DEFAULT now(),
    actor_id       bigint REFERENCES accounts (id),
    actor_name     text NOT NULL DEFAULT '',
    actor_division text NOT NULL DEFAULT '',
    -- created, updated, tier_changed, status_changed, filed, filing_changed, filing_cancelled, registered …
    kind           text NOT NULL,
    from_value     text NOT NULL DEFAULT '',
    to_value       text NOT NULL DEFAULT '',
    reason         text NOT NULL DEFAULT ''
);
CREATE INDEX org_events_org_idx ON org_events (org_id, id);

-- Documents (章程, 成员名册 …): the bytes live in files under a random name outside any served folder.
CREATE TABLE org_documents (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id         bigint REFERENCES organizations (id),
    community_code text NOT NULL,
    kind           text NOT NULL CHECK (kind IN ('章程', '成员名册', '其他')),
    filename       text NOT NULL,                   -- as uploaded, for the download's name only
    content_type   text NOT NULL,                   -- detected from the content, not trusted from the client
    size_bytes     bigint NOT NULL CHECK (size_bytes > 0),
    storage_key    text NOT NULL UNIQUE,            -- random; the file's name in the upload folder
    sha256         text NOT NULL,
    uploaded_at    timestamptz NOT NULL DEFAULT now(),
    uploaded_by    bigint REFERENCES accounts (id)
);
CREATE INDEX org_documents_org_idx ON org_documents (org_id, id);
