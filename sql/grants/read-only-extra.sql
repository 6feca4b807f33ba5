-- Added on top of read-only.sql for each read-only user: membership of the readers' group, which holds
-- SELECT on what any writer created, in any schema, and USAGE on those schemas.
GRANT :"readers" TO :"username";
