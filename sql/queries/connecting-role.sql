-- The role the agent is logged in as, and whether it may do its work (a superuser).
SELECT r.rolname  AS name,
       r.rolsuper AS is_superuser,
       pg_catalog.current_setting('server_version_num')::int AS server_version_num
FROM pg_catalog.pg_roles r
WHERE r.rolname = current_user;
