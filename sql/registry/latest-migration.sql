-- The newest migration applied to the agent's schema.
SELECT coalesce(pg_catalog.max(version::int), 0) AS version FROM pgusers.flyway_schema_history WHERE success;
