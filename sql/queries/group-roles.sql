-- The database's two group roles (<db>-readers, <db>-writers), those that exist, with what tells whether
-- pgusers made them: the comment it wrote (pg_shdescription; only a superuser, or a role with CREATEROLE
-- and ADMIN OPTION on the role, can write a role's comment) and the roles other than superusers that hold
-- ADMIN OPTION on it (and so could have written it). $1: the two names (text[]).
SELECT r.rolname                                                   AS name,
       r.rolcanlogin                                               AS can_login,
       pg_catalog.shobj_description(r.oid, 'pg_authid')            AS comment,
       ARRAY(SELECT a.rolname::text
             FROM pg_catalog.pg_auth_members m
             JOIN pg_catalog.pg_roles a ON a.oid = m.member
             WHERE m.roleid = r.oid AND m.admin_option AND NOT a.rolsuper
             ORDER BY 1)                                           AS admins
FROM pg_catalog.pg_roles r
WHERE r.rolname = ANY (?::text[])
ORDER BY r.rolname;
