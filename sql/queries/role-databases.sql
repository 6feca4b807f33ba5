-- The other databases of the cluster where a role owns objects or holds privileges (pg_shdepend),
-- which DROP ROLE needs cleaned first. Shared objects (dbid 0) are handled from the current database.
-- $1: the role name.
SELECT DISTINCT d.datname AS name
FROM pg_catalog.pg_shdepend s
JOIN pg_catalog.pg_database d ON d.oid = s.dbid
WHERE s.refclassid = 'pg_catalog.pg_authid'::regclass
  AND s.refobjid = (SELECT oid FROM pg_catalog.pg_roles WHERE rolname = ?)
  AND d.datname <> pg_catalog.current_database()
ORDER BY 1;
