-- The users pgusers created in a database, with the access it promised them. $1: the database name.
SELECT user_name, access FROM pgusers.managed_user WHERE database_name = ? ORDER BY user_name;
