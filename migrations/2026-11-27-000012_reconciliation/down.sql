DELETE FROM role_permission WHERE permission_code = 'reconciliation.run';
DELETE FROM permission WHERE code = 'reconciliation.run';
DROP TABLE reconciliation_signoff;
DROP TABLE reconciliation_resolution;
DROP TABLE bank_statement_line;
DROP INDEX collection_paid_on;
DROP INDEX payment_line_result;
