-- One audit row. Never a password: none is ever passed here.
INSERT INTO pgusers.audit_event
       (request_id, actor, client_address, operation, database_name, target_user, outcome, detail)
VALUES (?::uuid, ?, ?, ?, ?, ?, ?, ?);
