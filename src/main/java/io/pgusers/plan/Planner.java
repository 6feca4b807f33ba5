package io.pgusers.plan;

import io.pgusers.core.Access;
import io.pgusers.core.GroupRoles;
import io.pgusers.core.Promise;
import io.pgusers.core.UserName;
import io.pgusers.sql.Sql;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Pure functions from the facts an operation inspected and its request to the statements that fulfil it.
 * Nothing here touches a connection; {@code io.pgusers.apply.Executor} runs what it returns.
 *
 * <p>Passwords arrive here only as SCRAM-SHA-256 verifiers computed on the client. Every plan writes the
 * promise it makes ({@link Promise}, the role's comment) in the transaction that makes it true.
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
     * One transaction: the groups the database lacks (one provisioned by an early pgusers), {@code CREATE ROLE},
     * its password, its promise, the documented statements of its access level, and what pgusers adds on top
     * ({@link Grants#userExtra}). Cut short anywhere, it leaves no role and no promise.
     */
    public static Plan createUser(Target target, UserName name, Access access, String verifier) {
        return createUsers(target, List.of(new NewUser(name, access, verifier)));
    }

    /**
     * As {@link #createUser}, for several users in one transaction: each role with its password and its
     * promise, then the statements of each access level once, with every user of that level as a grantee
     * ({@code GRANT ... TO "a", "b"}, PostgreSQL's list of roles: the same privileges as one statement per
     * user, each table's ACL rewritten once instead of once per user). For one user, the plan of
     * {@link #createUser}. All of them, or none.
     */
    public static Plan createUsers(Target target, List<NewUser> users) {
        if (users.isEmpty()) {
            throw new IllegalArgumentException("no user to create");
        }
        List<Statement> statements = new ArrayList<>();
        if (!target.missingGroups().isEmpty()) {
            statements.addAll(Grants.databaseGroups(target.database(), target.groups(), target.missingGroups()));
        }
        for (NewUser user : users) {
            statements.addAll(createRole(user.name()));
            statements.add(setPassword(user.name(), user.verifier()));
            statements.add(Grants.promise(user.name().value(),
                    Promise.of(target.database(), Promise.Standing.user(user.access())), Optional.empty()));
        }
        for (Access access : Access.values()) {
            List<String> names = users.stream().filter(u -> u.access() == access).map(u -> u.name().value()).toList();
            if (!names.isEmpty()) {
                statements.addAll(grants(access, target.database(), names, target.owner()));
                statements.addAll(Grants.userExtra(target.groups(), access, names));
            }
        }
        return Plan.of(Step.inApplicationDatabase(statements));
    }

    /**
     * The new verifier, in one transaction that first takes what {@code ALTER ROLE} needs: the lock of
     * pg_authid that it takes, and the role's row (which a role may hold itself, with an uncommitted
     * {@code ALTER ROLE ... PASSWORD} of its own). The statement that carries the verifier then never waits.
     * The user has the old password or the new one, never neither.
     */
    public static Plan updatePassword(UserName name, String verifier) {
        List<Statement> statements = new ArrayList<>(takeTheRolesRow(name));
        statements.add(setPassword(name, verifier));
        return Plan.of(Step.inApplicationDatabase(statements));
    }

    /**
     * Deletes a user without losing data. When it begins: the user's LOGIN goes, and its promise says it is
     * being deleted, in one transaction (both given back, should a later step fail); a delete cut short
     * after that is finished by the next (which finds the promise). Then its sessions are ended; then, in each
     * other database where it owns objects or holds privileges, what it owns passes to that database's owner
     * and its privileges go; then the same in the application database, and {@code DROP ROLE} in that last
     * transaction. Its tables stay, rows and all.
     */
    public static Plan deleteUser(Deletion deletion) {
        String role = Sql.identifier(deletion.user().value());
        List<Step> steps = new ArrayList<>();
        if (deletion.start() == Deletion.Start.BEGIN) {
            steps.add(Step.inApplicationDatabase(List.of(Statement.of("ALTER ROLE " + role + " NOLOGIN"),
                            Grants.promise(deletion.user().value(), deletion.marked(), deletion.comment().flatMap(Promise::kept))))
                    .undoneBy(Statement.of("ALTER ROLE " + role + " LOGIN"), Statement.of("COMMENT ON ROLE " + role + " IS "
                            + deletion.comment().map(Sql::literal).orElse("NULL"))));
        }
        steps.add(Step.inApplicationDatabase(List.of(Statement.of(
                "SELECT pg_catalog.pg_terminate_backend(pid) FROM pg_catalog.pg_stat_activity "
                        + "WHERE usename = ? AND pid <> pg_catalog.pg_backend_pid()",
                deletion.user().value()))).outsideTransaction());
        deletion.otherDatabaseOwners().forEach((other, owner) -> steps.add(Step.in(other, dropOwned(role, owner))));
        List<Statement> last = new ArrayList<>(dropOwned(role, deletion.target().owner()));
        last.add(Statement.of("DROP ROLE " + role));
        steps.add(Step.inApplicationDatabase(last));
        return new Plan(steps);
    }

    /**
     * Makes {@code database} an application database whose protected user is the owner, from wherever the
     * facts say it stands, so that a provision cut short anywhere is finished by the next:
     * <ol>
     *   <li>schema public of postgres and template1 closed to PUBLIC's CREATE, when open;</li>
     *   <li>the owner's role, when it is new: without a password yet, with its promise "provisioning"
     *       (dropped again should a later step fail);</li>
     *   <li>the database, when missing: created closed to connections (dropped should a later step fail),
     *       then, in one transaction, closed to PUBLIC and opened to its users ({@code new-database.sql});</li>
     *   <li>in one transaction in the database: the documented read-write statements for the owner and what
     *       pgusers adds (groups, their access, the owner's default privileges); the owner's new password if it
     *       gets one; and its promise: "password not shown" until the caller has shown it, else ready.</li>
     * </ol>
     */
    public static Plan provision(Provisioning facts) {
        String database = facts.database();
        String owner = facts.owner().value();
        List<Step> steps = new ArrayList<>(closePublicSchemas(facts.closePublicSchemaIn()).steps());
        Promise promise = Promise.of(database, Promise.Standing.PROTECTED_USER);
        if (facts.ownerRole() == Provisioning.OwnerRole.CREATE) {
            List<Statement> role = new ArrayList<>(createRole(facts.owner()));
            role.add(Grants.promise(owner, promise.at(Promise.Stage.PROVISIONING), facts.ownerComment()));
            steps.add(Step.in(Step.MAINTENANCE_DATABASE, role).undoneBy(Statement.of("DROP ROLE " + Sql.identifier(owner))));
        }
        if (facts.databaseNow() == Provisioning.DatabaseNow.MISSING) {
            steps.add(Step.in(Step.MAINTENANCE_DATABASE, List.of(Statement.of("CREATE DATABASE " + Sql.identifier(database)
                            + " WITH OWNER = " + Sql.identifier(owner) + " ALLOW_CONNECTIONS = false")))
                    .outsideTransaction()
                    .undoneBy(Statement.of("DROP DATABASE " + Sql.identifier(database) + " WITH (FORCE)")));
        }
        if (facts.createdHere()) {
            steps.add(Step.in(Step.MAINTENANCE_DATABASE, Grants.render("grants/new-database.sql", Map.of("database", database))));
        }
        List<Statement> access = new ArrayList<>();
        if (facts.databaseNow() == Provisioning.DatabaseNow.OWNED_BY_A_SUPERUSER) {
            access.add(Statement.of("ALTER DATABASE " + Sql.identifier(database) + " OWNER TO " + Sql.identifier(owner)));
        }
        access.addAll(Grants.render("grants/public-schema.sql", Map.of()));
        access.addAll(grants(Access.READ_WRITE, database, owner, owner));
        access.addAll(Grants.databaseGroups(database, GroupRoles.of(database), facts.missingGroups()));
        access.addAll(Grants.schemaAccess(GroupRoles.of(database), "public"));
        for (String schema : facts.ownerSchemas()) {
            if (!schema.equals("public")) {
                access.addAll(Grants.schemaAccess(GroupRoles.of(database), schema));
            }
        }
        access.addAll(Grants.userExtra(GroupRoles.of(database), Access.READ_WRITE, owner));
        if (facts.verifier().isPresent()) {
            access.addAll(takeTheRolesRow(facts.owner()));
            access.add(setPassword(facts.owner(), facts.verifier().get()));
        }
        access.add(Grants.promise(owner, facts.verifier().isPresent() ? promise.at(Promise.Stage.PASSWORD_NOT_SHOWN) : promise,
                facts.ownerComment()));
        steps.add(Step.inApplicationDatabase(access));
        return new Plan(steps);
    }

    /** The promise of a protected user whose generated password has been shown: provision is all done. */
    public static Plan passwordShown(UserName owner, String database, Optional<String> ownerComment) {
        return Plan.of(Step.in(Step.MAINTENANCE_DATABASE, List.of(Grants.promise(owner.value(),
                Promise.of(database, Promise.Standing.PROTECTED_USER), ownerComment))));
    }

    /** Closes schema public of {@code databases} to PUBLIC's CREATE (see {@code close-public-schema.sql}). */
    public static Plan closePublicSchemas(List<String> databases) {
        List<Step> steps = new ArrayList<>();
        for (String other : databases) {
            Step step = Step.in(other, Grants.render("grants/close-public-schema.sql", Map.of()));
            // nobody may stay connected to template1, or CREATE DATABASE fails
            steps.add(other.equals(Step.TEMPLATE_DATABASE) ? step.thenDisconnect() : step);
        }
        return new Plan(steps);
    }

    /** The documented statements of an access level ({@code sql/grants/<level>.sql}), for one user. */
    static List<Statement> grants(Access access, String database, String user, String owner) {
        return grants(access, database, List.of(user), owner);
    }

    /** The documented statements of an access level, with {@code users} as the grantees. */
    static List<Statement> grants(Access access, String database, List<String> users, String owner) {
        return Grants.renderLists("grants/" + access.label() + ".sql",
                Map.of("username", users, "database", List.of(database), "owner", List.of(owner)));
    }

    /**
     * {@code CREATE ROLE} without a password: the password follows in the same transaction, when nobody else
     * can see the new role yet, so that the statement that carries the verifier never waits (CREATE ROLE itself
     * may wait, on another session creating the same name).
     */
    private static List<Statement> createRole(UserName name) {
        return List.of(Statement.of("CREATE ROLE " + Sql.identifier(name.value()) + " " + USER_ATTRIBUTES));
    }

    /** What ALTER ROLE ... PASSWORD needs, taken first, so that the statement with the secret never waits. */
    private static List<Statement> takeTheRolesRow(UserName name) {
        return List.of(Statement.of("LOCK TABLE pg_catalog.pg_authid IN ROW EXCLUSIVE MODE"),
                Statement.of("SELECT FROM pg_catalog.pg_authid WHERE rolname = ? FOR UPDATE", name.value()));
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
