-- Roles inside a tier (行动方案 §四(一): the district's work is split between its 科室). At the district 审批
-- (review: registrations), 管理 (admin: accounts, the audit log) and 查阅 (read: reads only); in a town 经办
-- (clerk: files, edits, imports) and 审核 (approver: decides filings, reviews notices, changes statuses). ''
-- is the whole of the tier's work, as every account had before roles. What each role may do is the capability
-- table's (internal/portal/roles.go); this only keeps a role to its tier.
ALTER TABLE accounts ADD COLUMN role text NOT NULL DEFAULT '' CHECK (
    role = ''
    OR (tier = 'district' AND role IN ('review', 'admin', 'read'))
    OR (tier = 'town' AND role IN ('clerk', 'approver')));
