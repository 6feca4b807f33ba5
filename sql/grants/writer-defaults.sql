-- Added on top of the documented statements, for every role that creates objects: the protected user,
-- each read-write user, and the writers' group itself (a member may SET ROLE to it).
-- The documented default privileges are only FOR USER <database> IN SCHEMA public: a table that another
-- read-write user creates, or any table in another schema, would be invisible to everyone else.
-- These are FOR ROLE :"writer", without IN SCHEMA, so they apply in every schema, including the
-- schemas created later; and ON SCHEMAS, so those schemas can be entered (USAGE) and, by the writers,
-- written to (CREATE).
ALTER DEFAULT PRIVILEGES FOR ROLE :"writer" GRANT SELECT ON TABLES TO :"readers";
ALTER DEFAULT PRIVILEGES FOR ROLE :"writer" GRANT ALL PRIVILEGES ON TABLES TO :"writers";
ALTER DEFAULT PRIVILEGES FOR ROLE :"writer" GRANT SELECT ON SEQUENCES TO :"readers";
ALTER DEFAULT PRIVILEGES FOR ROLE :"writer" GRANT ALL PRIVILEGES ON SEQUENCES TO :"writers";
ALTER DEFAULT PRIVILEGES FOR ROLE :"writer" GRANT USAGE ON SCHEMAS TO :"readers";
ALTER DEFAULT PRIVILEGES FOR ROLE :"writer" GRANT USAGE, CREATE ON SCHEMAS TO :"writers";
