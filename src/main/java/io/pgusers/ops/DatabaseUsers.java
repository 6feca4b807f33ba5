package io.pgusers.ops;

import io.pgusers.apply.Executor;
import io.pgusers.apply.OperationLock;
import io.pgusers.connect.ConnectionSettings;
import io.pgusers.core.Access;
import io.pgusers.core.DatabaseUser;
import io.pgusers.core.Failure;
import io.pgusers.core.GroupRoles;
import io.pgusers.core.Password;
import io.pgusers.core.PgUsersException;
import io.pgusers.core.UserName;
import io.pgusers.drift.DatabaseState;
import io.pgusers.drift.Drift;
import io.pgusers.drift.Repair;
import io.pgusers.inspect.AclRow;
import io.pgusers.inspect.AgentRole;
import io.pgusers.inspect.DatabaseInfo;
import io.pgusers.inspect.GroupRoleRow;
import io.pgusers.inspect.Inspector;
import io.pgusers.inspect.RoleInfo;
import io.pgusers.inspect.UserRow;
import io.pgusers.plan.Grants;
import io.pgusers.plan.Plan;
import io.pgusers.plan.Planner;
import io.pgusers.plan.Step;
import io.pgusers.registry.AuditEntry;
import io.pgusers.registry.AuditEvent;
import io.pgusers.registry.Registry;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.util.ArrayList;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.postgresql.util.PSQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The users of one application database: one method per operation, typed results, no printing. The CLI
 * (and the HTTP API) call this and nothing below it.
 *
 * <p>Each operation inspects the catalogs, plans its statements, has the {@link Executor} apply them,
 * and records one audit row, whatever the outcome.
 */
