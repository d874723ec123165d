DROP TABLE import_employer_stage;
UPDATE employer SET created_by = (SELECT min(id) FROM app_user u WHERE u.tenant_id = employer.tenant_id) WHERE created_by IS NULL;
ALTER TABLE employer ALTER COLUMN created_by SET NOT NULL;
