-- What pgusers promised about each role moves from two tables of this schema onto the roles themselves:
-- the first line of the role's comment, "pgusers/1 {...}" (see io.pgusers.core.Promise, and the README).
-- A comment is written with the role's DDL, in the same transaction, whichever database it runs in: a
-- create that is cut short or rolled back leaves no promise, a role dropped by hand takes its promise
-- with it. The tables could do neither.
--
-- Each row whose role still exists becomes that role's promise, its comment (if any) kept after it; a
-- role in both tables is the protected user; of two rows for one user (a name made again in another
-- database), the newer counts. The groups' comments of earlier versions are rewritten the same way.
-- Then the tables go. The audit trail stays where it is.
DO $$
DECLARE
    r record;
BEGIN
    FOR r IN
        SELECT DISTINCT ON (a.rolname) a.rolname, u.database_name, u.standing, d.description
        FROM (SELECT p.user_name, p.database_name, 'protected user' AS standing, 1 AS rank, p.recorded_at AS at
              FROM pgusers.protected_user p
              UNION ALL
              SELECT m.user_name, m.database_name, m.access || ' user', 2, m.created_at
              FROM pgusers.managed_user m) u
        JOIN pg_catalog.pg_roles a ON a.rolname = u.user_name
        LEFT JOIN pg_catalog.pg_shdescription d
               ON d.objoid = a.oid AND d.classoid = 'pg_catalog.pg_authid'::pg_catalog.regclass
        ORDER BY a.rolname, u.rank, u.at DESC
    LOOP
        EXECUTE pg_catalog.format('COMMENT ON ROLE %I IS %L', r.rolname,
                'pgusers/1 ' || pg_catalog.json_build_object('database', r.database_name, 'role', r.standing)::text
                || coalesce(E'\n' || r.description, ''));
    END LOOP;

    FOR r IN
        SELECT a.rolname,
               pg_catalog.substring(d.description, '^pgusers: the (read-only|read-write) users of database ') AS access,
               pg_catalog.substring(d.description, '^pgusers: the read-(?:only|write) users of database (.*)$') AS database_name
        FROM pg_catalog.pg_shdescription d
        JOIN pg_catalog.pg_roles a ON a.oid = d.objoid
        WHERE d.classoid = 'pg_catalog.pg_authid'::pg_catalog.regclass
          AND d.description ~ '^pgusers: the read-(only|write) users of database '
    LOOP
        EXECUTE pg_catalog.format('COMMENT ON ROLE %I IS %L', r.rolname,
                'pgusers/1 ' || pg_catalog.json_build_object('database', r.database_name, 'role',
                    CASE r.access WHEN 'read-only' THEN 'readers group' ELSE 'writers group' END)::text);
    END LOOP;
END
$$;

DROP TABLE pgusers.managed_user;
DROP TABLE pgusers.protected_user;
