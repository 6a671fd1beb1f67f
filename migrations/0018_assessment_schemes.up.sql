-- 目标责任考核 (action plan §四(二)): the district's yearly scheme for assessing communities and towns on the
-- statistics: each indicator with a weight and the value that earns its full weight. A scheme in use is never
-- edited: a change is the next version, and the previous one is kept, superseded.
CREATE TABLE assessment_schemes (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    year          integer NOT NULL CHECK (year BETWEEN 2021 AND 2200),
    level         text NOT NULL CHECK (level IN ('town', 'community')), -- who is assessed
    version       integer NOT NULL CHECK (version >= 1),
    -- [{"key": "coverage", "weight": 30, "full": 100}, …]; weights sum to 100 (checked by the domain)
    indicators    jsonb NOT NULL CHECK (jsonb_typeof(indicators) = 'array'),
    superseded_at timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    created_by    bigint REFERENCES accounts (id),
    created_name  text NOT NULL DEFAULT '',
    UNIQUE (year, level, version)
);
-- One scheme in use per year and level: two saves at once cannot both become it.
CREATE UNIQUE INDEX assessment_schemes_current_key ON assessment_schemes (year, level) WHERE superseded_at IS NULL;
