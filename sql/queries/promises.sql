-- Every role that carries a promise of pgusers: the first line of its comment (pg_shdescription, which
-- belongs to the whole instance), "pgusers/1 {...}". See io.pgusers.core.Promise for the format.
--
-- administered_by: the roles other than superusers that hold ADMIN OPTION on it. Only a superuser, or a
-- role with CREATEROLE (from PostgreSQL 16: and ADMIN OPTION on the role), can write a role's comment; a
-- promise that such a role could have written is worth nothing, and pgusers treats the role as a stranger.
--
-- Cost: one pass over the memberships, whatever the number of promises. administered_by is not a subquery
-- per role: in an application database the planner takes the shared catalogs for as small as they were when
-- the database was copied from its template (ANALYZE of a shared catalog updates the statistics of the database
-- it runs in only), and scanned pg_auth_members whole for each role: a thousand users, 48 ms of 51.
WITH admins AS MATERIALIZED (
    SELECT m.roleid, pg_catalog.array_agg(a.rolname::text ORDER BY a.rolname) AS administered_by
    FROM pg_catalog.pg_auth_members m
    JOIN pg_catalog.pg_roles a ON a.oid = m.member
    WHERE m.admin_option AND NOT a.rolsuper
    GROUP BY m.roleid
)
SELECT r.rolname                          AS name,
       d.description                      AS comment,
       coalesce(ad.administered_by, '{}') AS administered_by
FROM pg_catalog.pg_shdescription d
JOIN pg_catalog.pg_roles r ON r.oid = d.objoid
LEFT JOIN admins ad ON ad.roleid = r.oid
WHERE d.classoid = 'pg_catalog.pg_authid'::pg_catalog.regclass
  AND d.description LIKE 'pgusers/%'
ORDER BY r.oid;
