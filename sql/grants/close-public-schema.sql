-- Run by `pgusers provision` in the maintenance database postgres and in template1 when PUBLIC may still
-- CREATE in their schema public (the default before PostgreSQL 15): any role can connect to postgres, so
-- a read-only user could create functions or operators there (and in template1, which every new database
-- copies). PostgreSQL 15 revokes it by default; this does the same.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
