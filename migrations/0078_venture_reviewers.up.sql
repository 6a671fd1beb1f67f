-- 公益创投 reviewers (issue 15): the towns a district round names as its reviewers. A named town's officers in the
-- reviewer role read the round's applications from every town (what scoring needs, nothing personal) and score
-- them; a town not named reads only its own groups' applications and scores none. The round's own division (its
-- keeper) always reviews. Only a town of the round's own district can be named.
CREATE TABLE venture_reviewers (
    round_id      bigint NOT NULL REFERENCES venture_rounds (id),
    division_code text NOT NULL REFERENCES divisions (code) CHECK (length(division_code) = 9),
    named_by      bigint REFERENCES accounts (id),
    named_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (round_id, division_code)
);
CREATE INDEX venture_reviewers_division_idx ON venture_reviewers (division_code);

-- Rounds scored before reviewers were named: the towns whose officers already scored a district round become its
-- reviewers, so the scores they gave stay theirs to see. One set-based statement.
INSERT INTO venture_reviewers (round_id, division_code)
SELECT DISTINCT a.round_id, acc.division_code
FROM venture_scores s
JOIN venture_applications a ON a.id = s.application_id
JOIN venture_rounds m ON m.id = a.round_id
JOIN accounts acc ON acc.id = s.reviewer_id
WHERE length(m.division_code) = 6 AND acc.tier = 'town' AND starts_with(acc.division_code, m.division_code);
