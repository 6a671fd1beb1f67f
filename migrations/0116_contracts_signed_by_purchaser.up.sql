-- The money overview lists the contracts a district or a town bought, the latest signed first, 50 a page, with a
-- plan kept from one request to the next (planned without the scope's code). The generic plan of the district's
-- page sorted all its contracts (5,800 at the bench), and a town's read all its own to sort them. These indexes
-- give each tier its contracts in signing order, so that a page reads its 51 entries and stops: the district's on
-- the purchaser code's first six digits (the district's own code, which every code inside it starts with), a
-- town's on the code itself (a purchaser is the district or a town, so a town's contracts carry its own code).
CREATE INDEX contracts_district_signed_idx ON contracts (left(division_code, 6), signed_on DESC, id DESC);
CREATE INDEX contracts_purchaser_signed_idx ON contracts (division_code, signed_on DESC, id DESC);
