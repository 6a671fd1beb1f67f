-- 试点村(社区) (action plan §三(一)4): the communities the district chose to pilot the work in, which the
-- statistics follow as a group of their own.
CREATE TABLE stat_pilots (
    community_code text PRIMARY KEY REFERENCES divisions (code) CHECK (length(community_code) = 12),
    marked_at      timestamptz NOT NULL DEFAULT now(),
    marked_by      bigint REFERENCES accounts (id)
);
