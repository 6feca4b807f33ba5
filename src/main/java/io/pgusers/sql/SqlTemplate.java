package io.pgusers.sql;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills the placeholders of a statement file, in psql's syntax: {@code :"name"} (a variable used as a
 * quoted identifier) with {@link Sql#identifier}, and {@code :'name'} (used as a literal) with
 * {@link Sql#literal}. An identifier's value may be several names ({@link #renderLists}): {@code :"username"}
 * then becomes {@code "a", "b"}, as in {@code GRANT ... TO "a", "b"}. An unknown placeholder is a programming
 * error, and so is a list where a literal goes.
 */
public final class SqlTemplate {
    private static final Pattern PLACEHOLDER = Pattern.compile(":([\"'])([a-z_]+)\\1");

    private SqlTemplate() {
    }

    public static List<String> render(SqlFile file, Map<String, String> values) {
        Map<String, List<String>> lists = new HashMap<>();
        values.forEach((name, value) -> lists.put(name, List.of(value)));
        return renderLists(file, lists);
    }

    /** As {@link #render}, each value a non-empty list of names. */
    public static List<String> renderLists(SqlFile file, Map<String, List<String>> values) {
        return file.statements().stream().map(statement -> render(file, statement, values)).toList();
    }

    private static String render(SqlFile file, String statement, Map<String, List<String>> values) {
        Matcher matcher = PLACEHOLDER.matcher(statement);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String placeholder = ":" + matcher.group(1) + matcher.group(2) + matcher.group(1);
            List<String> value = values.get(matcher.group(2));
            boolean identifier = matcher.group(1).equals("\"");
            if (value == null || value.isEmpty() || (!identifier && value.size() > 1)) {
                throw new IllegalStateException(file.path() + ": " + (value == null || value.isEmpty() ? "no value" : "a list")
                        + " for " + placeholder);
            }
            String quoted = identifier ? String.join(", ", value.stream().map(Sql::identifier).toList())
                    : Sql.literal(value.get(0));
            matcher.appendReplacement(out, Matcher.quoteReplacement(quoted));
        }
        matcher.appendTail(out);
        return out.toString();
    }
}
