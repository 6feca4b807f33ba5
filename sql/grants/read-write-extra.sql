-- Added on top of read-write.sql for each read-write user (and the protected user): membership of the
-- writers' group, which holds every privilege on what any writer created. writer-defaults.sql follows,
-- with :"username" as the writer, so that what this user creates reaches everyone else.
GRANT :"writers" TO :"username";
