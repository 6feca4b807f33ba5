-- Takes the agents' lock of one database, in the transaction that holds it until the operation ends:
-- inserts its row the first time, else updates it, which locks it either way. Waits (up to lock_timeout)
-- while another agent's operation on that database holds it. $1: the database name.
INSERT INTO pgusers.operation_lock AS l (database_name) VALUES (?)
ON CONFLICT (database_name) DO UPDATE SET locked_at = pg_catalog.now();
