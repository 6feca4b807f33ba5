-- An application database and the role that owns it (the <database> of the documented statements), and
-- whether it takes connections (provision creates a database closed, and opens it once only its users may
-- connect). $1: the database name.
SELECT d.datname                     AS name,
       o.rolname                     AS owner,
       o.rolsuper                    AS owner_is_superuser,
       d.datallowconn                AS allows_connections
FROM pg_catalog.pg_database d
JOIN pg_catalog.pg_roles o ON o.oid = d.datdba
WHERE d.datname = ?;
