-- Whether PUBLIC may CREATE in schema public of the current database (before PostgreSQL 15, the default).
SELECT EXISTS (
    SELECT FROM pg_catalog.pg_namespace n,
                pg_catalog.aclexplode(coalesce(n.nspacl, pg_catalog.acldefault('n', n.nspowner))) a
    WHERE n.nspname = 'public' AND a.grantee = 0 AND a.privilege_type = 'CREATE'
) AS open_to_public;
