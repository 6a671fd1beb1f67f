-- 公益创投 (seed §三(二)2): rounds opened by the district or a town, applications through a committee or town,
-- reviewers' scores on the round's criteria, and awards that never exceed the round's budget.

CREATE TABLE venture_rounds (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    division_code   text NOT NULL REFERENCES divisions (code) CHECK (length(division_code) IN (6, 9)),
    title           text NOT NULL CHECK (char_length(title) BETWEEN 2 AND 80),
    themes          text[] NOT NULL CHECK (cardinality(themes) > 0
                    AND themes <@ ARRAY['邻里守望', '共建共治共享', '共创平安', '文化铸魂']),
    budget          numeric(14, 2) NOT NULL CHECK (budget > 0),
    awarded         numeric(14, 2) NOT NULL DEFAULT 0,
    CONSTRAINT venture_rounds_awards_within_budget CHECK (awarded >= 0 AND awarded <= budget),
    opens_on        date NOT NULL,
    closes_on       date NOT NULL,
    CHECK (closes_on >= opens_on),
    -- a reviewer never scores an application from their own division
    exclude_own     boolean NOT NULL DEFAULT false,
    status          text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'reviewing', 'closed')),
    demo            boolean NOT NULL DEFAULT false,
    created_at      timestamptz NOT NULL DEFAULT now(),
    version         integer NOT NULL DEFAULT 1
);
CREATE INDEX venture_rounds_division_idx ON venture_rounds (division_code text_pattern_ops, id);

CREATE TABLE venture_criteria (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    round_id   bigint NOT NULL REFERENCES venture_rounds (id),
    name       text NOT NULL CHECK (char_length(name) BETWEEN 2 AND 40),
    max_score  integer NOT NULL CHECK (max_score BETWEEN 1 AND 100),
    UNIQUE (round_id, name),
    UNIQUE (id, max_score)
);

CREATE TABLE venture_applications (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    round_id         bigint NOT NULL REFERENCES venture_rounds (id),
    org_id           bigint NOT NULL REFERENCES organizations (id),
    theme            text NOT NULL,
    project          text NOT NULL CHECK (char_length(project) BETWEEN 2 AND 80),
    budget_lines     text NOT NULL DEFAULT '',
    requested        numeric(14, 2) NOT NULL CHECK (requested > 0),
    beneficiaries    text[] NOT NULL DEFAULT '{}',
    expected         text NOT NULL DEFAULT '',
    submitted_by     bigint REFERENCES accounts (id),
    submitted_division text NOT NULL,
    -- submitted 已申报, awarded 已立项, declined 未立项, closed 已结项
    status           text NOT NULL DEFAULT 'submitted' CHECK (status IN ('submitted', 'awarded', 'declined', 'closed')),
    awarded_amount   numeric(14, 2) CHECK (awarded_amount > 0),
    awarded_on       date,
    CHECK ((status IN ('awarded', 'closed')) = (awarded_amount IS NOT NULL AND awarded_on IS NOT NULL)),
    progress         text NOT NULL DEFAULT '',
    final_report     text NOT NULL DEFAULT '',
    evaluation       text NOT NULL DEFAULT '',
    created_at       timestamptz NOT NULL DEFAULT now(),
    version          integer NOT NULL DEFAULT 1,
    CONSTRAINT venture_applications_one_per_org UNIQUE (round_id, org_id)
);
CREATE INDEX venture_applications_round_idx ON venture_applications (round_id, id);

CREATE TABLE venture_scores (
    application_id  bigint NOT NULL REFERENCES venture_applications (id),
    reviewer_id     bigint NOT NULL REFERENCES accounts (id),
    criterion_id    bigint NOT NULL,
    max_score       integer NOT NULL,
    score           integer NOT NULL,
    -- the score lies inside the criterion's own range, copied under a foreign key so it cannot disagree
    FOREIGN KEY (criterion_id, max_score) REFERENCES venture_criteria (id, max_score),
    CONSTRAINT venture_scores_in_range CHECK (score BETWEEN 0 AND max_score),
    scored_at       timestamptz NOT NULL DEFAULT now(),
    -- each reviewer scores each criterion of an application once
    CONSTRAINT venture_scores_once PRIMARY KEY (application_id, reviewer_id, criterion_id)
);

-- The round's awarded total, kept under the round's row lock: two awards at once that together exceed the
-- budget cannot both commit.
CREATE FUNCTION venture_awards_apply() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    before numeric(14, 2) := 0;
BEGIN
    IF TG_OP = 'UPDATE' THEN
        before := coalesce(OLD.awarded_amount, 0);
    END IF;
    IF coalesce(NEW.awarded_amount, 0) <> before THEN
        UPDATE venture_rounds SET awarded = awarded + coalesce(NEW.awarded_amount, 0) - before
        WHERE id = NEW.round_id;
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER venture_awards_apply AFTER INSERT OR UPDATE OF awarded_amount ON venture_applications
    FOR EACH ROW EXECUTE FUNCTION venture_awards_apply();
