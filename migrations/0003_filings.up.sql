-- 镇街备案: filings (成立/变更/注销备案), the 备案编号 counter, and the documents that come with a filing.
--
-- An establishment filing (成立备案) holds the group's data until a town officer approves it; the organization
-- is created only then, in the approving transaction, so a returned filing leaves nothing in the registry.
-- org_id is therefore NULL until an establishment filing is approved, and always set for 变更 and 注销 filings,
-- which are made against an organization that exists already.

CREATE TABLE filings (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id            bigint REFERENCES organizations (id),
    -- jurisdiction, as on organizations: every scope test is an equality on an indexed column
    district_code     text NOT NULL CHECK (length(district_code) = 6),
    town_code         text NOT NULL REFERENCES divisions (code)
                      CHECK (length(town_code) = 9 AND starts_with(town_code, district_code)),
    community_code    text NOT NULL REFERENCES divisions (code)
                      CHECK (length(community_code) = 12 AND starts_with(community_code, town_code)),
    -- establish 成立备案, change 变更备案, cancel 注销备案
    kind              text NOT NULL CHECK (kind IN ('establish', 'change', 'cancel')),
    -- submitted 待审核, approved 已备案, returned 已退回
    status            text NOT NULL DEFAULT 'submitted' CHECK (status IN ('submitted', 'approved', 'returned')),
    CHECK (kind = 'establish' OR org_id IS NOT NULL),
    CHECK (kind <> 'establish' OR (status = 'approved') = (org_id IS NOT NULL)),
    -- the form: the organization's fields as filed (for 变更/注销, the name is the organization's at filing time)
    name              text NOT NULL CHECK (char_length(name) BETWEEN 4 AND 80),
    name_prefix       text NOT NULL DEFAULT '',
    name_community    text NOT NULL DEFAULT '',
    name_zihao        text NOT NULL DEFAULT '',
    name_field        text NOT NULL DEFAULT '',
    name_form         text NOT NULL DEFAULT '',
    fields            text[] NOT NULL DEFAULT '{}',
    nature            text NOT NULL DEFAULT '' CHECK (nature IN ('', '服务性', '公益性', '互助性')),
    beneficiaries     text[] NOT NULL DEFAULT '{}',
    founded_on        date,
    leader_name       text NOT NULL DEFAULT '',
    -- sealed exactly as on organizations (same key, same sealing context), never stored in the clear
    leader_phone_enc  bytea,
    leader_phone_mask text NOT NULL DEFAULT '',
    leader_id_enc     bytea,
    leader_id_mask    text NOT NULL DEFAULT '',
    venue             text NOT NULL DEFAULT '',
    charter           text NOT NULL DEFAULT '',
    members           integer NOT NULL DEFAULT 0 CHECK (members >= 0),
    volunteers        integer NOT NULL DEFAULT 0 CHECK (volunteers >= 0),
    funding           text NOT NULL DEFAULT '',
    guide_unit        text NOT NULL DEFAULT '',
    party_status      text NOT NULL DEFAULT '未覆盖'
                      CHECK (party_status IN ('单独建立', '联合建立', '党建指导员', '未覆盖')),
    party_members     integer NOT NULL DEFAULT 0 CHECK (party_members >= 0),
    publish_contact   boolean NOT NULL DEFAULT false,
    -- 变更备案: which items change (leader_name, leader_phone, leader_id, venue, members, volunteers, funding,
    -- guide_unit); the new values are in the columns above
    changes           text[] NOT NULL DEFAULT '{}',
    CHECK (kind <> 'change' OR cardinality(changes) > 0),
    -- 注销备案: the date the group ceased
    cancel_on         date,
    CHECK (kind <> 'cancel' OR cancel_on IS NOT NULL),
    reason            text NOT NULL DEFAULT '',      -- 变更说明 / 注销原因, as filed
    CHECK (kind <> 'cancel' OR reason <> ''),
    return_reason     text NOT NULL DEFAULT '',      -- why the town returned it (退回理由)
    CHECK (status <> 'returned' OR return_reason <> ''),
    -- the public 备案证明 check: a random, unguessable token in the QR code; set when an establishment is approved
    verify_token      text UNIQUE CHECK (verify_token IS NULL OR length(verify_token) >= 32),
    CHECK (verify_token IS NULL OR (kind = 'establish' AND status = 'approved')),
    submitted_by      bigint REFERENCES accounts (id),
    submitted_at      timestamptz NOT NULL DEFAULT now(),
    decided_by        bigint REFERENCES accounts (id),
    decided_at        timestamptz,
    CHECK ((status = 'submitted') = (decided_at IS NULL)),
    version           integer NOT NULL DEFAULT 1
);
CREATE INDEX filings_town_idx ON filings (town_code, id DESC);
CREATE INDEX filings_district_idx ON filings (district_code, id DESC);
CREATE INDEX filings_community_idx ON filings (community_code, id DESC);
CREATE INDEX filings_org_idx ON filings (org_id, id) WHERE org_id IS NOT NULL;
-- One open 变更/注销 filing per organization at a time.
CREATE UNIQUE INDEX filings_one_open_per_org ON filings (org_id) WHERE status = 'submitted';

-- 备案编号 counter: one row per town and year, bumped under its row lock in the approving transaction, so a
-- number is never handed out twice and a rolled-back approval leaves no gap.
CREATE TABLE filing_numbers (
    town_code text NOT NULL REFERENCES divisions (code),
    year      integer NOT NULL CHECK (year BETWEEN 2000 AND 2999),
    last      integer NOT NULL CHECK (last > 0),
    PRIMARY KEY (town_code, year)
);

-- A document uploaded with a filing belongs to the filing until approval, then to the organization too.
ALTER TABLE org_documents ADD COLUMN filing_id bigint REFERENCES filings (id);
ALTER TABLE org_documents ADD CONSTRAINT org_documents_owner_check CHECK (org_id IS NOT NULL OR filing_id IS NOT NULL);
CREATE INDEX org_documents_filing_idx ON org_documents (filing_id, id) WHERE filing_id IS NOT NULL;
