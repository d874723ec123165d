-- Cross-city duplicate check: identity numbers actively insured for pension in more than one
-- city (each city ran its own system before). A province job compares the cities' lists in memory
-- and records, in each city concerned, which of its persons is also insured elsewhere and where —
-- never the other city's person. The province sees counts only (analytics policy; no identity
-- numbers are stored here at all).

CREATE TABLE duplicate_finding (
    tenant_id      smallint NOT NULL REFERENCES tenant (id),
    person_id      bigint NOT NULL,
    other_tenants  smallint[] NOT NULL,
    found_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, person_id),
    FOREIGN KEY (tenant_id, person_id) REFERENCES person (tenant_id, id)
);

SELECT enable_tenant_rls('duplicate_finding'::regclass);
CREATE POLICY analytics_read ON duplicate_finding FOR SELECT TO jinbao_analytics USING (true);
GRANT SELECT, INSERT, DELETE ON duplicate_finding TO jinbao_app;
GRANT SELECT (tenant_id, other_tenants, found_at) ON duplicate_finding TO jinbao_analytics;
