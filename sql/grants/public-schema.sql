-- Run by `pgusers provision`. Before PostgreSQL 15, PUBLIC may CREATE in schema public, so a
-- "read-only" user could create tables there. Revoke it, as PostgreSQL 15 does by default (a no-op
-- there); read-write users get CREATE on schema public explicitly (read-write.sql).
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
