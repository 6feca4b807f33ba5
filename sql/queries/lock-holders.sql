-- After a statement of the agent gave up waiting for a lock (lock_timeout), the sessions that may hold
-- it: the other sessions of the current database in a transaction, oldest first, with the tables (views,
-- sequences, ...) of the database they hold locks on. (The wait itself is over, so what it waited on
-- cannot be read back; these are the candidates, for the message.) Never their query text: it may hold
-- anything.
SELECT a.pid,
       a.usename          AS role_name,
       a.application_name,
       a.state,
       a.xact_start,
       pg_catalog.array_agg(DISTINCT c.oid::pg_catalog.regclass::text)
           FILTER (WHERE c.oid IS NOT NULL) AS relations
FROM pg_catalog.pg_stat_activity a
JOIN pg_catalog.pg_locks l ON l.pid = a.pid AND l.granted
LEFT JOIN pg_catalog.pg_class c
       ON l.locktype = 'relation' AND c.oid = l.relation
      AND l.database = (SELECT d.oid FROM pg_catalog.pg_database d WHERE d.datname = pg_catalog.current_database())
      AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
      AND c.relnamespace NOT IN (SELECT n.oid FROM pg_catalog.pg_namespace n
                                 WHERE n.nspname IN ('pg_catalog', 'information_schema', 'pg_toast'))
WHERE a.datname = pg_catalog.current_database()
  AND a.pid <> pg_catalog.pg_backend_pid()
  AND a.xact_start IS NOT NULL
GROUP BY a.pid, a.usename, a.application_name, a.state, a.xact_start
ORDER BY a.xact_start
LIMIT 3;
