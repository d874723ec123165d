DELETE FROM role_permission WHERE permission_code = 'import.run';
DELETE FROM permission WHERE code = 'import.run';
DROP TABLE import_person_stage;
