package io.pgusers.inspect;

import io.pgusers.core.Promise;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Every promise of the instance that counts, by role ({@code promises.sql}, read at once). */
public final class Promises {
    private final Map<String, Promise> byRole;

    private Promises(Map<String, Promise> byRole) {
        this.byRole = byRole;
    }

    public static Promises of(List<PromiseRow> rows) {
        Map<String, Promise> byRole = new LinkedHashMap<>();
        for (PromiseRow row : rows) {
            row.promise().ifPresent(promise -> byRole.put(row.role(), promise));
        }
        return new Promises(byRole);
    }

    public Optional<Promise> of(String role) {
        return Optional.ofNullable(byRole.get(role));
    }

    /** The roles promised as users of {@code database} (the protected user among them), oldest role first. */
    public Map<String, Promise> usersOf(String database) {
        Map<String, Promise> users = new LinkedHashMap<>();
        byRole.forEach((role, promise) -> {
            if (promise.database().equals(database) && promise.standing().isUser()) {
                users.put(role, promise);
            }
        });
        return users;
    }

    /** The protected user promised for {@code database}, whatever its stage. */
    public Optional<Map.Entry<String, Promise>> protectedUserOf(String database) {
        return byRole.entrySet().stream()
                .filter(e -> e.getValue().database().equals(database) && e.getValue().isProtectedUser())
                .findFirst();
    }

    /** The databases whose protected user's promise is past provisioning (whether or not they still exist). */
    public List<String> provisionedDatabases() {
        return byRole.values().stream()
                .filter(p -> p.isProtectedUser() && p.stage() != Promise.Stage.PROVISIONING)
                .map(Promise::database).distinct().sorted().toList();
    }
}
