-- What pgusers promised about a role: the first line of the role's comment, "pgusers/1 {...}" (the
-- database it belongs to, what it is there, and how far the operation got), then the comment it had
-- before. Written in the transaction that makes the promise true: it commits or rolls back with it.
COMMENT ON ROLE :"role" IS :'promise';
