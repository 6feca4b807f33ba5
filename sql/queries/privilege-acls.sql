-- Every access control list that `pgusers check` compares with what the users were promised, in one
-- query: the current database, each schema, the tables and sequences, the column grants, and the
-- default privileges (pg_default_acl) for tables, sequences and schemas.
--
-- "table" covers what GRANT ... ON TABLE covers: tables, partitioned tables, views, materialized views
-- and foreign tables. Objects that belong to an extension (pg_depend deptype 'e') are the extension's
-- business and left out, as are PostgreSQL's own schemas.
--
-- Tables and sequences are grouped by schema, kind, owner and ACL: 10,000 tables with the same grants
-- come back as one row whose `names` lists them all.
--
-- Each row:
--   object_type  database | schema | table | sequence | column | default table | default sequence |
--                default schema | large objects
--   relkind      pg_class.relkind of tables and sequences (r p v m f S), else null
--   schema_name  the object's schema; for default privileges the schema of an IN SCHEMA entry, null
--                for an entry that applies in every schema
--   owner        the owner; for default privileges, the role whose new objects they apply to
--   names        the objects (for a column: its table; for large objects: how many the owner owns)
--   owned_by_table
--                for sequences, parallel to names: the table (in the same schema) one of whose columns
--                owns the sequence (serial: pg_depend deptype 'a'; identity: 'i'), '' for a sequence no
--                column owns. Such a sequence cannot change owner on its own: ALTER TABLE ... OWNER TO
--                changes it with its table. Empty for other rows.
--   column_name  for a column grant, the column
--   grantees, privileges
--                the ACL, exploded: grantees[i] holds privileges[i] (comma-separated). '' is PUBLIC.
--                A NULL ACL means PostgreSQL's built-in default (acldefault): the owner holds every
--                privilege, and on a database PUBLIC holds CONNECT and TEMPORARY.
WITH user_schema AS (
    SELECT n.oid, n.nspname, n.nspowner, coalesce(n.nspacl, pg_catalog.acldefault('n', n.nspowner)) AS acl
    FROM pg_catalog.pg_namespace n
    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
      AND n.nspname !~ '^pg_(toast|temp_|toast_temp_)'
      AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
                      WHERE d.classid = 'pg_catalog.pg_namespace'::regclass AND d.objid = n.oid AND d.deptype = 'e')
), relation AS (
    SELECT c.oid, c.relkind, c.relname, c.relowner, s.nspname,
           coalesce(c.relacl, pg_catalog.acldefault(CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END::"char", c.relowner)) AS acl,
           -- the dependencies ALTER TABLE ... OWNER TO follows to the sequences (change_owner_recurse_to_sequences)
           CASE WHEN c.relkind = 'S' THEN
               (SELECT t.relname FROM pg_catalog.pg_depend d
                JOIN pg_catalog.pg_class t ON t.oid = d.refobjid
                WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid AND d.objsubid = 0
                  AND d.refclassid = 'pg_catalog.pg_class'::regclass AND d.refobjsubid > 0
                  AND d.deptype IN ('a', 'i')
                LIMIT 1)
           END AS owned_by_table
    FROM pg_catalog.pg_class c
    JOIN user_schema s ON s.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
      AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
                      WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
), acl_holder AS (
    SELECT 'database' AS object_type, NULL::"char" AS relkind, NULL::name AS schema_name, d.datdba AS owner,
           ARRAY[d.datname::text] AS names, '{}'::text[] AS owned_by_table, NULL::name AS column_name,
           coalesce(d.datacl, pg_catalog.acldefault('d', d.datdba)) AS acl
    FROM pg_catalog.pg_database d
    WHERE d.datname = pg_catalog.current_database()
    UNION ALL
    SELECT 'schema', NULL, s.nspname, s.nspowner, ARRAY[s.nspname::text], '{}', NULL, s.acl
    FROM user_schema s
    UNION ALL
    -- grouped on the ACL's text: aclitem[] can be hashed but not sorted, which GROUP BY may need
    SELECT CASE WHEN r.relkind = 'S' THEN 'sequence' ELSE 'table' END, r.relkind, r.nspname, r.relowner,
           pg_catalog.array_agg(r.relname::text ORDER BY r.relname),
           CASE WHEN r.relkind = 'S' THEN pg_catalog.array_agg(coalesce(r.owned_by_table::text, '') ORDER BY r.relname)
                ELSE '{}' END,
           NULL, r.acl::text::aclitem[]
    FROM relation r
    GROUP BY r.relkind, r.nspname, r.relowner, r.acl::text
    UNION ALL
    SELECT 'column', r.relkind, r.nspname, r.relowner, ARRAY[r.relname::text], '{}', a.attname, a.attacl
    FROM relation r
    JOIN pg_catalog.pg_attribute a ON a.attrelid = r.oid
    WHERE a.attacl IS NOT NULL AND a.attnum > 0 AND NOT a.attisdropped
    UNION ALL
    SELECT CASE da.defaclobjtype WHEN 'r' THEN 'default table' WHEN 'S' THEN 'default sequence'
                                 ELSE 'default schema' END,
           NULL, n.nspname, da.defaclrole, '{}'::text[], '{}', NULL, da.defaclacl
    FROM pg_catalog.pg_default_acl da
    LEFT JOIN pg_catalog.pg_namespace n ON n.oid = da.defaclnamespace
    WHERE da.defaclobjtype IN ('r', 'S', 'n')
    UNION ALL
    -- large objects, counted by owner: a read-only user that owns some has written data (names: the count)
    SELECT 'large objects', NULL, NULL, lo.lomowner, ARRAY[pg_catalog.count(*)::text], '{}', NULL, NULL
    FROM pg_catalog.pg_largeobject_metadata lo
    GROUP BY lo.lomowner
)
SELECT h.object_type,
       h.relkind::text AS relkind,
       h.schema_name,
       pg_catalog.pg_get_userbyid(h.owner) AS owner,
       h.names,
       h.owned_by_table,
       h.column_name,
       coalesce(e.grantees, '{}') AS grantees,
       coalesce(e.privileges, '{}') AS privileges
FROM acl_holder h
CROSS JOIN LATERAL (
    SELECT pg_catalog.array_agg(g.grantee ORDER BY g.grantee) AS grantees,
           pg_catalog.array_agg(g.privileges ORDER BY g.grantee) AS privileges
    FROM (SELECT CASE WHEN x.grantee = 0 THEN '' ELSE pg_catalog.pg_get_userbyid(x.grantee) END AS grantee,
                 pg_catalog.string_agg(x.privilege_type, ',' ORDER BY x.privilege_type) AS privileges
          -- aclexplode fails on an empty ACL ('{}': every privilege revoked, even the owner's)
          FROM pg_catalog.aclexplode(CASE WHEN pg_catalog.cardinality(h.acl) > 0 THEN h.acl END) x
          GROUP BY x.grantee) g
) e
ORDER BY 1, 3, 4, 5;
