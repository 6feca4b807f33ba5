-- Those of the named databases that exist. $1: the names (text[]).
SELECT d.datname AS name
FROM pg_catalog.pg_database d
WHERE d.datname = ANY (?::text[])
ORDER BY 1;
