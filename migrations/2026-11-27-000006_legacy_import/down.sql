DELETE FROM role_permission WHERE permission_code = 'import.run';
DELETE FROM permission WHERE code = 'import.run';
DROP TABLE import_person_stage;
UPDATE person SET created_by = (SELECT min(id) FROM app_user u WHERE u.tenant_id = person.tenant_id) WHERE created_by IS NULL;
ALTER TABLE person ALTER COLUMN created_by SET NOT NULL;
