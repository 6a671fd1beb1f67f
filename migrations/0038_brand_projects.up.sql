-- 品牌项目 (action plan §三(二)2 品牌建设): the district designates a group's service project as a brand project
-- with its development plan.
CREATE TABLE brand_projects (
    project_id    bigint PRIMARY KEY REFERENCES service_projects (id),
    plan          text NOT NULL CHECK (char_length(plan) BETWEEN 1 AND 2000), -- 品牌发展计划
    designated_by bigint REFERENCES accounts (id),
    designated_at timestamptz NOT NULL DEFAULT now()
);
