-- Who holds the agents' lock of a database, once a wait for it has timed out: the session whose
-- transaction locked the row (its xmax), for the message. $1: the database name.
SELECT a.pid,
       a.usename          AS role_name,
       a.application_name,
       a.client_addr::text AS client_address,
       a.xact_start
FROM pgusers.operation_lock l
JOIN pg_catalog.pg_locks k ON k.locktype = 'transactionid' AND k.granted AND k.mode = 'ExclusiveLock'
                          AND k.transactionid::text = l.xmax::text
JOIN pg_catalog.pg_stat_activity a ON a.pid = k.pid
WHERE l.database_name = ?;
