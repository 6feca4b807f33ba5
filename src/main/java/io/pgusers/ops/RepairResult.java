package io.pgusers.ops;

import io.pgusers.drift.Difference;
import java.util.List;

/**
 * What {@code repair} did to {@code database}.
 *
 * @param differences what {@code check} found before
 * @param statements  the statements, as shown (each ending with {@code ;}); empty when nothing needed repair
 * @param remaining   differences the statements do not fix (pgusers cannot: see the README), normally empty
 * @param applied     whether the statements were applied (false on a dry run, or when there were none)
 */
public record RepairResult(String database, List<Difference> differences, List<String> statements,
                           List<Difference> remaining, boolean applied) {

    public RepairResult {
        differences = List.copyOf(differences);
        statements = List.copyOf(statements);
        remaining = List.copyOf(remaining);
    }
}
