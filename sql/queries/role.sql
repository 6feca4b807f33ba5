-- One role, as far as pgusers needs to know it before touching it. $1: the role name.
SELECT r.rolname                  AS name,
       r.rolsuper                 AS is_superuser,
       r.rolcanlogin              AS can_login,
       r.rolname = current_user   AS is_agent,
       has_database_privilege(r.oid, current_database(), 'CONNECT') AS can_connect
FROM pg_catalog.pg_roles r
WHERE r.rolname = ?;