public final class DatabaseUsers implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseUsers.class);
    /** Databases that provision refuses to make application databases of. */
    private static final Set<String> NOT_APPLICATION_DATABASES = Set.of(Step.MAINTENANCE_DATABASE, "template0", "template1");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String DUPLICATE_OBJECT = "42710";
    private static final String UNIQUE_VIOLATION = "23505";
    private static final String ROLE_NAME_INDEX = "pg_authid_rolname_index";

    private final Session session;
    private final Registry registry;
    private final Actor actor;
    private final UUID requestId;
    private final boolean provisionedOnly;

    /**
     * @param requestId       the id of every audit row, or null for a new one per operation
     * @param provisionedOnly whether only a database that pgusers provisioned may be used
     */
    private DatabaseUsers(Session session, Registry registry, Actor actor, UUID requestId, boolean provisionedOnly) {
        this.session = session;
        this.registry = registry;
        this.actor = actor;
        this.requestId = requestId;
        this.provisionedOnly = provisionedOnly;
    }

    /**
     * Connects, checks that the role is a superuser, brings the agent's schema up to date, and chooses
     * the application database: the one named by the settings, else the only one pgusers provisioned,
     * else psql's default. For one-shot commands: plain connections, opened when first needed.
     */
    public static DatabaseUsers connect(ConnectionSettings settings, Actor actor) {
        Session session = new Session(ConnectionSource.of(settings));
        try {
            prepare(session);
            Registry registry = new Registry(session.maintenance());
            session.useApplicationDatabase(database(() -> chooseDatabase(settings, registry)));
            return new DatabaseUsers(session, registry, actor, null, false);
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
    }

    /**
     * What {@link #connect} checks first, for a long-running agent to do once at start: the role is a
     * superuser, and the agent's schema is up to date.
     */
    public static void prepare(ConnectionSource source) {
        try (Session session = new Session(source)) {
            prepare(session);
        }
    }

    private static void prepare(Session session) {
        AgentRole agent = database(() -> new Inspector(session.maintenance()).agentRole());
        if (!agent.superuser()) {
            throw new PgUsersException(Failure.DATABASE, "pgusers must connect as a superuser, and role \""
                    + agent.name() + "\" is not one: connect as postgres (-U postgres) or another superuser");
        }
        Registry registry = new Registry(session.maintenance());
        database(() -> {
            registry.ensureSchema(session.source().dataSource(Step.MAINTENANCE_DATABASE));
            return null;
        });
    }

    /**
     * The users of {@code database}, for one request of the service: the source was {@link #prepare}d at
     * start, nothing is checked again. Only a database that pgusers provisioned is served (else
     * {@link Failure#UNKNOWN_DATABASE}), and every audit row of this facade carries {@code requestId}.
     */
    public static DatabaseUsers forRequest(ConnectionSource source, String database, Actor actor, UUID requestId) {
        Session session = new Session(source);
        try {
            session.useApplicationDatabase(database);
            return new DatabaseUsers(session, new Registry(session.maintenance()), actor, requestId, true);
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
    }

    /** The databases that pgusers provisioned and that still exist, by name. */
    public static List<String> provisionedDatabases(ConnectionSource source) {
        try (Session session = new Session(source)) {
            return database(() -> new Registry(session.maintenance()).provisionedDatabases());
        }
    }

    private static String chooseDatabase(ConnectionSettings settings, Registry registry) throws SQLException {
        if (settings.databaseGiven()) {
            return settings.database();
        }
        List<String> provisioned = registry.provisionedDatabases();
        return provisioned.size() == 1 ? provisioned.get(0) : settings.database();
    }

    /** The application database whose users this manages. */
    public String database() {
        return session.applicationDatabase();
    }

    // ---------------------------------------------------------------------------------------------
    // Operations

    /**
     * Makes the application database ready: creates it if missing, with its protected default user
     * ({@code owner}, else a random valid name) owning it and holding the documented read-write
     * statements. Changes nothing on a database already provisioned.
     */
    public ProvisionResult provision(Optional<UserName> owner) {
        return audited("provision", owner.map(UserName::value).orElse(null),
                () -> locked(List.of(Step.TEMPLATE_DATABASE), () -> doProvision(owner)));
    }

    public List<DatabaseUser> list() {
        return audited("list", null, () -> {
            existingDatabase();
            Set<String> recorded = registry.protectedUsersAnywhere();
            return new Inspector(session.application()).users().stream()
                    .map(row -> user(row, recorded))
                    .toList();
        });
    }

    /**
     * Creates a user with {@code access}. With {@code ifNotExists}, an existing user of the same access is
     * returned unchanged (its password untouched).
     */
    public CreateResult create(UserName name, Access access, Password password, boolean ifNotExists) {
        return audited("create", name.value(), () -> locked(() -> doCreate(name, access, password, ifNotExists)));
    }

    /**
     * Sets a new password, as a SCRAM-SHA-256 verifier; an MD5 user becomes SCRAM-SHA-256. Audited as
     * {@code reset-password} when pgusers generated the password.
     */
    public DatabaseUser updatePassword(UserName name, Password password) {
        String operation = password.generated() ? "reset-password" : "update-password";
        return audited(operation, name.value(), () -> locked(() -> {
            DatabaseInfo db = existingDatabase();
            touchable(name, db, "User \"" + name + "\" is protected");
            apply(Planner.updatePassword(name, password.scramVerifier()));
            return find(name).orElseThrow(() -> PgUsersException.unknownUser(name));
        }));
    }

    /**
     * Deletes a user without losing data: what it owns passes to each database's owner, in every
     * database of the cluster. Returns false when it did not exist and {@code ifExists} was given.
     */
    public boolean delete(UserName name, boolean ifExists) {
        return audited("delete", name.value(), () -> locked(() -> {
            DatabaseInfo db = existingDatabase();
            Inspector inspector = new Inspector(session.application());
            if (ifExists && inspector.role(name.value()).isEmpty()) {
                return false;
            }
            touchable(name, db, "Protected user is managed by the platform and cannot be deleted.");
            Map<String, String> others = new LinkedHashMap<>();
            for (String other : inspector.otherDatabasesDependingOn(name.value())) {
                inspector.database(other).ifPresent(info -> others.put(other, info.owner()));
            }
            apply(Planner.deleteUser(db, name, others));
            registry.forgetUser(name.value());
            return true;
        }));
    }

    /**
     * Compares what each managed user can really do with what its access level promises. The result lists
     * every difference; none means all is as promised. Audited with outcome {@code drift} when it finds any.
     */
    public CheckResult check() {
        return audited("check", null, () -> {
            DatabaseState state = privilegeState();
            return new CheckResult(state.database(), Drift.compare(state));
        }, result -> result.drift()
                ? new Outcome(Failure.DRIFT.name().toLowerCase(), result.differences().size() + " differences")
                : Outcome.SUCCESS);
    }

    /**
     * Plans the fewest statements that make {@link #check} pass and, unless {@code dryRun}, applies them in one
     * transaction. Changes nothing when there is nothing to repair.
     */
    public RepairResult repair(boolean dryRun) {
        return audited("repair", null, () -> locked(() -> {
            DatabaseState state = privilegeState();
            Repair.Result planned = Repair.plan(state);
            boolean apply = !dryRun && !planned.plan().steps().isEmpty();
            if (apply) {
                apply(planned.plan());
            }
            return new RepairResult(state.database(), planned.before(), planned.plan().describe(),
                    planned.remaining(), apply);
        }), result -> result.statements().isEmpty() ? Outcome.SUCCESS : new Outcome("success",
                result.statements().size() + " statements" + (result.applied() ? " applied" : " planned (dry run)")));
    }

    /** The agent's audit trail (every database), from {@code since} on, or all of it when null. */
    public List<AuditEntry> auditTrail(OffsetDateTime since) {
        return database(() -> registry.auditTrail(since));
    }

    // ---------------------------------------------------------------------------------------------

    private ProvisionResult doProvision(Optional<UserName> requestedOwner) throws SQLException {
        String database = session.applicationDatabase();
        if (NOT_APPLICATION_DATABASES.contains(database)) {
            throw PgUsersException.invalid("Database \"" + database + "\" belongs to PostgreSQL (and to pgusers' own "
                    + "schema): name the application database with -d");
        }
        Inspector inspector = new Inspector(session.maintenance());
        Optional<DatabaseInfo> existing = inspector.database(database);
        Set<String> recorded = registry.protectedUsers(database);
        if (existing.isPresent() && !recorded.isEmpty()) {
            String owner = recorded.contains(existing.get().owner()) ? existing.get().owner() : recorded.iterator().next();
            if (requestedOwner.isPresent() && !requestedOwner.get().value().equals(owner)) {
                throw new PgUsersException(Failure.ALREADY_EXISTS, "Database \"" + database
                        + "\" is already provisioned, with protected user \"" + owner + "\"");
            }
            List<String> closed = publicSchemasOpenToAll();
            apply(Planner.closePublicSchemas(closed));
            return new ProvisionResult(database, owner, ProvisionResult.Outcome.UNCHANGED, null, closed);
        }
        if (existing.isPresent() && !existing.get().ownerIsSuperuser()) {
            String owner = existing.get().owner();
            if (requestedOwner.isPresent() && !requestedOwner.get().value().equals(owner)) {
                throw PgUsersException.refused("Database \"" + database + "\" is owned by \"" + owner
                        + "\", not \"" + requestedOwner.get() + "\": run provision without --owner to adopt it");
            }
            GroupsPresent present = groupsPresent(database);
            List<String> closed = publicSchemasOpenToAll();
            apply(Planner.provision(database, existing.get(), UserName.of(owner), null,
                    present.readers(), present.writers(), schemasOwnedBy(owner), closed));
            registry.recordProtectedUser(database, owner);
            return new ProvisionResult(database, owner, ProvisionResult.Outcome.ADOPTED, null, closed);
        }
        UserName owner = requestedOwner.isPresent() ? requestedOwner.get() : randomOwnerName(inspector);
        if (inspector.role(owner.value()).isPresent()) {
            throw PgUsersException.alreadyExists(owner);
        }
        GroupsPresent present = groupsPresent(database);
        List<String> closed = publicSchemasOpenToAll();
        Password password = Password.generate();
        // recorded first, so that a user made with a password nobody was shown cannot be left unprotected
        registry.recordProtectedUser(database, owner.value());
        registry.recordManagedUser(database, owner.value(), Access.READ_WRITE);
        try {
            apply(Planner.provision(database, existing.orElse(null), owner, password.scramVerifier(),
                    present.readers(), present.writers(), List.of(), closed));
        } catch (RuntimeException e) {
            password.close();
            registry.forgetProtectedUser(database, owner.value());
            registry.forgetUser(owner.value());
            throw e;
        }
        return new ProvisionResult(database, owner.value(), ProvisionResult.Outcome.CREATED, password, closed);
    }

    private CreateResult doCreate(UserName name, Access access, Password password, boolean ifNotExists)
            throws SQLException {
        DatabaseInfo db = existingDatabase();
        if (!registry.provisionedDatabases().contains(db.name())) {
            // provision makes read-only users really read-only (PUBLIC's CREATE on public, before 15)
            // and records the protected user: a user is created only where that was done
            throw new PgUsersException(Failure.UNKNOWN_DATABASE, "Database \"" + db.name()
                    + "\" was not provisioned by pgusers: run pgusers provision on it first");
        }
        Inspector inspector = new Inspector(session.application());
        if (inspector.role(name.value()).isPresent()) {
            return existing(name, access, ifNotExists);
        }
        GroupsPresent present = groupsPresent(db.name());
        String verifier = password.scramVerifier();
        // recorded first (a row left by a role dropped outside pgusers is overwritten), so that no user
        // exists that check would take for a stranger and repair strip of its group
        registry.recordManagedUser(db.name(), name.value(), access);
        try {
            apply(Planner.createUser(db, name, access, verifier, present.readers(), present.writers()));
        } catch (PgUsersException e) {
            if (e.getCause() instanceof SQLException cause && isDuplicateRole(cause)) {
                return existing(name, access, ifNotExists); // created meanwhile by another agent: its row
            }
            registry.forgetManagedUser(db.name(), name.value());
            throw e;
        }
        return new CreateResult(find(name).orElseThrow(() -> PgUsersException.unknownUser(name)), true);
    }

    /**
     * The role was there already: committed before our CREATE ROLE ({@code 42710}), or committed by an
     * agent working in another database while ours waited on the role name's index entry ({@code 23505}
     * on {@code pg_authid}): advisory locks belong to one database, role names to the whole instance.
     */
    private static boolean isDuplicateRole(SQLException e) {
        if (DUPLICATE_OBJECT.equals(e.getSQLState())) {
            return true;
        }
        return UNIQUE_VIOLATION.equals(e.getSQLState()) && e instanceof PSQLException psql
                && psql.getServerErrorMessage() != null
                && ROLE_NAME_INDEX.equals(psql.getServerErrorMessage().getConstraint());
    }

    /**
     * The role was there already. With {@code ifNotExists}, that is a success only for a user that pgusers
     * created in this database with the same access: a role made by hand, a protected user, a user of another
     * database is never "unchanged" (exit 5, as without the option).
     */
    private CreateResult existing(UserName name, Access access, boolean ifNotExists) throws SQLException {
        if (ifNotExists) {
            Access promised = registry.managedUsers(session.applicationDatabase()).get(name.value());
            Optional<DatabaseUser> user = find(name);
            if (promised != null && user.isPresent() && !user.get().isProtected()) {
                if (promised == access) {
                    return new CreateResult(user.get(), false);
                }
                throw new PgUsersException(Failure.ALREADY_EXISTS, "User \"" + name + "\" already exists"
                        + " with " + promised.label() + " access");
            }
            throw new PgUsersException(Failure.ALREADY_EXISTS, "User \"" + name + "\" already exists, and is not a "
                    + "user that pgusers created in database \"" + session.applicationDatabase() + "\"");
        }
        throw PgUsersException.alreadyExists(name);
    }

    /**
     * The role, when pgusers may change it here: it exists, is one of the listed users, is not protected
     * (in any database), and was not created by pgusers for another database.
     */
    private void touchable(UserName name, DatabaseInfo db, String protectedMessage) throws SQLException {
        Inspector inspector = new Inspector(session.application());
        RoleInfo role = inspector.role(name.value()).orElseThrow(() -> PgUsersException.unknownUser(name));
        String reason = role.notOursBecause();
        if (reason != null) {
            throw PgUsersException.refused("User \"" + name + "\" is not managed by pgusers: " + reason);
        }
        if (isProtected(name.value(), inspector)) {
            throw PgUsersException.refused(protectedMessage);
        }
        List<String> databases = registry.databasesOfUser(name.value());
        if (!databases.isEmpty() && !databases.contains(db.name())) {
            throw PgUsersException.refused("User \"" + name + "\" belongs to database \"" + databases.get(0)
                    + "\": name that database with -d");
        }
    }

    /**
     * The one rule for protection: a role that owns a database, or that provision recorded as the
     * protected user of one, whichever database is named.
     */
    private boolean isProtected(String user, Inspector inspector) throws SQLException {
        return registry.protectedUsersAnywhere().contains(user) || !inspector.databasesOwnedBy(user).isEmpty();
    }

    private Optional<DatabaseUser> find(UserName name) throws SQLException {
        Set<String> recorded = registry.protectedUsersAnywhere();
        return new Inspector(session.application()).user(name.value()).map(row -> user(row, recorded));
    }

    /** A listed user; protected as {@link #isProtected} decides, from what the list query already read. */
    private static DatabaseUser user(UserRow row, Set<String> recordedProtected) {
        boolean isProtected = row.ownsADatabase() || recordedProtected.contains(row.name());
        return new DatabaseUser(row.name(), row.readOnly(), isProtected, row.passwordEncryption());
    }

    private DatabaseInfo existingDatabase() throws SQLException {
        String name = session.applicationDatabase();
        if (provisionedOnly && !registry.provisionedDatabases().contains(name)) {
            throw new PgUsersException(Failure.UNKNOWN_DATABASE, "Database \"" + name + "\" not found");
        }
        return new Inspector(session.maintenance()).database(name).orElseThrow(() -> new PgUsersException(
                Failure.UNKNOWN_DATABASE, "Database \"" + name + "\" does not exist: name it with -d, or create it with provision"));
    }

    private static GroupRoles groups(String database) {
        return GroupRoles.of(database);
    }

    /**
     * Of postgres and template1, those whose schema public any role may still CREATE in (PostgreSQL's default
     * before 15): every role may connect to postgres, and template1 is copied into every new database.
     */
    private List<String> publicSchemasOpenToAll() throws SQLException {
        List<String> open = new ArrayList<>();
        for (String database : List.of(Step.MAINTENANCE_DATABASE, Step.TEMPLATE_DATABASE)) {
            boolean isOpen;
            try {
                isOpen = new Inspector(session.forDatabase(database)).publicSchemaOpenToAll();
            } finally {
                if (database.equals(Step.TEMPLATE_DATABASE)) {
                    session.disconnect(database);
                }
            }
            if (isOpen) {
                open.add(database);
            }
        }
        return open;
    }

    /** Which of a database's two group roles pgusers made already. */
    private record GroupsPresent(boolean readers, boolean writers) {
    }

    /**
     * Which of the database's group roles exist. A role of that name that pgusers did not make (it lacks the
     * comment group-role.sql writes, or a role other than a superuser holds ADMIN OPTION on it, and so could
     * have written that comment) is in the way: pgusers would grant it a group's access. Refused (exit 4).
     */
    private GroupsPresent groupsPresent(String database) throws SQLException {
        GroupRoles groups = groups(database);
        boolean readers = false;
        boolean writers = false;
        for (GroupRoleRow row : new Inspector(session.maintenance()).groupRoles(List.of(groups.readers(), groups.writers()))) {
            Access access = row.name().equals(groups.readers()) ? Access.READ_ONLY : Access.READ_WRITE;
            String why = !Grants.groupComment(database, access).equals(row.comment())
                    ? "it was not made by pgusers" + (row.canLogin() ? " (it can log in)" : "")
                    : row.admins().isEmpty() ? null
                    : "role " + String.join(", ", row.admins()) + " holds ADMIN OPTION on it";
            if (why != null) {
                throw PgUsersException.refused("Role \"" + row.name() + "\" is in the way: pgusers keeps the "
                        + access.label() + " users of database \"" + database + "\" in a group role of that name, and "
                        + why + ". Rename or drop it, then try again.");
            }
            readers |= access == Access.READ_ONLY;
            writers |= access == Access.READ_WRITE;
        }
        return new GroupsPresent(readers, writers);
    }

    /** The schemas {@code owner} owns in the application database. */
    private List<String> schemasOwnedBy(String owner) throws SQLException {
        return new Inspector(session.application()).acls().stream()
                .filter(row -> row.objectType().equals("schema") && row.owner().equals(owner))
                .map(AclRow::schema)
                .toList();
    }

    /**
     * What check and repair compare: the managed users (the database owner unless it is a superuser, and the
     * protected users, read-write; the users pgusers created, with the access it promised them; never the
     * agent's own role), every ACL of the database, and the roles.
     */
    private DatabaseState privilegeState() throws SQLException {
        DatabaseInfo db = existingDatabase();
        Inspector inspector = new Inspector(session.application());
        AgentRole agent = inspector.agentRole();
        Map<String, Access> promised = new LinkedHashMap<>();
        if (!db.ownerIsSuperuser()) {
            promised.put(db.owner(), Access.READ_WRITE);
        }
        registry.protectedUsers(db.name()).stream().sorted().forEach(user -> promised.put(user, Access.READ_WRITE));
        registry.managedUsers(db.name()).forEach(promised::putIfAbsent);
        promised.remove(agent.name());
        if (promised.isEmpty()) {
            throw PgUsersException.refused("Database \"" + db.name() + "\" has no user pgusers manages: its owner \""
                    + db.owner() + "\" is a superuser and nothing is recorded for it; run provision first");
        }
        groupsPresent(db.name()); // refused when a stranger holds a group's name
        GroupRoles groups = groups(db.name());
        List<String> roles = new ArrayList<>(promised.keySet());
        roles.add(groups.readers());
        roles.add(groups.writers());
        return new DatabaseState(agent.serverMajorVersion(), db.name(), db.owner(), groups, promised,
                inspector.acls(), inspector.roles(roles));
    }

    private static UserName randomOwnerName(Inspector inspector) throws SQLException {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        while (true) {
            StringBuilder name = new StringBuilder("owner_");
            for (int i = 0; i < 8; i++) {
                name.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
            }
            if (inspector.role(name.toString()).isEmpty()) {
                return UserName.of(name.toString());
            }
        }
    }

    /**
     * Runs {@code work} holding the agents' lock of the application database: another agent's change of it
     * waits until this one has committed or rolled back (at most lock_timeout). What {@code work} records in
     * the agent's schema commits with the lock.
     */
    private <T> T locked(Work<T> work) throws SQLException {
        return locked(List.of(), work);
    }

    /** As {@link #locked(Work)}, holding the locks of {@code others} too (taken after the database's own). */
    private <T> T locked(List<String> others, Work<T> work) throws SQLException {
        try (OperationLock lock = OperationLock.take(session.maintenance(), session.applicationDatabase())) {
            for (String other : others) {
                lock.alsoLock(other);
            }
            T result = work.run();
            lock.release();
            return result;
        }
    }

    private void apply(Plan plan) {
        database(() -> {
            new Executor(session).apply(plan);
            return null;
        });
    }

    // ---------------------------------------------------------------------------------------------
    // Errors and audit

    @FunctionalInterface
    private interface Work<T> {
        T run() throws SQLException;
    }

    /** Runs {@code work}, turning a driver or server error into a {@link Failure#DATABASE} with one clear line. */
    private static <T> T database(Work<T> work) {
        try {
            return work.run();
        } catch (SQLException e) {
            throw new PgUsersException(Failure.DATABASE, Messages.of(e), e);
        }
    }

    /** The audit row of an operation that returned: its outcome and a detail, which may be null. */
    private record Outcome(String outcome, String detail) {
        static final Outcome SUCCESS = new Outcome("success", null);
    }

    private <T> T audited(String operation, String target, Work<T> work) {
        return audited(operation, target, work, result -> Outcome.SUCCESS);
    }

    private <T> T audited(String operation, String target, Work<T> work, Function<T, Outcome> outcome) {
        UUID requestId = this.requestId != null ? this.requestId : UUID.randomUUID();
        try {
            T result = database(work);
            Outcome recorded = outcome.apply(result);
            record(requestId, operation, target, recorded.outcome(), recorded.detail());
            return result;
        } catch (PgUsersException e) {
            record(requestId, operation, target, e.failure().name().toLowerCase(), e.getMessage());
            throw e;
        }
    }

    private void record(UUID requestId, String operation, String target, String outcome, String detail) {
        try {
            registry.audit(new AuditEvent(requestId, actor.name(), actor.address(), operation,
                    session.applicationDatabase(), target, outcome, detail));
        } catch (SQLException | RuntimeException e) {
            LOG.warn("could not write the audit row for {} {}: {}", operation, target, e.getMessage());
        }
    }

    @Override
    public void close() {
        session.close();
    }
}
