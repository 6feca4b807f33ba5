package io.pgusers.sql;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills the {@code :"name"} placeholders of a statement file (psql's syntax for a variable used as a
 * quoted identifier) with {@link Sql#identifier}. An unknown placeholder is a programming error.
 */
public final class SqlTemplate {
    private static final Pattern PLACEHOLDER = Pattern.compile(":\"([a-z_]+)\"");

    private SqlTemplate() {
    }

    public static List<String> render(SqlFile file, Map<String, String> identifiers) {
        return file.statements().stream().map(statement -> render(file, statement, identifiers)).toList();
    }

    private static String render(SqlFile file, String statement, Map<String, String> identifiers) {
        Matcher matcher = PLACEHOLDER.matcher(statement);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String value = identifiers.get(matcher.group(1));
            if (value == null) {
                throw new IllegalStateException(file.path() + ": no value for :\"" + matcher.group(1) + "\"");
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(Sql.identifier(value)));
        }
        matcher.appendTail(out);
        return out.toString();
    }
}
