-- For the rest of the current transaction, parallel plans cost nothing to start or to feed. Inspector sets
-- this around privilege-acls.sql only: the planner does not count what its expensive part costs
-- (decompressing and hashing ACLs of a thousand entries each), which parallel workers share. PostgreSQL
-- still decides by the size of the catalogs (min_parallel_table_scan_size: a small database is read
-- serially, as before) and within max_parallel_workers_per_gather and max_parallel_workers, which a DBA
-- may set to 0 (the latter applies at once to plans the service's connections have cached).
SELECT pg_catalog.set_config('parallel_setup_cost', '0', true) AS parallel_setup_cost,
       pg_catalog.set_config('parallel_tuple_cost', '0', true) AS parallel_tuple_cost
