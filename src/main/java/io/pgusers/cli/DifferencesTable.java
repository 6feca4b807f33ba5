package io.pgusers.cli;

import io.pgusers.drift.Difference;
import java.util.List;

/** {@code check}'s differences as a table, drawn like the users table: OBJECT, USER, EXPECTED, ACTUAL. */
final class DifferencesTable {
    private static final List<String> HEADERS = List.of("OBJECT", "USER", "EXPECTED", "ACTUAL");

    private DifferencesTable() {
    }

    static String render(List<Difference> differences) {
        return TextTable.render(HEADERS, differences.stream().map(d -> List.of(d.objectType() + " " + d.object(),
                d.user() + " (" + d.access() + ")", d.expected(), d.actual())).toList());
    }
}
