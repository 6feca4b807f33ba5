package io.pgusers.sql;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills the placeholders of a statement file, in psql's syntax: {@code :"name"} (a variable used as a
 * quoted identifier) with {@link Sql#identifier}, and {@code :'name'} (used as a literal) with
 * {@link Sql#literal}. An unknown placeholder is a programming error.
 */
public final class SqlTemplate {
    private static final Pattern PLACEHOLDER = Pattern.compile(":([\"'])([a-z_]+)\\1");

    private SqlTemplate() {
    }

    public static List<String> render(SqlFile file, Map<String, String> identifiers) {
        return file.statements().stream().map(statement -> render(file, statement, identifiers)).toList();
    }

    private static String render(SqlFile file, String statement, Map<String, String> identifiers) {
        Matcher matcher = PLACEHOLDER.matcher(statement);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String value = identifiers.get(matcher.group(2));
            if (value == null) {
                throw new IllegalStateException(file.path() + ": no value for :" + matcher.group(1) + matcher.group(2)
                        + matcher.group(1));
            }
            String quoted = matcher.group(1).equals("\"") ? Sql.identifier(value) : Sql.literal(value);
            matcher.appendReplacement(out, Matcher.quoteReplacement(quoted));
        }
        matcher.appendTail(out);
        return out.toString();
    }
}
