package io.pgusers.plan;

import io.pgusers.core.Access;
import io.pgusers.core.GroupRoles;
import io.pgusers.core.UserName;
import io.pgusers.inspect.DatabaseInfo;
import io.pgusers.sql.Sql;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Pure functions from the current state and a request to the statements that fulfil it. Nothing here
 * touches a connection; {@code io.pgusers.apply.Executor} runs what it returns.
 *
 * <p>Passwords arrive here only as SCRAM-SHA-256 verifiers computed on the client.
 */
public final class Planner {
    /** What is shown in place of a verifier. */
    static final String REDACTED_VERIFIER = "'SCRAM-SHA-256$<verifier computed by pgusers>'";

    /** Role attributes of every user pgusers makes: a login, and nothing more. */
    private static final String USER_ATTRIBUTES =
            "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT";

    private Planner() {
    }

    /**
     * {@code CREATE ROLE}, then the documented statements of its access level, then what pgusers adds on
     * top ({@link Grants#userExtra}), in one transaction. On a database whose groups do not exist yet (one
     * provisioned by an earlier pgusers), they are made first ({@link Grants#databaseGroups}).
     */
    public static Plan createUser(DatabaseInfo database, UserName name, Access access, String verifier,
                                  boolean readersExist, boolean writersExist) {
        GroupRoles groups = GroupRoles.of(database.name());
        List<Statement> statements = new ArrayList<>();
        if (!readersExist || !writersExist) {
            statements.addAll(Grants.databaseGroups(database.name(), groups, readersExist, writersExist));
        }
        statements.addAll(createRole(name, verifier));
        statements.addAll(grants(access, database.name(), name.value(), database.owner()));
        statements.addAll(Grants.userExtra(groups, access, name.value()));
        return Plan.of(Step.inApplicationDatabase(statements));
    }

    /**
     * The new verifier, in one transaction that first takes what {@code ALTER ROLE} needs: the lock of
     * pg_authid that it takes, and the role's row (which a role may hold itself, with an uncommitted
     * {@code ALTER ROLE ... PASSWORD} of its own). The statement that carries the verifier then never waits.
     */
    public static Plan updatePassword(UserName name, String verifier) {
        return Plan.of(Step.inApplicationDatabase(List.of(
                Statement.of("LOCK TABLE pg_catalog.pg_authid IN ROW EXCLUSIVE MODE"),
                Statement.of("SELECT FROM pg_catalog.pg_authid WHERE rolname = ? FOR UPDATE", name.value()),
                setPassword(name, verifier))));
    }

    /**
     * Takes the user's LOGIN away (given back should a later step fail) and ends its sessions, so that it
     * cannot create anything while it is being deleted; then, in each other database where it owns objects or holds privileges,
     * hands what it owns to that database's owner and drops its privileges; then the same in the
     * application database, and {@code DROP ROLE} in that last transaction. Its tables stay, rows and all.
     *
     * @param otherDatabaseOwners the other databases to visit, each with its owner
     */
    public static Plan deleteUser(DatabaseInfo database, UserName name, Map<String, String> otherDatabaseOwners) {
        String role = Sql.identifier(name.value());
        List<Step> steps = new ArrayList<>();
        steps.add(Step.inApplicationDatabase(List.of(Statement.of("ALTER ROLE " + role + " NOLOGIN")))
                .undoneBy(Statement.of("ALTER ROLE " + role + " LOGIN")));
        steps.add(Step.inApplicationDatabase(List.of(Statement.of(
                "SELECT pg_catalog.pg_terminate_backend(pid) FROM pg_catalog.pg_stat_activity WHERE usename = ? AND pid <> pg_catalog.pg_backend_pid()",
                name.value()))).outsideTransaction());
        otherDatabaseOwners.forEach((other, owner) -> steps.add(Step.in(other, dropOwned(role, owner))));
        List<Statement> last = new ArrayList<>(dropOwned(role, database.owner()));
        last.add(Statement.of("DROP ROLE " + role));
        steps.add(Step.inApplicationDatabase(last));
        return new Plan(steps);
    }

