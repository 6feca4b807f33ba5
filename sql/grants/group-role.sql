-- Added on top of the documented statements: one of the two NOLOGIN group roles of an application
-- database, :"group" (named "<database>-readers" or "<database>-writers"). Every read-only user is a
-- member of the readers' group, every read-write user and the protected user of the writers' group.
-- A privilege granted to a group reaches its present and future members: a user created later needs
-- no grant per object. A user name cannot hold a "-", so a group never clashes with a user; being
-- NOLOGIN, it is never listed as one. Its comment is pgusers' promise: which database's group it is.
CREATE ROLE :"group" NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
COMMENT ON ROLE :"group" IS :'promise';
