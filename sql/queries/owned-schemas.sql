-- The schemas of the current database that a role owns (provision gives the groups access to them when it
-- adopts a database). $1: the role name.
SELECT n.nspname AS name
FROM pg_catalog.pg_namespace n
WHERE n.nspowner = (SELECT r.oid FROM pg_catalog.pg_roles r WHERE r.rolname = ?)
ORDER BY 1;
