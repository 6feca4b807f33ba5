-- An application database and the role that owns it (the <database> of the documented statements).
-- $1: the database name.
SELECT d.datname                     AS name,
       o.rolname                     AS owner,
       o.rolsuper                    AS owner_is_superuser
FROM pg_catalog.pg_database d
JOIN pg_catalog.pg_roles o ON o.oid = d.datdba
WHERE d.datname = ?;
