-- Takes the agents' lock of one database, in the transaction that holds it until the operation ends: locks
-- its row. Waits (up to lock_timeout) while another agent's operation on that database holds it; waiters
-- are served in turn (the row's tuple lock is queued first come, first served). Returns no row when the
-- database has none yet: operation-lock-row.sql makes it, then this runs again. $1: the database name.
SELECT l.database_name
FROM pgusers.operation_lock l
WHERE l.database_name = ?
FOR UPDATE;
