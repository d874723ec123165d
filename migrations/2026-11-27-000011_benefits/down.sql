DELETE FROM role_permission WHERE permission_code IN ('benefit.propose', 'benefit.approve', 'payment.run')
    OR (role_code IN ('reviewer', 'city_admin') AND permission_code = 'finance.read');
DELETE FROM permission WHERE code IN ('benefit.propose', 'benefit.approve', 'payment.run');
DROP TABLE payment_line;
DROP TABLE payment_batch;
DROP TABLE benefit_claim;
DROP TABLE benefit_year;
DROP TABLE benefit_rule;
