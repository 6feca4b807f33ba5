-- Undoes record-protected-user.sql when provisioning failed. $1: database, $2: user.
DELETE FROM pgusers.protected_user WHERE database_name = ? AND user_name = ?;
