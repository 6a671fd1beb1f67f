-- A registration application carries the group's consent to publish its leader's name, as filings and
-- organizations do; the approval hands it on to the organization.
ALTER TABLE applications ADD COLUMN publish_contact boolean NOT NULL DEFAULT false;
