package io.pgusers.ops;

import io.pgusers.core.Failure;
import io.pgusers.core.PgUsersException;
import io.pgusers.inspect.AgentRole;
import io.pgusers.inspect.Inspector;
import io.pgusers.inspect.Promises;
import io.pgusers.plan.Step;
import io.pgusers.registry.AgentSchema;
import io.pgusers.registry.AuditEntry;
import io.pgusers.registry.AuditTrail;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What concerns the whole instance: the role pgusers connects as (it must be a superuser) and the agent's
 * schema (brought up to date), both checked when the instance is built; the databases pgusers provisioned;
 * the audit trail. It hands out the {@link DatabaseUsers} of each database.
 *
 * <p>For a one-shot command ({@link #connect}), the connections of the checks are those the one facade then
 * uses; for a service ({@link #prepare}), each facade takes connections of its own from the source (a pool).
 */
public final class Instance implements AutoCloseable {
    private final ConnectionSource source;
    private final int major;
    /** One-shot: the session of the checks, which the facade goes on with; null for a service. */
    private final Session oneShot;
    /** The creates waiting in this process, by database. */
    private final Map<String, CreateQueue> creates = new ConcurrentHashMap<>();

    private Instance(ConnectionSource source, int major, Session oneShot) {
        this.source = source;
        this.major = major;
        this.oneShot = oneShot;
    }

    /** For a one-shot command: plain connections, opened when first needed, closed with the instance. */
    public static Instance connect(ConnectionSource source) {
        return connect(source, null);
    }

    /**
     * For a one-shot command on {@code database}, which exists already (null: none known yet): the same, and once
     * the maintenance database's login has succeeded, {@code database}'s is opened in the background while the
     * instance is checked.
     */
    public static Instance connect(ConnectionSource source, String database) {
        Session session = new Session(source);
        try {
            if (database != null) {
                session.maintenance();
                session.openInBackground(database);
            }
            return new Instance(source, check(session), session);
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
    }

    /**
     * For a long-running service, whose sessions come from {@code served}: the same checks, once at start, on a
     * login of its own from {@code logins} (a pool's connection asks at login for what only a superuser may set:
     * a role that is not one is told so in pgusers' words, not the pool's). Then the first session of the
     * maintenance database is opened from {@code served} (a pool's, kept): the first requests need not wait for
     * it.
     */
    public static Instance prepare(ConnectionSource logins, ConnectionSource served) {
        int major;
        try (Session session = new Session(logins)) {
            major = check(session);
        }
        try {
            served.connect(Step.MAINTENANCE_DATABASE).close();
        } catch (SQLException e) {
            throw ServerErrors.translate(e);
        }
        return new Instance(served, major, null);
    }

    /** The role is a superuser, and the agent's schema is up to date; returns the server's major version. */
    private static int check(Session session) {
        try {
            AgentRole agent = new Inspector(session.maintenance()).agentRole();
            if (!agent.superuser()) {
                throw new PgUsersException(Failure.DATABASE, "pgusers must connect as a superuser, and role \""
                        + agent.name() + "\" is not one: connect as postgres (-U postgres) or another superuser");
            }
            new AgentSchema(session.maintenance()).ensureUpToDate(session.source().dataSource(Step.MAINTENANCE_DATABASE));
            return agent.serverMajorVersion();
        } catch (SQLException e) {
            throw ServerErrors.translate(e);
        } catch (org.flywaydb.core.api.FlywayException e) {
            throw new PgUsersException(Failure.DATABASE, "could not bring the agent's schema (pgusers, in database "
                    + "postgres) up to date: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }

    /** The databases that pgusers provisioned and that still exist, by name. */
    public List<String> provisionedDatabases() {
        return withSession(session -> {
            Inspector inspector = new Inspector(session.maintenance());
            return existing(Promises.of(inspector.promises()).provisionedDatabases(), inspector);
        });
    }

    /** Those of {@code databases} that exist. */
    static List<String> existing(List<String> databases, Inspector inspector) throws SQLException {
        return databases.isEmpty() ? List.of() : inspector.existingDatabases(databases);
    }

    /** {@code "a", "b"}: databases named in a message. */
    public static String quotedList(List<String> databases) {
        return String.join(", ", databases.stream().map(d -> "\"" + d + "\"").toList());
    }

    /** The audit trail of {@code database} (every database when null), from {@code since} on, or all of it when null. */
    public List<AuditEntry> auditTrail(OffsetDateTime since, String database) {
        return withSession(session -> new AuditTrail(session.maintenance()).since(since, database));
    }

    /** The users of {@code database}; each operation is an audit row with a request id of its own. */
    public DatabaseUsers database(String database, Actor actor) {
        return facade(database, actor, UUID::randomUUID);
    }

    /** The users of {@code database} for one request of the service: every audit row carries {@code requestId}. */
    public DatabaseUsers database(String database, Actor actor, UUID requestId) {
        return facade(database, actor, () -> requestId);
    }

    private DatabaseUsers facade(String database, Actor actor, java.util.function.Supplier<UUID> requestIds) {
        Session session = oneShot != null ? oneShot : new Session(source);
        session.useApplicationDatabase(database);
        Audit audit = new Audit(session, actor, requestIds);
        return new DatabaseUsers(new Context(session, database, audit, major, creates), oneShot == null);
    }

    /**
     * A service stopping: the creates waiting in this process for a transaction of creates fail as cancelled (nothing
     * of them made), and none begins any more.
     */
    public void stopCreates() {
        creates.values().forEach(CreateQueue::stop);
    }

    private interface SessionWork<T> {
        T run(Session session) throws SQLException;
    }

    private <T> T withSession(SessionWork<T> work) {
        try {
            if (oneShot != null) {
                return work.run(oneShot);
            }
            try (Session session = new Session(source)) {
                return work.run(session);
            }
        } catch (SQLException e) {
            throw ServerErrors.translate(e);
        }
    }

    @Override
    public void close() {
        if (oneShot != null) {
            oneShot.close();
        }
    }
}
