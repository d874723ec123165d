DELETE FROM role_permission WHERE permission_code = 'catalogue.import';
DELETE FROM permission WHERE code = 'catalogue.import';
DROP TABLE medical_catalogue_item;
DROP TABLE medical_catalogue_version;
