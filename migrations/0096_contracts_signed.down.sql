DROP INDEX contracts_signed_idx;
