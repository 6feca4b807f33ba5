-- Undoes record-managed-user.sql when the create failed. $1: database, $2: user.
DELETE FROM pgusers.managed_user WHERE database_name = ? AND user_name = ?;
