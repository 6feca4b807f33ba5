-- The audit trail, oldest first: one row per operation, from the CLI or the API. Never a password.
-- $1: the earliest time to show (timestamptz), or null for the whole trail.
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
ORDER BY occurred_at, id;
