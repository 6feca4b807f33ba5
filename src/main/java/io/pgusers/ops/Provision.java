package io.pgusers.ops;

import io.pgusers.core.Access;
import io.pgusers.core.Failure;
import io.pgusers.core.Password;
import io.pgusers.core.PgUsersException;
import io.pgusers.core.Promise;
import io.pgusers.core.UserName;
import io.pgusers.inspect.DatabaseInfo;
import io.pgusers.inspect.Inspector;
import io.pgusers.inspect.Promises;
import io.pgusers.inspect.RoleInfo;
import io.pgusers.plan.Planner;
import io.pgusers.plan.Provisioning;
import io.pgusers.plan.Step;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@code provision}: makes the application database ready, from wherever it stands, so that a provision cut
 * short anywhere is finished by the next one:
 * <ul>
 *   <li>its protected user's promise says how far provision got ({@link Promise.Stage}): "provisioning" until
 *       the database and its grants are there, "password not shown" until the generated password has been
 *       shown (a provision that finds it so sets a new one, and shows that);</li>
 *   <li>a database that exists without a promise is adopted (its owner becomes the protected user), or, when
 *       a superuser owns it, given to a new protected user.</li>
 * </ul>
 */
final class Provision {
    /** Databases that provision refuses to make application databases of. */
    private static final Set<String> NOT_APPLICATION_DATABASES =
            Set.of(Step.MAINTENANCE_DATABASE, "template0", Step.TEMPLATE_DATABASE);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Context context;

    /** postgres, template0 and template1: never an application database, whatever is asked. */
    static boolean belongsToPostgres(String database) {
        return NOT_APPLICATION_DATABASES.contains(database);
    }

    Provision(Context context) {
        this.context = context;
    }

    /**
     * @param show shows the generated password once (the CLI prints it); only once it has returned does the
     *             promise say so, and a provision cut short before then sets and shows a new one next time
     */
    ProvisionResult run(Optional<UserName> requested, Consumer<ProvisionResult> show) throws SQLException {
        String database = context.database;
        if (belongsToPostgres(database)) {
            throw context.notManaged();
        }
        Inspector maintenance = context.maintenance();
        Promises promises = context.promises();
        Optional<DatabaseInfo> existing = maintenance.database(database);
        List<String> closing = publicSchemasOpenToAll();
        Optional<Map.Entry<String, Promise>> promised = promises.protectedUserOf(database);
        ProvisionResult result;
        if (promised.isPresent()) {
            result = again(promised.get().getKey(), promised.get().getValue(), existing, requested, closing);
        } else if (existing.isPresent() && !existing.get().ownerIsSuperuser()) {
            result = adopt(existing.get(), requested, closing);
        } else {
            result = create(existing, requested, closing);
        }
        if (result.password() != null) {
            show.accept(result);
            RoleInfo owner = maintenance.role(result.owner()).orElseThrow();
            context.apply(Planner.passwordShown(UserName.existing(result.owner()), database, owner.keptComment()));
        }
        return result;
    }

    /** A database provision has seen before: all done, or finished now. */
    private ProvisionResult again(String owner, Promise promise, Optional<DatabaseInfo> existing,
                                  Optional<UserName> requested, List<String> closing) throws SQLException {
        if (requested.isPresent() && !requested.get().value().equals(owner)) {
            throw new PgUsersException(Failure.ALREADY_EXISTS, "Database \"" + context.database
                    + "\" is already provisioned, with protected user \"" + owner + "\"");
        }
        if (promise.stage() == Promise.Stage.READY && existing.isPresent()) {
            context.apply(Planner.closePublicSchemas(closing));
            return new ProvisionResult(context.database, owner, ProvisionResult.Outcome.UNCHANGED, null, closing);
        }
        RoleInfo role = context.maintenance().role(owner).orElseThrow();
        Provisioning.DatabaseNow now;
        if (existing.isEmpty()) {
            now = Provisioning.DatabaseNow.MISSING;
        } else if (!existing.get().allowsConnections()) {
            now = Provisioning.DatabaseNow.CREATED_CLOSED;
        } else if (existing.get().owner().equals(owner)) {
            now = Provisioning.DatabaseNow.OWNED;
        } else if (existing.get().ownerIsSuperuser()) {
            now = Provisioning.DatabaseNow.OWNED_BY_A_SUPERUSER;
        } else {
            throw PgUsersException.refused("Database \"" + context.database + "\" is owned by \"" + existing.get().owner()
                    + "\", and pgusers provisioned it for \"" + owner + "\": give it back to \"" + owner + "\" (ALTER DATABASE ... OWNER TO)");
        }
        Password password = Password.generate();
        context.apply(Planner.provision(new Provisioning(context.database, UserName.existing(owner),
                Provisioning.OwnerRole.EXISTS, now, missingGroups(), List.of(), closing,
                Optional.of(password.scramVerifier()), role.keptComment())));
        return new ProvisionResult(context.database, owner, ProvisionResult.Outcome.FINISHED, password, closing);
    }

