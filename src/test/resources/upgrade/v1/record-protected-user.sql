-- Records the protected user of a database. $1: database, $2: user.
INSERT INTO pgusers.protected_user (database_name, user_name) VALUES (?, ?)
ON CONFLICT DO NOTHING;
