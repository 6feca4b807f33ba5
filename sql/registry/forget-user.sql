-- Forgets a dropped role everywhere: role names are cluster-wide. $1: user.
DELETE FROM pgusers.managed_user WHERE user_name = ?;
