package io.pgusers.cli;

import io.pgusers.core.Visible;
import java.util.List;

/**
 * A table in the platform's ASCII style ({@code +----+} borders, upper-case centred headers,
 * left-aligned cells, one space of padding), for any columns. Each row is one line: a cell's control and
 * invisible characters are escaped ({@link Visible}), so that no name can draw a row of its own.
 */
final class TextTable {
    private TextTable() {
    }

    static String render(List<String> headers, List<List<String>> cells) {
        List<List<String>> rows = cells.stream().map(row -> row.stream().map(Visible::escape).toList()).toList();
        int[] widths = new int[headers.size()];
        for (int c = 0; c < widths.length; c++) {
            widths[c] = headers.get(c).length();
            for (List<String> row : rows) {
                widths[c] = Math.max(widths[c], row.get(c).length());
            }
        }
        StringBuilder out = new StringBuilder();
        border(out, widths);
        out.append('|');
        for (int c = 0; c < widths.length; c++) {
            String header = headers.get(c);
            int gap = widths[c] - header.length();
            out.append(' ').append(" ".repeat(gap / 2)).append(header).append(" ".repeat(gap - gap / 2)).append(" |");
        }
        out.append('\n');
        border(out, widths);
        for (List<String> row : rows) {
            out.append('|');
            for (int c = 0; c < widths.length; c++) {
                out.append(' ').append(row.get(c)).append(" ".repeat(widths[c] - row.get(c).length())).append(" |");
            }
            out.append('\n');
        }
        border(out, widths);
        return out.toString();
    }

    private static void border(StringBuilder out, int[] widths) {
        out.append('+');
        for (int width : widths) {
            out.append("-".repeat(width + 2)).append('+');
        }
        out.append('\n');
    }
}
