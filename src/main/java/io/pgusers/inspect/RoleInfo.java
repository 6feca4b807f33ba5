package io.pgusers.inspect;

/** A role as pgusers needs to know it before touching it. */
public record RoleInfo(String name, boolean superuser, boolean canLogin, boolean isAgent, boolean canConnect) {

    /** Why pgusers must not touch this role, or null when it may. */
    public String notOursBecause() {
        if (name.startsWith("pg_")) {
            return "it is a role of PostgreSQL itself";
        }
        if (isAgent) {
            return "it is the role pgusers connects as";
        }
        if (superuser) {
            return "it is a superuser";
        }
        if (!canLogin) {
            return "it cannot log in (a group role)";
        }
        if (!canConnect) {
            return "it cannot connect to this database";
        }
        return null;
    }
}