    /**
     * Makes {@code database} an application database whose protected user is {@code owner}: the documented
     * read-write statements for it, and on top the database's groups ({@link Grants#databaseGroups}), their
     * access to schema {@code public} and to the owner's schemas ({@link Grants#schemaAccess}), and the
     * owner's membership and default privileges ({@link Grants#userExtra}).
     *
     * @param existing     the database when it already exists, else null
     * @param verifier     the owner's password verifier; null when adopting an existing non-superuser owner
     * @param ownerSchemas the schemas {@code owner} already owns in an existing database, besides public
     */
    public static Plan provision(String database, DatabaseInfo existing, UserName owner, String verifier,
                                 boolean readersExist, boolean writersExist, List<String> ownerSchemas,
                                 List<String> closePublicSchemaIn) {
        List<Step> steps = new ArrayList<>(provisionPrelude(closePublicSchemaIn).steps());
        steps.addAll(provision(database, existing, owner, verifier, readersExist, writersExist, ownerSchemas).steps());
        return new Plan(steps);
    }

    private static Plan provisionPrelude(List<String> closePublicSchemaIn) {
        List<Step> steps = new ArrayList<>();
        for (String other : closePublicSchemaIn) {
            Step step = Step.in(other, Grants.render("grants/close-public-schema.sql", Map.of()));
            // nobody may stay connected to template1, or CREATE DATABASE fails
            steps.add(other.equals(Step.TEMPLATE_DATABASE) ? step.thenDisconnect() : step);
        }
        return new Plan(steps);
    }

    private static Plan provision(String database, DatabaseInfo existing, UserName owner, String verifier,
                                  boolean readersExist, boolean writersExist, List<String> ownerSchemas) {
        String ownerName = owner.value();
        GroupRoles groups = GroupRoles.of(database);
        List<Statement> access = new ArrayList<>(Grants.render("grants/public-schema.sql", Map.of()));
        access.addAll(grants(Access.READ_WRITE, database, ownerName, ownerName));
        access.addAll(Grants.databaseGroups(database, groups, readersExist, writersExist));
        access.addAll(Grants.schemaAccess(groups, "public"));
        for (String schema : ownerSchemas) {
            if (!schema.equals("public")) {
                access.addAll(Grants.schemaAccess(groups, schema));
            }
        }
        access.addAll(Grants.userExtra(groups, Access.READ_WRITE, ownerName));
        if (existing == null) {
            access.addAll(Grants.render("grants/new-database.sql", Map.of("database", database)));
            return Plan.of(
                    Step.in(Step.MAINTENANCE_DATABASE, createRole(owner, verifier))
                            .undoneBy(Statement.of("DROP ROLE " + Sql.identifier(ownerName))),
                    Step.in(Step.MAINTENANCE_DATABASE, List.of(Statement.of(
                                    "CREATE DATABASE " + Sql.identifier(database) + " OWNER " + Sql.identifier(ownerName))))
                            .outsideTransaction()
                            .undoneBy(Statement.of("DROP DATABASE " + Sql.identifier(database) + " WITH (FORCE)")),
                    Step.inApplicationDatabase(access));
        }
        List<Statement> statements = new ArrayList<>();
        if (verifier != null) {
            statements.addAll(createRole(owner, verifier));
            statements.add(Statement.of("ALTER DATABASE " + Sql.identifier(database) + " OWNER TO " + Sql.identifier(ownerName)));
        }
        statements.addAll(access);
        return Plan.of(Step.inApplicationDatabase(statements));
    }

    /** Closes schema public of {@code databases} to PUBLIC's CREATE (see {@code close-public-schema.sql}). */
    public static Plan closePublicSchemas(List<String> databases) {
        return provisionPrelude(databases);
    }

    /** The documented statements of an access level ({@code sql/grants/<level>.sql}), for one user. */
    static List<Statement> grants(Access access, String database, String user, String owner) {
        return Grants.render("grants/" + access.label() + ".sql", Map.of("username", user, "database", database, "owner", owner));
    }

    /**
     * {@code CREATE ROLE} without a password, then the password: in the same transaction nobody else can see
     * the new role, so the statement that carries the verifier never waits (CREATE ROLE itself may wait, on
     * another session creating the same name).
     */
    private static List<Statement> createRole(UserName name, String verifier) {
        return List.of(Statement.of("CREATE ROLE " + Sql.identifier(name.value()) + " " + USER_ATTRIBUTES),
                setPassword(name, verifier));
    }

    private static Statement setPassword(UserName name, String verifier) {
        String prefix = "ALTER ROLE " + Sql.identifier(name.value()) + " PASSWORD ";
        return Statement.secret(prefix + Sql.literal(verifier), prefix + REDACTED_VERIFIER);
    }

    private static List<Statement> dropOwned(String role, String newOwner) {
        return List.of(
                Statement.of("REASSIGN OWNED BY " + role + " TO " + Sql.identifier(newOwner)),
                Statement.of("DROP OWNED BY " + role));
    }
}
