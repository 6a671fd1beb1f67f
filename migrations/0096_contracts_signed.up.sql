-- The money overview lists the latest signed contracts a page at a time (issue 15); the district's first page
-- reads 51 entries of this index instead of sorting every contract.
CREATE INDEX contracts_signed_idx ON contracts (signed_on DESC, id DESC);
