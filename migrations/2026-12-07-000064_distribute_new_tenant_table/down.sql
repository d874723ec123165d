DROP FUNCTION distribute_new_tenant_table(regclass);
