-- Whether the agent's schema has ever been migrated (Flyway's history table exists).
SELECT pg_catalog.to_regclass('pgusers.flyway_schema_history') IS NOT NULL AS present;
