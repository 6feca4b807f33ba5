-- Every access control list of the current database, in one query: the database, each schema, the
-- tables and sequences, the column grants, the large objects, and the default privileges
-- (pg_default_acl) for tables, sequences and schemas. `pgusers check` compares them with what the users
-- were promised; `pgusers list` reads from them what each user can really do (io.pgusers.drift.Powers).
--
-- "table" covers what GRANT ... ON TABLE covers: tables, partitioned tables, views, materialized views
-- and foreign tables. PostgreSQL's own schemas are left out. Objects that belong to an extension
-- (pg_depend deptype 'e'), or lie in a schema that does, come flagged `in_extension`: they are the
-- extension's business, which check leaves alone, but a privilege on them still counts for list.
--
-- Objects are grouped by kind, schema, owner and ACL: 10,000 tables with the same grants come back as
-- one row whose `names` lists them all. The grouping hashes the ACLs (aclitem[] can be hashed but not
-- sorted), and nothing is converted to text before it: on a database of 10,000 tables and 1,000 users,
-- each table's ACL holds a thousand entries, and the server explodes only the few distinct ones.
-- Inspector runs it with parallel query encouraged (parallel_setup_cost and parallel_tuple_cost 0 for its
-- transaction): the planner does not count the decompression of large ACLs, which workers share.
--
-- $1 and $2 (the same, twice): the grantees of interest (role names, text[]), or null for every one. A
-- grantee not named is left out of `grantees` (PUBLIC never is): a look-up of one user's powers then
-- reads a handful of entries per ACL, not every user's.
--
-- Each row:
--   object_type  database | schema | table | sequence | column | large objects | default table |
--                default sequence | default schema
--   relkind      pg_class.relkind of tables and sequences (r p v m f S), else null
--   schema_name  the object's schema; for default privileges the schema of an IN SCHEMA entry, null
--                for an entry that applies in every schema
--   owner        the owner; for default privileges, the role whose new objects they apply to
--   names        the objects (for a column: its table; for large objects: how many share owner and ACL)
--   object_ids   for tables and sequences, parallel to names: their oids
--   owned_by     for sequences, parallel to names: the oid of the table (in the same schema) one of whose
--                columns owns the sequence (serial: pg_depend deptype 'a'; identity: 'i'), '' for a
--                sequence no column owns. Such a sequence cannot change owner on its own: ALTER TABLE ...
--                OWNER TO changes it with its table. (An oid, not a name: the name would cost another scan
--                of pg_class, whose rows are large.) Empty for other rows.
--   column_name  for a column grant, the column
--   in_extension the objects belong to an extension, or lie in a schema that does
--   grantees, privileges
--                the ACL, exploded: grantees[i] holds privileges[i] (comma-separated). '' is PUBLIC.
--                A NULL ACL means PostgreSQL's built-in default (acldefault): the owner holds every
--                privilege, and on a database PUBLIC holds CONNECT and TEMPORARY.
WITH wanted AS (
    SELECT r.oid FROM pg_catalog.pg_roles r WHERE r.rolname = ANY (?::text[])
), user_namespace AS NOT MATERIALIZED (
    -- the schemas of the database's users; inlined where it is used, so that the scan of pg_class below may
    -- run in parallel workers (a CTE read as such may not)
    SELECT n.oid, n.nspname, n.nspowner, n.nspacl
    FROM pg_catalog.pg_namespace n
    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
      AND n.nspname !~ '^pg_(toast|temp_|toast_temp_)'
), user_schema AS (
    SELECT n.oid, n.nspname, n.nspowner, coalesce(n.nspacl, pg_catalog.acldefault('n', n.nspowner)) AS acl,
           EXISTS (SELECT FROM pg_catalog.pg_depend d
                   WHERE d.classid = 'pg_catalog.pg_namespace'::regclass AND d.objid = n.oid AND d.deptype = 'e')
               AS in_extension
    FROM user_namespace n
), owned_sequence AS (
    -- the dependencies ALTER TABLE ... OWNER TO follows to the sequences (change_owner_recurse_to_sequences)
    SELECT DISTINCT ON (d.objid) d.objid, d.refobjid
    FROM pg_catalog.pg_depend d
    WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objsubid = 0
      AND d.refclassid = 'pg_catalog.pg_class'::regclass AND d.refobjsubid > 0
      AND d.deptype IN ('a', 'i')
    ORDER BY d.objid, d.refobjid
), extension_member AS (
    SELECT d.objid FROM pg_catalog.pg_depend d
    WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.deptype = 'e'
), relation_acl AS (
    -- The expensive part: every table's and sequence's ACL, decompressed (array_cat) and grouped by hashing
    -- (aclitem[] can be hashed but not sorted). At 1,000 users each ACL holds a thousand entries (16 kB):
    -- decompressed once here, in parallel workers when PostgreSQL may use them (Inspector asks for them), then
    -- hashed once. Nothing else is read here, so that nothing keeps the scan out of the workers.
    SELECT c.relkind, c.relnamespace, c.relowner,
           pg_catalog.array_cat(coalesce(c.relacl, pg_catalog.acldefault(CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END::"char",
                                                                         c.relowner)), '{}') AS acl,
           pg_catalog.array_agg(c.relname::text) AS names,
           pg_catalog.array_agg(c.oid) AS oids
    FROM pg_catalog.pg_class c
    JOIN user_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
    GROUP BY c.relkind, c.relnamespace, c.relowner, 4
), acl_group AS MATERIALIZED (
    -- each group numbered, so that what follows groups by its number, never by the ACL again
    SELECT pg_catalog.row_number() OVER () AS id, a.relkind, a.relnamespace, a.relowner, a.acl, a.names, a.oids
    FROM relation_acl a
), relation_member AS (
    -- each group's objects split by whether they belong to an extension, each sequence with its table
    SELECT g.id, s.in_extension OR u.oid IN (SELECT e.objid FROM extension_member e) AS in_extension,
           pg_catalog.array_agg(u.name) AS names,
           pg_catalog.array_agg(u.oid::text) AS object_ids,
           pg_catalog.array_agg(coalesce(o.refobjid::text, '')) AS owned_by
    FROM acl_group g
    JOIN user_schema s ON s.oid = g.relnamespace
    CROSS JOIN LATERAL ROWS FROM (pg_catalog.unnest(g.names), pg_catalog.unnest(g.oids)) AS u(name, oid)
    LEFT JOIN owned_sequence o ON o.objid = u.oid AND g.relkind = 'S'
    GROUP BY g.id, 2
), relation_group AS (
    -- the names are sorted afterwards; the arrays, built by one aggregation, stay parallel
    SELECT g.relkind, s.nspname, g.relowner, m.in_extension, g.acl, m.names, m.object_ids, m.owned_by
    FROM relation_member m
    JOIN acl_group g ON g.id = m.id
    JOIN user_schema s ON s.oid = g.relnamespace
), acl_holder AS (
    SELECT 'database' AS object_type, NULL::"char" AS relkind, NULL::name AS schema_name, d.datdba AS owner,
           ARRAY[d.datname::text] AS names, '{}'::text[] AS object_ids, '{}'::text[] AS owned_by,
           NULL::name AS column_name, false AS in_extension, coalesce(d.datacl, pg_catalog.acldefault('d', d.datdba)) AS acl
    FROM pg_catalog.pg_database d
    WHERE d.datname = pg_catalog.current_database()
    UNION ALL
    SELECT 'schema', NULL, s.nspname, s.nspowner, ARRAY[s.nspname::text], '{}', '{}', NULL, s.in_extension, s.acl
    FROM user_schema s
    UNION ALL
    SELECT CASE WHEN g.relkind = 'S' THEN 'sequence' ELSE 'table' END, g.relkind, g.nspname, g.relowner,
           sorted.names, sorted.object_ids, CASE WHEN g.relkind = 'S' THEN sorted.owned_by ELSE '{}' END,
           NULL, g.in_extension, g.acl
    FROM relation_group g
    CROSS JOIN LATERAL (
        SELECT pg_catalog.array_agg(u.name ORDER BY u.name) AS names,
               pg_catalog.array_agg(u.object_id ORDER BY u.name) AS object_ids,
               pg_catalog.array_agg(u.owned_by ORDER BY u.name) AS owned_by
        FROM ROWS FROM (pg_catalog.unnest(g.names), pg_catalog.unnest(g.object_ids), pg_catalog.unnest(g.owned_by))
             AS u(name, object_id, owned_by)
    ) sorted
    UNION ALL
    SELECT 'column', c.relkind, s.nspname, c.relowner, ARRAY[c.relname::text], '{}', '{}', a.attname,
           s.in_extension OR c.oid IN (SELECT e.objid FROM extension_member e), a.attacl
    FROM pg_catalog.pg_attribute a
    JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
    JOIN user_schema s ON s.oid = c.relnamespace
    WHERE a.attacl IS NOT NULL AND a.attnum > 0 AND NOT a.attisdropped
      AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
    UNION ALL
    -- large objects, counted by owner and ACL: a read-only user that owns some has written data, and
    -- UPDATE on one lets a role write it (lo_put)
    SELECT 'large objects', NULL, NULL, lo.lomowner, ARRAY[pg_catalog.count(*)::text], '{}', '{}', NULL, false,
           coalesce(lo.lomacl, pg_catalog.acldefault('L', lo.lomowner))
    FROM pg_catalog.pg_largeobject_metadata lo
    GROUP BY lo.lomowner, coalesce(lo.lomacl, pg_catalog.acldefault('L', lo.lomowner))
    UNION ALL
    SELECT CASE da.defaclobjtype WHEN 'r' THEN 'default table' WHEN 'S' THEN 'default sequence'
                                 ELSE 'default schema' END,
           NULL, n.nspname, da.defaclrole, '{}'::text[], '{}', '{}', NULL, false, da.defaclacl
    FROM pg_catalog.pg_default_acl da
    LEFT JOIN pg_catalog.pg_namespace n ON n.oid = da.defaclnamespace
    WHERE da.defaclobjtype IN ('r', 'S', 'n')
)
SELECT h.object_type,
       h.relkind::text AS relkind,
       h.schema_name,
       pg_catalog.pg_get_userbyid(h.owner) AS owner,
       h.names,
       h.object_ids,
       h.owned_by,
       h.column_name,
       h.in_extension,
       coalesce(e.grantees, '{}') AS grantees,
       coalesce(e.privileges, '{}') AS privileges
FROM acl_holder h
CROSS JOIN LATERAL (
    SELECT pg_catalog.array_agg(g.grantee ORDER BY g.grantee) AS grantees,
           pg_catalog.array_agg(g.privileges ORDER BY g.grantee) AS privileges
    FROM (SELECT CASE WHEN x.grantee = 0 THEN '' ELSE pg_catalog.pg_get_userbyid(x.grantee) END AS grantee,
                 pg_catalog.string_agg(x.privilege_type, ',' ORDER BY x.privilege_type) AS privileges
          -- aclexplode fails on an empty ACL ('{}': every privilege revoked, even the owner's); it reads its
          -- argument again for each row it returns, so it gets it decompressed (array_cat), not as stored
          FROM pg_catalog.aclexplode(CASE WHEN pg_catalog.cardinality(h.acl) > 0 THEN pg_catalog.array_cat(h.acl, '{}') END) x
          WHERE CAST(? AS text[]) IS NULL OR x.grantee = 0 OR x.grantee IN (SELECT w.oid FROM wanted w)
          GROUP BY x.grantee) g
) e
ORDER BY 1, 3, 4, 5;
