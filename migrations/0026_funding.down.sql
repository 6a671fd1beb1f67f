DROP TABLE fund_movements;
DROP FUNCTION fund_movements_apply();
DROP TABLE funds;
DROP TABLE contract_payments;
DROP FUNCTION contract_payments_apply();
DROP TABLE contracts;
