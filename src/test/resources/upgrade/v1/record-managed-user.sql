-- Records a user that pgusers created, with the access it promised. $1: database, $2: user, $3: access.
INSERT INTO pgusers.managed_user (database_name, user_name, access) VALUES (?, ?, ?)
ON CONFLICT (database_name, user_name) DO UPDATE SET access = EXCLUDED.access;
