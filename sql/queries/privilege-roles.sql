-- The roles whose privileges `pgusers check` compares with their promises (the managed users and the
-- database's two group roles), and every role they reach through memberships, one row each: the
-- attributes that grant more than any access level (SUPERUSER, CREATEDB, CREATEROLE, REPLICATION,
-- BYPASSRLS), INHERIT and LOGIN, and the roles it is a direct member of.
--
-- member_of[i] was granted by grantors[i]; member_inherits[i] tells whether the member holds that role's
-- privileges without SET ROLE: from PostgreSQL 16 the membership's INHERIT option, before 16 the
-- member's INHERIT attribute; member_sets[i] whether it may SET ROLE to it: from 16 the SET option,
-- before 16 always; member_admins[i] whether it holds the ADMIN OPTION (may grant the role, itself
-- included). The options of 16 are read through to_jsonb, so that one text serves every version.
-- members[i] (granted by member_grantors[i]) are the roles directly in it: for the groups, whoever
-- holds their privileges. The implicit membership of a database's owner in pg_database_owner is not
-- listed. $1: the role names (text[]).
--
-- Cost: a pass over the memberships for the members of the roles reached, whatever their number. members
-- is not a subquery per role: in an application database the planner takes the shared catalogs for as small
-- as they were when the database was copied from its template (ANALYZE of a shared catalog updates the
-- statistics of the database it runs in only), and scanned pg_auth_members whole for each role, twice: a
-- thousand users, 95 ms of 126.
WITH RECURSIVE reached AS (
    SELECT r.oid FROM pg_catalog.pg_roles r WHERE r.rolname = ANY (?::text[])
    UNION
    SELECT m.roleid FROM pg_catalog.pg_auth_members m JOIN reached ON m.member = reached.oid
), members AS MATERIALIZED (
    SELECT mm.roleid,
           pg_catalog.array_agg(mr.rolname::text ORDER BY mr.rolname, mg.rolname) AS members,
           pg_catalog.array_agg(mg.rolname::text ORDER BY mr.rolname, mg.rolname) AS member_grantors
    FROM pg_catalog.pg_auth_members mm
    JOIN pg_catalog.pg_roles mr ON mr.oid = mm.member
    LEFT JOIN pg_catalog.pg_roles mg ON mg.oid = mm.grantor
    WHERE mm.roleid IN (SELECT reached.oid FROM reached)
    GROUP BY mm.roleid
)
SELECT r.rolname        AS name,
       r.rolsuper       AS is_superuser,
       r.rolcreatedb    AS can_create_db,
       r.rolcreaterole  AS can_create_role,
       r.rolreplication AS can_replicate,
       r.rolbypassrls   AS bypasses_rls,
       r.rolinherit     AS inherits,
       r.rolcanlogin    AS can_login,
       coalesce(pg_catalog.array_agg(g.rolname::text ORDER BY g.rolname, gr.rolname) FILTER (WHERE m.roleid IS NOT NULL), '{}')
           AS member_of,
       coalesce(pg_catalog.array_agg(gr.rolname::text ORDER BY g.rolname, gr.rolname) FILTER (WHERE m.roleid IS NOT NULL), '{}')
           AS grantors,
       coalesce(pg_catalog.array_agg(coalesce((pg_catalog.to_jsonb(m) ->> 'inherit_option')::boolean, r.rolinherit)
                          ORDER BY g.rolname, gr.rolname) FILTER (WHERE m.roleid IS NOT NULL), '{}')
           AS member_inherits,
       coalesce(pg_catalog.array_agg(coalesce((pg_catalog.to_jsonb(m) ->> 'set_option')::boolean, true)
                          ORDER BY g.rolname, gr.rolname) FILTER (WHERE m.roleid IS NOT NULL), '{}')
           AS member_sets,
       coalesce(pg_catalog.array_agg(m.admin_option ORDER BY g.rolname, gr.rolname) FILTER (WHERE m.roleid IS NOT NULL), '{}')
           AS member_admins,
       coalesce(mb.members, '{}')         AS members,
       coalesce(mb.member_grantors, '{}') AS member_grantors
FROM reached
JOIN pg_catalog.pg_roles r ON r.oid = reached.oid
LEFT JOIN members mb ON mb.roleid = r.oid
LEFT JOIN pg_catalog.pg_auth_members m ON m.member = r.oid
LEFT JOIN pg_catalog.pg_roles g ON g.oid = m.roleid
LEFT JOIN pg_catalog.pg_roles gr ON gr.oid = m.grantor
GROUP BY r.oid, r.rolname, r.rolsuper, r.rolcreatedb, r.rolcreaterole, r.rolreplication, r.rolbypassrls,
         r.rolinherit, r.rolcanlogin, mb.members, mb.member_grantors
ORDER BY r.rolname;
