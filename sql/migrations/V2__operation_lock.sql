-- What agents working on one database wait on, so that their changes never interleave: each operation
-- that changes something locks its database's row (a row lock, taken by record-operation-lock.sql in a
-- transaction of its own on the maintenance database, and held until the operation's last statement has
-- committed or rolled back).
--
-- Replaces the advisory lock of earlier versions: pg_advisory_lock() is granted to PUBLIC, so any role
-- could take the agents' key and freeze every change. A row of this table can be locked only by a role
-- that may UPDATE it, and nothing here is granted to anyone: only superusers.
CREATE TABLE pgusers.operation_lock (
    database_name  name        PRIMARY KEY,
    locked_at      timestamptz NOT NULL DEFAULT now()
);
