-- 培育目标: how many live organizations a community should have, set by the district (DESIGN.md workflow 7). The
-- district's own row is the default for every community; a town's row overrides it for that town's communities,
-- and a community's row for that community. A missing value (NULL) falls through to the level above; with no row
-- at all the portal uses 民政部《关于大力培育发展社区社会组织的意见》(2017): 10 per urban 社区, 5 per rural 村.
CREATE TABLE stat_targets (
    division_code text PRIMARY KEY REFERENCES divisions (code),
    urban         numeric(6, 1) CHECK (urban >= 0 AND urban <= 10000),
    rural         numeric(6, 1) CHECK (rural >= 0 AND rural <= 10000),
    CHECK (urban IS NOT NULL OR rural IS NOT NULL),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    updated_by    bigint REFERENCES accounts (id),
    version       integer NOT NULL DEFAULT 1
);
