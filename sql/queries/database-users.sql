-- The users of the current database, as the platform lists them: every login role that may connect
-- to it, except superusers, the agent's own role and PostgreSQL's pg_* roles.
--
-- Whether each is read-only is not computed here: io.pgusers.drift.Powers reads it from the ACLs and
-- the memberships in bulk (privilege-acls.sql, privilege-roles.sql), at the cost of the distinct ACLs,
-- not of users x objects.
--
-- password_encryption is what the server really stores (pg_authid needs a superuser).
--
-- $1: roles to list although they cannot log in (a delete of which was cut short: it took LOGIN away
-- first); $2 and $3: one user name (the same, twice) to return that user only, or null for every user.
SELECT r.rolname AS name,
       r.rolname = o.rolname AS owns_database,
       EXISTS (SELECT FROM pg_catalog.pg_database x WHERE x.datdba = r.oid) AS owns_a_database,
       CASE
           WHEN a.rolpassword LIKE 'SCRAM-SHA-256$%' THEN 'SCRAM-SHA-256'
           WHEN a.rolpassword LIKE 'md5%' THEN 'MD5'
       END AS password_encryption
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
