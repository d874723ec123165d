ALTER TABLE assessment DROP CONSTRAINT assessment_revision;
ALTER TABLE assessment DROP CONSTRAINT assessment_pkey;
ALTER TABLE assessment DROP COLUMN id;
ALTER TABLE assessment ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY;
ALTER TABLE assessment ADD PRIMARY KEY (tenant_id, id);
ALTER TABLE assessment DROP COLUMN revision;
