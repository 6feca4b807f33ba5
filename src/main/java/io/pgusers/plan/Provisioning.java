package io.pgusers.plan;

import io.pgusers.core.Access;
import io.pgusers.core.UserName;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What provision starts from, and what it must leave.
 *
 * @param database     the application database
 * @param owner        its protected user
 * @param ownerRole    whether that role must be created, or exists already
 * @param databaseNow  where the database stands
 * @param missingGroups the database's group roles that do not exist yet
 * @param ownerSchemas the schemas the owner owns in an existing database, besides public
 * @param closePublicSchemaIn postgres and template1, where PUBLIC may still CREATE in schema public
 * @param verifier     the protected user's new password, when it gets one (a generated password, shown once)
 * @param ownerComment the owner's comment as it was before pgusers wrote its promise there
 */
public record Provisioning(String database, UserName owner, OwnerRole ownerRole, DatabaseNow databaseNow,
                           Set<Access> missingGroups, List<String> ownerSchemas, List<String> closePublicSchemaIn,
                           Optional<String> verifier, Optional<String> ownerComment) {

    /** The protected user's role. */
    public enum OwnerRole {
        /** To create (and to drop again, should provision fail). */
        CREATE,
        /** There already: one provision made and did not finish, or the owner of a database adopted. */
        EXISTS
    }

    /** The database. */
    public enum DatabaseNow {
        /** Not there: created closed to connections, then opened to its users only. */
        MISSING,
        /** Created by a provision that did not finish, still closed to connections. */
        CREATED_CLOSED,
        /** There and open, owned by the protected user. */
        OWNED,
        /** There and open, owned by a superuser: it passes to the protected user. */
        OWNED_BY_A_SUPERUSER
    }

    public Provisioning {
        missingGroups = Set.copyOf(missingGroups);
        ownerSchemas = List.copyOf(ownerSchemas);
        closePublicSchemaIn = List.copyOf(closePublicSchemaIn);
    }

    /** Whether pgusers created the database (and so closes it to everybody but its users). */
    boolean createdHere() {
        return databaseNow == DatabaseNow.MISSING || databaseNow == DatabaseNow.CREATED_CLOSED;
    }
}
