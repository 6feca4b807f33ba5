package io.pgusers.ops;

import io.pgusers.core.Access;
import io.pgusers.core.DatabaseUser;
import io.pgusers.core.Failure;
import io.pgusers.core.Password;
import io.pgusers.core.UserName;
import io.pgusers.drift.DatabaseState;
import io.pgusers.drift.Drift;
import io.pgusers.drift.Repair;
import io.pgusers.ops.Audit.Operation;
import io.pgusers.ops.Audit.Outcome;
import io.pgusers.plan.Step;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The users of one application database: one method per operation, typed results, no printing. The CLI
 * (and the HTTP API) call this and nothing below it. Each method hands off to the operation's own class,
 * which inspects, plans with {@code io.pgusers.plan.Planner} and applies; every operation that changes
 * something holds the agents' lock of the database meanwhile, and each is one row of the audit trail,
 * whatever its outcome. Made by {@link Instance#database}.
 */
public final class DatabaseUsers implements AutoCloseable {
    private final Context context;
    private final boolean ownsSession;

    DatabaseUsers(Context context, boolean ownsSession) {
        this.context = context;
        this.ownsSession = ownsSession;
    }

    /** The application database whose users this manages. */
    public String database() {
        return context.database;
    }

    /**
     * Makes the application database ready, or finishes a provision that was cut short: see {@link Provision}.
     *
     * @param show shows a generated password once (the caller prints it), before provision counts it as shown
     */
    public ProvisionResult provision(Optional<UserName> owner, Consumer<ProvisionResult> show) {
        return context.audit.recorded(Operation.PROVISION, context.database, owner.map(UserName::value).orElse(null),
                () -> context.database(() -> context.locked(List.of(Step.TEMPLATE_DATABASE),
                        () -> new Provision(context).run(owner, show))));
    }

    public List<DatabaseUser> list() {
        return context.audit.recorded(Operation.LIST, context.database, null,
                () -> context.database(() -> new ListUsers(context).run()));
    }

    /**
     * Creates a user with {@code access}. With {@code ifNotExists}, an existing user of the same access that
     * pgusers created here is returned unchanged (its password untouched).
     */
    public CreateResult create(UserName name, Access access, Password password, boolean ifNotExists) {
        return context.audit.recorded(Operation.CREATE, context.database, name.value(),
                () -> context.database(() -> new CreateUser(context).run(name, access, password, ifNotExists)));
    }

    /**
     * Sets a new password, as a SCRAM-SHA-256 verifier; an MD5 user becomes SCRAM-SHA-256. Audited as
     * {@code reset-password} when pgusers generated the password.
     */
    public DatabaseUser updatePassword(UserName name, Password password) {
        return context.audit.recorded(password.generated() ? Operation.RESET_PASSWORD : Operation.UPDATE_PASSWORD,
                context.database, name.value(),
                () -> context.database(() -> context.locked(() -> new UpdatePassword(context).run(name, password))));
    }

    /**
     * Deletes a user without losing data, or finishes a delete that was cut short. Returns false when it did
     * not exist and {@code ifExists} was given.
     */
    public boolean delete(UserName name, boolean ifExists) {
        return context.audit.recorded(Operation.DELETE, context.database, name.value(),
                () -> context.database(() -> context.locked(() -> new DeleteUser(context).run(name, ifExists))));
    }

    /**
     * Compares what each managed user can really do with what its access level promises. The result lists
     * every difference; none means all is as promised. Audited with outcome {@code drift} when it finds any.
     */
    public CheckResult check() {
        return context.audit.recorded(Operation.CHECK, context.database, null, () -> context.database(() -> {
            DatabaseState state = new PrivilegeState(context).read();
            return new CheckResult(state.database(), Drift.compare(state));
        }), result -> result.drift()
                ? new Outcome(Failure.DRIFT.name().toLowerCase(), result.differences().size() + " differences")
                : Outcome.SUCCESS);
    }

    /**
     * Plans the fewest statements that make {@link #check} pass and, unless {@code dryRun}, applies them in one
     * transaction. Changes nothing when there is nothing to repair.
     */
    public RepairResult repair(boolean dryRun) {
        return context.audit.recorded(Operation.REPAIR, context.database, null, () -> context.database(() -> context.locked(() -> {
            DatabaseState state = new PrivilegeState(context).read();
            Repair.Result planned = Repair.plan(state);
            boolean apply = !dryRun && !planned.plan().steps().isEmpty();
            if (apply) {
                context.apply(planned.plan());
            }
            return new RepairResult(state.database(), planned.before(), planned.plan().describe(),
                    planned.remaining(), apply);
        })), result -> result.statements().isEmpty() ? Outcome.SUCCESS : new Outcome("success",
                result.statements().size() + " statements" + (result.applied() ? " applied" : " planned (dry run)")));
    }

    @Override
    public void close() {
        if (ownsSession) {
            context.session.close();
        }
    }
}
