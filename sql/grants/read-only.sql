-- Read-only access: the statements the platform documents for read-only users, run as documented.
-- :"username" is the user, :"database" the application database, :"owner" the role that owns it.
-- SELECT on a sequence allows currval but not nextval: a read-only user cannot advance a sequence.
GRANT USAGE ON SCHEMA public TO :"username";
GRANT CONNECT ON DATABASE :"database" TO :"username";
GRANT SELECT ON ALL TABLES IN SCHEMA public TO :"username";
GRANT SELECT ON ALL SEQUENCES IN SCHEMA public TO :"username";
ALTER DEFAULT PRIVILEGES FOR USER :"owner" IN SCHEMA public GRANT SELECT ON TABLES TO :"username";
ALTER DEFAULT PRIVILEGES FOR USER :"owner" IN SCHEMA public GRANT SELECT ON SEQUENCES TO :"username";
