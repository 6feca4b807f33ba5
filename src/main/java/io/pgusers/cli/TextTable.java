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
        return render(headers, cells, Integer.MAX_VALUE, List.of());
    }

    /**
     * As {@link #render(List, List)}, at most {@code maxWidth} characters a line when it can: the columns of
     * {@code shrinkable}, in that order, are narrowed (down to 10, or their header) and their longer cells
     * cut, ending with {@code ~}.
     */
    static String render(List<String> headers, List<List<String>> cells, int maxWidth, List<Integer> shrinkable) {
        List<List<String>> rows = cells.stream().map(row -> row.stream().map(Visible::escape).toList()).toList();
        int[] widths = new int[headers.size()];
        for (int c = 0; c < widths.length; c++) {
            widths[c] = headers.get(c).length();
            for (List<String> row : rows) {
                widths[c] = Math.max(widths[c], row.get(c).length());
            }
        }
        for (int c : shrinkable) {
            int excess = lineWidth(widths) - maxWidth;
            if (excess > 0) {
                widths[c] = Math.max(Math.max(MIN_SHRUNK, headers.get(c).length()), widths[c] - excess);
            }
        }
        rows = rows.stream().map(row -> cut(row, widths)).toList();
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

    private static final int MIN_SHRUNK = 10;

    private static int lineWidth(int[] widths) {
        int total = 1;
        for (int width : widths) {
            total += width + 3;
        }
        return total;
    }

    private static List<String> cut(List<String> row, int[] widths) {
        List<String> cells = new java.util.ArrayList<>(row);
        for (int c = 0; c < widths.length; c++) {
            if (cells.get(c).length() > widths[c]) {
                cells.set(c, cells.get(c).substring(0, widths[c] - 1) + "~");
            }
        }
        return cells;
    }

    private static void border(StringBuilder out, int[] widths) {
        out.append('+');
        for (int width : widths) {
            out.append("-".repeat(width + 2)).append('+');
        }
        out.append('\n');
    }
}
