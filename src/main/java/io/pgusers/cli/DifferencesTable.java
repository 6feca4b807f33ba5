package io.pgusers.cli;

import io.pgusers.drift.Difference;
import java.util.List;

/** {@code check}'s differences as a table, drawn like the users table: OBJECT, USER, EXPECTED, ACTUAL. */
final class DifferencesTable {
    private static final String[] HEADERS = {"OBJECT", "USER", "EXPECTED", "ACTUAL"};

    private DifferencesTable() {
    }

    static String render(List<Difference> differences) {
        String[][] rows = differences.stream().map(DifferencesTable::cells).toArray(String[][]::new);
        int[] widths = new int[HEADERS.length];
        for (int c = 0; c < HEADERS.length; c++) {
            widths[c] = HEADERS[c].length();
            for (String[] row : rows) {
                widths[c] = Math.max(widths[c], row[c].length());
            }
        }
        StringBuilder out = new StringBuilder();
        border(out, widths);
        out.append('|');
        for (int c = 0; c < HEADERS.length; c++) {
            int gap = widths[c] - HEADERS[c].length();
            out.append(' ').append(" ".repeat(gap / 2)).append(HEADERS[c]).append(" ".repeat(gap - gap / 2)).append(" |");
        }
        out.append('\n');
        border(out, widths);
        for (String[] row : rows) {
            out.append('|');
            for (int c = 0; c < row.length; c++) {
                out.append(' ').append(row[c]).append(" ".repeat(widths[c] - row[c].length())).append(" |");
            }
            out.append('\n');
        }
        border(out, widths);
        return out.toString();
    }

    private static String[] cells(Difference d) {
        return new String[] {d.objectType() + " " + d.object(), d.user() + " (" + d.access() + ")", d.expected(), d.actual()};
    }

    private static void border(StringBuilder out, int[] widths) {
        out.append('+');
        for (int width : widths) {
            out.append("-".repeat(width + 2)).append('+');
        }
        out.append('\n');
    }
}
