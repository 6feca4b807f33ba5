-- The users of the current database, as the platform lists them: every login role that may connect
-- to it, except superusers, the agent's own role and PostgreSQL's pg_* roles.
--
-- read_only states what the role can really do, whatever was granted to it and by which path
-- (ownership, membership, PUBLIC): it is read-only when it holds no write privilege anywhere in the
-- database: no CREATE on the database or on any schema; on any table or view no INSERT, UPDATE, DELETE,
-- TRUNCATE, REFERENCES, TRIGGER (nor MAINTAIN, 17+); no USAGE/UPDATE (nextval, setval) on any sequence.
-- (The same line as `pgusers check` draws between read-only and more.) A role whose power reaches
-- beyond the database (SUPERUSER, CREATEROLE, CREATEDB, REPLICATION, BYPASSRLS, a pg_* role, or a
-- member of such a role) is never read-only.
--
-- password_encryption is what the server really stores (pg_authid needs a superuser).
--
-- $1: roles to list although they cannot log in (a delete of which was cut short: it took LOGIN away
-- first); $2 and $3: one user name (the same, twice) to return that user only, or null for every user.
WITH RECURSIVE privileged AS (
    -- roles whose power reaches beyond one database's data, and their members, however far: never read-only
    SELECT r.oid FROM pg_catalog.pg_roles r
    WHERE r.rolname ~ '^pg_' OR r.rolsuper OR r.rolcreaterole OR r.rolcreatedb OR r.rolreplication OR r.rolbypassrls
    UNION
    SELECT m.member FROM pg_catalog.pg_auth_members m JOIN privileged p ON m.roleid = p.oid
), user_schema AS (
    SELECT n.oid
    FROM pg_catalog.pg_namespace n
    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
      AND n.nspname !~ '^pg_(toast|temp_|toast_temp_)'
)
SELECT r.rolname AS name,
       r.rolname = o.rolname AS owns_database,
       EXISTS (SELECT FROM pg_catalog.pg_database x WHERE x.datdba = r.oid) AS owns_a_database,
       CASE
           WHEN a.rolpassword LIKE 'SCRAM-SHA-256$%' THEN 'SCRAM-SHA-256'
           WHEN a.rolpassword LIKE 'md5%' THEN 'MD5'
       END AS password_encryption,
       NOT (
           r.oid IN (SELECT p.oid FROM privileged p)
           OR pg_catalog.has_database_privilege(r.oid, d.oid, 'CREATE')
           OR EXISTS (SELECT FROM user_schema s
                      WHERE pg_catalog.has_schema_privilege(r.oid, s.oid, 'CREATE'))
           OR EXISTS (SELECT FROM pg_catalog.pg_class c JOIN user_schema s ON s.oid = c.relnamespace
                      WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
                        AND (pg_catalog.has_table_privilege(r.oid, c.oid, 'INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')
                             -- MAINTAIN (VACUUM, REINDEX, LOCK TABLE, ...) exists from 17 on
                             OR CASE WHEN pg_catalog.current_setting('server_version_num')::int >= 170000
                                     THEN pg_catalog.has_table_privilege(r.oid, c.oid, 'MAINTAIN') END))
           OR EXISTS (SELECT FROM pg_catalog.pg_class c JOIN user_schema s ON s.oid = c.relnamespace
                      WHERE CASE WHEN c.relkind = 'S'  -- CASE: has_sequence_privilege fails on a table
                                 THEN pg_catalog.has_sequence_privilege(r.oid, c.oid, 'USAGE, UPDATE') END)
       ) AS read_only
FROM pg_catalog.pg_roles r
JOIN pg_catalog.pg_authid a ON a.oid = r.oid
JOIN pg_catalog.pg_database d ON d.datname = pg_catalog.current_database()
JOIN pg_catalog.pg_roles o ON o.oid = d.datdba
WHERE (r.rolcanlogin OR r.rolname = ANY (?::text[]))
  AND NOT r.rolsuper
  AND r.rolname <> current_user
  AND r.rolname !~ '^pg_'
  AND pg_catalog.has_database_privilege(r.oid, d.oid, 'CONNECT')
  AND (CAST(? AS name) IS NULL OR r.rolname = CAST(? AS name))
ORDER BY r.rolname = o.rolname DESC, r.oid;
