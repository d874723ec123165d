DELETE FROM role_permission WHERE permission_code = 'labour.write';
DELETE FROM permission WHERE code = 'labour.write';
DROP TABLE service_contact;
DROP TABLE training;
DROP TABLE unemployment_registration;
