-- 供需对接 — 社区服务项目洽谈会 (action plan §三(二)2): needs a committee or town posts for a community, service
-- projects a group offers through its committee or town, matching fairs (洽谈会) held by a town or the district,
-- and the matches made there with their outcome. A 政府购买服务 contract or a venue of the platforms module is
-- recorded as its kind and a free reference until that module's tables can be linked.

CREATE TABLE community_needs (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    district_code  text NOT NULL CHECK (length(district_code) = 6),
    town_code      text NOT NULL CHECK (length(town_code) = 9 AND starts_with(town_code, district_code)),
    community_code text NOT NULL REFERENCES divisions (code)
                   CHECK (length(community_code) = 12 AND starts_with(community_code, town_code)),
    posted_tier    text NOT NULL CHECK (posted_tier IN ('town', 'community')),
    title          text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 100),   -- 需求内容
    detail         text NOT NULL DEFAULT '' CHECK (char_length(detail) <= 2000),
    beneficiaries  text[] NOT NULL CHECK (cardinality(beneficiaries) >= 1),      -- 服务对象
    series         text NOT NULL,                                                -- 主题系列
    place          text NOT NULL CHECK (char_length(place) BETWEEN 1 AND 100),
    frequency      text NOT NULL CHECK (char_length(frequency) BETWEEN 1 AND 50),
    budget         numeric(12, 2) CHECK (budget >= 0),                           -- 元; NULL: none
    until          date NOT NULL,
    created_by     bigint REFERENCES accounts (id),
    created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX community_needs_town_idx ON community_needs (town_code, id DESC);

CREATE TABLE service_projects (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id         bigint NOT NULL REFERENCES organizations (id),
    district_code  text NOT NULL CHECK (length(district_code) = 6),
    town_code      text NOT NULL CHECK (length(town_code) = 9 AND starts_with(town_code, district_code)),
    community_code text NOT NULL REFERENCES divisions (code)
                   CHECK (length(community_code) = 12 AND starts_with(community_code, town_code)),
    title          text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 100),
    aims           text NOT NULL CHECK (char_length(aims) BETWEEN 1 AND 2000),    -- 项目目标
    activities     text NOT NULL CHECK (char_length(activities) BETWEEN 1 AND 2000),
    beneficiaries  text[] NOT NULL CHECK (cardinality(beneficiaries) >= 1),
    series         text NOT NULL,
    cost           numeric(12, 2) NOT NULL CHECK (cost >= 0),                      -- 元
    team           text NOT NULL DEFAULT '' CHECK (char_length(team) <= 500),
    created_by     bigint REFERENCES accounts (id),
    created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX service_projects_town_idx ON service_projects (town_code, id DESC);
CREATE INDEX service_projects_org_idx ON service_projects (org_id);

CREATE TABLE matching_events (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    district_code text NOT NULL CHECK (length(district_code) = 6),
    -- the town holding it; NULL: held by the district, where needs and projects of every town may meet
    town_code     text REFERENCES divisions (code) CHECK (town_code IS NULL OR starts_with(town_code, district_code)),
    title         text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 100),
    held_on       date NOT NULL,
    venue         text NOT NULL CHECK (char_length(venue) BETWEEN 1 AND 200),
    created_by    bigint REFERENCES accounts (id),
    created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE matches (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id    bigint NOT NULL REFERENCES matching_events (id),
    need_id     bigint NOT NULL REFERENCES community_needs (id),
    project_id  bigint NOT NULL REFERENCES service_projects (id),
    outcome     text NOT NULL CHECK (outcome IN ('contract', 'venture', 'volunteer', 'none')),
    reference   text NOT NULL DEFAULT '' CHECK (char_length(reference) <= 100), -- 合同编号 / 申报编号, free for now
    reason      text NOT NULL DEFAULT '' CHECK (char_length(reason) <= 500),
    CHECK (outcome <> 'none' OR reason <> ''),
    created_by  bigint REFERENCES accounts (id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (event_id, need_id, project_id)
);
CREATE INDEX matches_need_idx ON matches (need_id);
CREATE INDEX matches_project_idx ON matches (project_id);

-- A town's fair matches only its own needs and projects; the district's may match any. Held here too, so that no
-- writer can match across towns that may not see each other.
CREATE FUNCTION matches_same_town() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ev_town text;
BEGIN
    SELECT town_code INTO ev_town FROM matching_events WHERE id = NEW.event_id;
    IF ev_town IS NOT NULL AND (
        ev_town <> (SELECT town_code FROM community_needs WHERE id = NEW.need_id) OR
        ev_town <> (SELECT town_code FROM service_projects WHERE id = NEW.project_id)) THEN
        RAISE EXCEPTION 'match across towns' USING ERRCODE = '23514', CONSTRAINT = 'matches_same_town';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER matches_same_town BEFORE INSERT OR UPDATE ON matches
    FOR EACH ROW EXECUTE FUNCTION matches_same_town();
