-- Added on top of the documented statements, for schema public and each schema the protected user
-- owns when `pgusers provision` adopts an existing database: what the two groups hold on the schema
-- :"schema" and on what it already holds. Objects created later get theirs from writer-defaults.sql.
GRANT USAGE ON SCHEMA :"schema" TO :"readers";
GRANT USAGE, CREATE ON SCHEMA :"schema" TO :"writers";
GRANT SELECT ON ALL TABLES IN SCHEMA :"schema" TO :"readers";
GRANT SELECT ON ALL SEQUENCES IN SCHEMA :"schema" TO :"readers";
GRANT ALL PRIVILEGES ON ALL TABLES IN SCHEMA :"schema" TO :"writers";
GRANT ALL PRIVILEGES ON ALL SEQUENCES IN SCHEMA :"schema" TO :"writers";
