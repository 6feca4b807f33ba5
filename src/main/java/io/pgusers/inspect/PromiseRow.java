package io.pgusers.inspect;

import io.pgusers.core.Promise;
import java.util.List;
import java.util.Optional;

/** One row of {@code promises.sql}: a role and its comment, which starts like a promise of pgusers. */
public record PromiseRow(String role, String comment, List<String> administeredBy) {

    public PromiseRow {
        administeredBy = List.copyOf(administeredBy);
    }

    /** The promise, unless a role other than a superuser could have written it, or it does not parse. */
    public Optional<Promise> promise() {
        return administeredBy.isEmpty() ? Promise.parse(comment) : Optional.empty();
    }
}
