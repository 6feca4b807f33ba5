-- Run by `pgusers provision` on a database it creates (not on one it adopts, whose other roles may rely
-- on it), in one transaction: only the users of the database may connect to it. Read-write users and the
-- writers' group hold CONNECT through ALL PRIVILEGES ON DATABASE, read-only users and the readers' group
-- through GRANT CONNECT; the owner holds it by owning the database. So a user of another database of the
-- instance is neither listed here nor able to log in here. TEMPORARY goes too: read-only users then
-- cannot create temporary tables here (read-write users keep it, through ALL PRIVILEGES ON DATABASE).
-- The database was created with ALLOW_CONNECTIONS false: it opens in the same transaction as it closes
-- to PUBLIC, so that it never is open to all, even when provision is cut short.
REVOKE CONNECT, TEMPORARY ON DATABASE :"database" FROM PUBLIC;
ALTER DATABASE :"database" WITH ALLOW_CONNECTIONS true;
