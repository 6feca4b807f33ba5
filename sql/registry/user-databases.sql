-- The databases pgusers created a user for. $1: the user name.
SELECT database_name FROM pgusers.managed_user WHERE user_name = ? ORDER BY database_name;
