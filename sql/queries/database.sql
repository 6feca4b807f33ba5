-- An application database and the role that owns it (the <database> of the documented statements), and
-- whether it takes connections (provision creates a database closed, and opens it once only its users may
-- connect). $1: the database name.
--
-- owner_comment and owner_administered_by: the owner's comment (where pgusers' promise says it is the
-- protected user of the database, as it is of every database pgusers provisioned) and the roles other than
-- superusers holding ADMIN OPTION on it (see promises.sql): an operation on the database learns from this
-- one row whether pgusers manages it, without reading every promise of the instance.
SELECT d.datname                     AS name,
       o.rolname                     AS owner,
       o.rolsuper                    AS owner_is_superuser,
       d.datallowconn                AS allows_connections,
       pg_catalog.shobj_description(o.oid, 'pg_authid') AS owner_comment,
       ARRAY(SELECT a.rolname::text
             FROM pg_catalog.pg_auth_members m
             JOIN pg_catalog.pg_roles a ON a.oid = m.member
             WHERE m.roleid = o.oid AND m.admin_option AND NOT a.rolsuper
             ORDER BY 1)             AS owner_administered_by
FROM pg_catalog.pg_database d
JOIN pg_catalog.pg_roles o ON o.oid = d.datdba
WHERE d.datname = ?;
