-- The audit trail, oldest first: one row per operation, from the CLI or the API. Never a password.
-- $1: the earliest time to show (timestamptz), or null for the whole trail.
-- $2, $3: the one database to show (the same name twice), or null for every database.
SELECT occurred_at,
       request_id,
       actor,
       client_address,
       connecting_role,
       operation,
       database_name,
       target_user,
       outcome,
       detail
FROM pgusers.audit_event
WHERE occurred_at >= coalesce(?::timestamptz, '-infinity')
  AND (CAST(? AS text) IS NULL OR database_name = ?)
ORDER BY occurred_at, id;
