package io.pgusers.cli;

import io.pgusers.core.DatabaseUser;
import java.util.List;

/**
 * The users table as the platform's CLI prints it: ASCII borders, upper-case centred headers,
 * left-aligned cells, one space of padding.
 */
final class UsersTable {
    private static final String[] HEADERS = {"USERNAME", "READ-ONLY", "PROTECTED", "PASSWORD ENCRYPTION"};

    private UsersTable() {
    }

    static String render(List<DatabaseUser> users) {
        String[][] rows = users.stream().map(UsersTable::cells).toArray(String[][]::new);
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

    private static String[] cells(DatabaseUser user) {
        return new String[] {
            user.name(),
            Boolean.toString(user.readOnly()),
            Boolean.toString(user.isProtected()),
            user.passwordEncryption() == null ? "NONE" : user.passwordEncryption()
        };
    }

    private static void border(StringBuilder out, int[] widths) {
        out.append('+');
        for (int width : widths) {
            out.append("-".repeat(width + 2)).append('+');
        }
        out.append('\n');
    }
}
