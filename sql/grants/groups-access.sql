-- Added on top of the documented statements: what the two groups hold on the database itself.
-- :"readers" and :"writers" are the groups, :"database" the application database.
GRANT CONNECT ON DATABASE :"database" TO :"readers";
GRANT ALL PRIVILEGES ON DATABASE :"database" TO :"writers";
