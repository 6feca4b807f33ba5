-- Takes the agents' lock of one database, in the transaction that holds it until the operation ends: locks
-- its row. Waits (up to lock_timeout) while another agent's operation on that database holds it; waiters
-- are served in turn (the row's tuple lock is queued first come, first served). Returns no row when the
-- database has none yet: operation-lock-row.sql makes it, then this runs again. $1: the database name.
--
-- In the same round trip, once the row is locked, the transaction's commit is told not to wait for the disk
-- (SET LOCAL synchronous_commit = off): the lock's transaction holds nothing worth a flush. The users' own
-- transaction, on another connection, is flushed as usual.
SELECT l.database_name, pg_catalog.set_config('synchronous_commit', 'off', true) AS synchronous_commit
FROM pgusers.operation_lock l
WHERE l.database_name = ?
FOR UPDATE;
