-- Read-write access: the statements the platform documents for its default user, run as documented.
-- :"username" is the user, :"database" the application database, :"owner" the role that owns it.
-- (psql's :"name" syntax: each is a quoted identifier; `psql -v username=... -f` runs this file as is.)
GRANT CREATE ON SCHEMA public TO :"username";
GRANT ALL PRIVILEGES ON DATABASE :"database" TO :"username";
GRANT ALL PRIVILEGES ON ALL TABLES IN SCHEMA public TO :"username";
GRANT ALL PRIVILEGES ON ALL SEQUENCES IN SCHEMA public TO :"username";
ALTER DEFAULT PRIVILEGES FOR USER :"owner" IN SCHEMA public GRANT ALL ON TABLES TO :"username";
ALTER DEFAULT PRIVILEGES FOR USER :"owner" IN SCHEMA public GRANT ALL ON SEQUENCES TO :"username";