    /** A database that exists with an owner that is not a superuser: its owner becomes its protected user. */
    private ProvisionResult adopt(DatabaseInfo existing, Optional<UserName> requested, List<String> closing)
            throws SQLException {
        String owner = existing.owner();
        if (requested.isPresent() && !requested.get().value().equals(owner)) {
            throw PgUsersException.refused("Database \"" + context.database + "\" is owned by \"" + owner
                    + "\", not \"" + requested.get() + "\": run provision without --owner to adopt it");
        }
        RoleInfo role = context.maintenance().role(owner).orElseThrow();
        String why = !role.privilegesBeyond().isEmpty() ? String.join("; ", role.privilegesBeyond())
                : !role.administeredBy().isEmpty() ? "role " + String.join(", ", role.administeredBy()) + " holds ADMIN OPTION on it"
                : role.promise().isPresent() ? "pgusers made it the " + role.promise().get().standing().words()
                        + " of database \"" + role.promise().get().database() + "\""
                : null;
        if (why != null) {
            throw PgUsersException.refused("Database \"" + context.database + "\" is owned by \"" + owner
                    + "\", which cannot be its protected user: " + why);
        }
        context.apply(Planner.provision(new Provisioning(context.database, UserName.existing(owner),
                Provisioning.OwnerRole.EXISTS, Provisioning.DatabaseNow.OWNED, missingGroups(), context.application().schemasOwnedBy(owner),
                closing, Optional.empty(), role.keptComment())));
        return new ProvisionResult(context.database, owner, ProvisionResult.Outcome.ADOPTED, null, closing);
    }

    /** A new protected user, for a new database or for one a superuser owns. */
    private ProvisionResult create(Optional<DatabaseInfo> existing, Optional<UserName> requested, List<String> closing)
            throws SQLException {
        Inspector maintenance = context.maintenance();
        UserName owner = requested.isPresent() ? requested.get() : randomOwnerName(maintenance);
        if (maintenance.role(owner.value()).isPresent()) {
            throw PgUsersException.alreadyExists(owner);
        }
        Provisioning.DatabaseNow now = existing.isEmpty() ? Provisioning.DatabaseNow.MISSING
                : Provisioning.DatabaseNow.OWNED_BY_A_SUPERUSER;
        Password password = Password.generate();
        try {
            context.apply(Planner.provision(new Provisioning(context.database, owner, Provisioning.OwnerRole.CREATE, now,
                    missingGroups(), List.of(), closing, Optional.of(password.scramVerifier()), Optional.empty())));
        } catch (SQLException | RuntimeException e) {
            password.close();
            throw e;
        }
        return new ProvisionResult(context.database, owner.value(), ProvisionResult.Outcome.CREATED, password, closing);
    }

    /** The groups the database lacks (refused when a stranger holds one's name). */
    private Set<Access> missingGroups() throws SQLException {
        return Groups.missing(context.maintenance(), context.database);
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
                isOpen = new Inspector(context.session.forDatabase(database)).publicSchemaOpenToAll();
            } finally {
                if (database.equals(Step.TEMPLATE_DATABASE)) {
                    context.session.disconnect(database);
                }
            }
            if (isOpen) {
                open.add(database);
            }
        }
        return open;
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
}
