package io.pgusers.ops;

import io.pgusers.core.DatabaseUser;
import io.pgusers.core.Password;
import io.pgusers.core.PendingVerifier;
import io.pgusers.core.PgUsersException;
import io.pgusers.core.UserName;
import io.pgusers.inspect.DatabaseInfo;
import io.pgusers.inspect.Promises;
import io.pgusers.inspect.RoleInfo;
import io.pgusers.plan.Planner;
import java.sql.SQLException;

/** {@code update-password}: a new SCRAM-SHA-256 verifier, for a user pgusers may change (see {@link Protection}). */
final class UpdatePassword {
    private final Context context;

    UpdatePassword(Context context) {
        this.context = context;
    }

    /** Computes the verifier while it reads whether the user may be changed. */
    DatabaseUser run(UserName name, Password password) throws SQLException {
        try (PendingVerifier verifier = password.scramVerifierInBackground()) {
            Promises promises = context.promises();
            DatabaseInfo database = context.provisionedDatabase(promises);
            RoleInfo role = context.application().role(name.value()).orElseThrow(() -> PgUsersException.unknownUser(name));
            Protection.refusal(role, name, context.database, Protection.Change.NEW_PASSWORD).ifPresent(why -> {
                throw PgUsersException.refused(why);
            });
            context.apply(Planner.updatePassword(name, verifier.get()));
            return new ListUsers(context).one(database, promises, name);
        }
    }
}
