-- The databases that `pgusers provision` made or adopted, that still exist.
SELECT DISTINCT p.database_name AS name
FROM pgusers.protected_user p
JOIN pg_catalog.pg_database d ON d.datname = p.database_name
ORDER BY 1;
