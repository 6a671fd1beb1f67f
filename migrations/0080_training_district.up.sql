-- 骨干人才培训 district-wide (action plan §三(二)1 "全区普遍开展"): a person is one record in the district, so the
-- district sees one person's training across towns and counts them once; and the district holds sessions of its
-- own (示范培训 and the like) whose trainees come from every town.

-- A session with no town is held by the district; every division of the district sees it.
ALTER TABLE training_sessions ALTER COLUMN town_code DROP NOT NULL;
ALTER TABLE training_sessions ADD CONSTRAINT training_sessions_holder
    CHECK (town_code IS NOT NULL OR organizer_kind IN ('区民政局', '支持平台'));

-- A person first recorded at a district session, with no group and no earlier record, belongs to no town: they
-- count in the district's figures only.
ALTER TABLE trainees ALTER COLUMN town_code DROP NOT NULL;

-- The same 身份证号 recorded by two towns was two records: they become the earliest one, which keeps every
-- attendance of both. Set-based, so it runs on the bench's database as on a small one.
CREATE TEMPORARY TABLE trainee_merge AS
    SELECT id, min(id) OVER (PARTITION BY district_code, id_digest) AS keep
    FROM trainees WHERE id_digest IS NOT NULL;
DELETE FROM trainee_merge WHERE id = keep;

INSERT INTO training_attendance (session_id, trainee_id, recorded_at)
SELECT a.session_id, m.keep, a.recorded_at
FROM training_attendance a JOIN trainee_merge m ON m.id = a.trainee_id
ON CONFLICT DO NOTHING;
DELETE FROM training_attendance a USING trainee_merge m WHERE a.trainee_id = m.id;
-- what the later records knew and the earliest did not (a group, a qualification) is kept
UPDATE trainees t SET org_id = coalesce(t.org_id, x.org_id),
    cert_level = CASE WHEN t.cert_level = '' THEN x.cert_level ELSE t.cert_level END,
    cert_year = CASE WHEN t.cert_level = '' THEN x.cert_year ELSE t.cert_year END
FROM (SELECT DISTINCT ON (m.keep) m.keep, d.org_id, d.cert_level, d.cert_year
      FROM trainee_merge m JOIN trainees d ON d.id = m.id
      ORDER BY m.keep, d.org_id IS NULL, d.cert_level = '', d.id DESC) x
WHERE t.id = x.keep;
DELETE FROM trainees t USING trainee_merge m WHERE t.id = m.id;
DROP TABLE trainee_merge;

ALTER TABLE trainees DROP CONSTRAINT trainees_town_code_id_digest_key;
ALTER TABLE trainees ADD CONSTRAINT trainees_district_digest_key UNIQUE (district_code, id_digest);
