DELETE FROM role_permission WHERE permission_code = 'injury_rate.decide';
DELETE FROM permission WHERE code = 'injury_rate.decide';
DROP TABLE employer_injury_float;
