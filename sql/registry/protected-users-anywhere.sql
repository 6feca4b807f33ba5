-- Every protected user recorded for any database: a user protected in one database is protected in
-- all of them (role names are cluster-wide; naming another database must not unlock it).
SELECT DISTINCT user_name FROM pgusers.protected_user ORDER BY user_name;
