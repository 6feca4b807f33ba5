-- The protected users recorded for a database. $1: the database name.
SELECT user_name FROM pgusers.protected_user WHERE database_name = ? ORDER BY user_name;
