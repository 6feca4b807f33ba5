-- Every role that carries a promise of pgusers: the first line of its comment (pg_shdescription, which
-- belongs to the whole instance), "pgusers/1 {...}". See io.pgusers.core.Promise for the format.
--
-- administered_by: the roles other than superusers that hold ADMIN OPTION on it. Only a superuser, or a
-- role with CREATEROLE (from PostgreSQL 16: and ADMIN OPTION on the role), can write a role's comment; a
-- promise that such a role could have written is worth nothing, and pgusers treats the role as a stranger.
-- owns_a_database: whether it owns a database of the instance (a protected user, whatever its comment).
SELECT r.rolname            AS name,
       d.description        AS comment,
       ARRAY(SELECT a.rolname::text
             FROM pg_catalog.pg_auth_members m
             JOIN pg_catalog.pg_roles a ON a.oid = m.member
             WHERE m.roleid = r.oid AND m.admin_option AND NOT a.rolsuper
             ORDER BY 1)    AS administered_by
FROM pg_catalog.pg_shdescription d
JOIN pg_catalog.pg_roles r ON r.oid = d.objoid
WHERE d.classoid = 'pg_catalog.pg_authid'::pg_catalog.regclass
  AND d.description LIKE 'pgusers/%'
ORDER BY r.oid;
