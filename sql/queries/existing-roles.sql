-- Those of the named roles that exist. $1: the names (text[]).
SELECT r.rolname AS name
FROM pg_catalog.pg_roles r
WHERE r.rolname = ANY (?::text[])
ORDER BY 1;
