-- The named roles that exist, as far as pgusers needs to know each before touching it. $1, $2, $3: up to
-- three role names (those not needed are empty: no role has an empty name); one row per role found, by name.
--
-- comment: its whole comment, whose first line is pgusers' promise when it has one (see promises.sql
-- for administered_by, which says whether a promise there is worth anything); owned_databases: the
-- databases it owns (which make it a protected user).
--
-- privileges_beyond lists why the role's power reaches beyond one database's data, if it does: its own
-- attributes (SUPERUSER, CREATEROLE, CREATEDB, REPLICATION, BYPASSRLS), and every role it is a member of,
-- directly or through other roles (whether it inherits them or must SET ROLE to use them), that is one of
-- PostgreSQL's predefined pg_* roles or has one of those attributes. pgusers changes no such role.
--
-- Cost: every create reads its new name and the database's two groups here, in one round trip, so
-- nothing in it may grow with the roles of the instance:
-- - each role reached is looked up by its oid (a subquery per row: a join there lets the planner scan every
--   role of pg_authid with the regular expression, 7 ms at 10,000 roles);
-- - three names rather than an array: the server then estimates the same rows with the values and without,
--   and keeps one generic plan after five executions of a connection instead of planning this query each
--   time (1.6 ms of planning against 0.6 ms of execution, measured here on PostgreSQL 18);
-- - administered_by reads each member of the role once: for a group, one index entry per user (about
--   0.2 ms per thousand).
WITH RECURSIVE target AS (
    SELECT r.* FROM pg_catalog.pg_roles r WHERE r.rolname IN (?, ?, ?)
), reached AS (
    SELECT t.oid AS target, m.roleid FROM pg_catalog.pg_auth_members m JOIN target t ON m.member = t.oid
    UNION
    SELECT reached.target, m.roleid FROM pg_catalog.pg_auth_members m JOIN reached ON m.member = reached.roleid
)
SELECT t.rolname                  AS name,
       t.rolsuper                 AS is_superuser,
       t.rolcanlogin              AS can_login,
       t.rolname = current_user   AS is_agent,
       pg_catalog.has_database_privilege(t.oid, pg_catalog.current_database(), 'CONNECT') AS can_connect,
       pg_catalog.array_remove(ARRAY[
           CASE WHEN t.rolsuper THEN 'it is a superuser' END,
           CASE WHEN t.rolcreaterole THEN 'it has CREATEROLE' END,
           CASE WHEN t.rolcreatedb THEN 'it has CREATEDB' END,
           CASE WHEN t.rolreplication THEN 'it has REPLICATION' END,
           CASE WHEN t.rolbypassrls THEN 'it has BYPASSRLS' END], NULL)
       || coalesce((SELECT pg_catalog.array_agg(why.line ORDER BY why.line)
                    FROM (SELECT (SELECT 'it is a member of ' || pg_catalog.quote_ident(g.rolname)
                                         || CASE WHEN g.rolname ~ '^pg_' THEN ''
                                                 ELSE ', which has ' || pg_catalog.array_to_string(pg_catalog.array_remove(ARRAY[
                                                          CASE WHEN g.rolsuper THEN 'SUPERUSER' END,
                                                          CASE WHEN g.rolcreaterole THEN 'CREATEROLE' END,
                                                          CASE WHEN g.rolcreatedb THEN 'CREATEDB' END,
                                                          CASE WHEN g.rolreplication THEN 'REPLICATION' END,
                                                          CASE WHEN g.rolbypassrls THEN 'BYPASSRLS' END], NULL), ', ')
                                            END
                                  FROM pg_catalog.pg_roles g
                                  WHERE g.oid = reached.roleid
                                    AND (g.rolname ~ '^pg_' OR g.rolsuper OR g.rolcreaterole OR g.rolcreatedb
                                         OR g.rolreplication OR g.rolbypassrls)) AS line
                          FROM reached
                          WHERE reached.target = t.oid) why
                    WHERE why.line IS NOT NULL), '{}') AS privileges_beyond,
       pg_catalog.shobj_description(t.oid, 'pg_authid') AS comment,
       ARRAY(SELECT a.rolname::text
             FROM pg_catalog.pg_auth_members m
             JOIN pg_catalog.pg_roles a ON a.oid = m.member
             WHERE m.roleid = t.oid AND m.admin_option AND NOT a.rolsuper
             ORDER BY 1) AS administered_by,
       ARRAY(SELECT d.datname::text FROM pg_catalog.pg_database d WHERE d.datdba = t.oid ORDER BY 1) AS owned_databases
FROM target t
ORDER BY t.rolname;
