-- The medical costs of a recognised work injury, settled like any bill but paid by the
-- work-injury fund (工伤保险条例 art. 30): a settlement tied to its case, with no serious-illness
-- or personal-account part, and never counted in the person's medical year.
ALTER TABLE medical_settlement ADD COLUMN injury_case_id bigint;
ALTER TABLE medical_settlement ADD FOREIGN KEY (tenant_id, injury_case_id) REFERENCES injury_case (tenant_id, id);
ALTER TABLE medical_settlement ADD CONSTRAINT medical_settlement_injury_parts
    CHECK (injury_case_id IS NULL OR (serious_fen = 0 AND account_fen = 0 AND deducted_fen = 0));
