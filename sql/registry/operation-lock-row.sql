-- The row of the agents' lock of one database, the first time an operation takes it: inserted in the
-- lock's transaction (another agent inserting it meanwhile waits for that transaction, then finds it).
-- $1: the database name.
INSERT INTO pgusers.operation_lock (database_name) VALUES (?)
ON CONFLICT (database_name) DO NOTHING;
