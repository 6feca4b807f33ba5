-- The databases a role owns. $1: the role name.
SELECT d.datname AS name
FROM pg_catalog.pg_database d
WHERE d.datdba = (SELECT oid FROM pg_catalog.pg_roles WHERE rolname = ?)
ORDER BY 1;
