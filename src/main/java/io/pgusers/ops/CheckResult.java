package io.pgusers.ops;

import io.pgusers.drift.Difference;
import java.util.List;

/** What {@code check} found in {@code database}: no difference means every user has what it was promised. */
public record CheckResult(String database, List<Difference> differences) {

    public CheckResult {
        differences = List.copyOf(differences);
    }

    public boolean drift() {
        return !differences.isEmpty();
    }
}
