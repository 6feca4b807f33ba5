package io.pgusers.sql;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The SQL files under {@code sql/} (packed into the jar under {@code /sql}), loaded once each.
 * A file holds one query, or a list of statements each ending with {@code ;} at the end of a line.
 */
public final class SqlFile {
    private static final Map<String, SqlFile> LOADED = new ConcurrentHashMap<>();

    private final String path;
    private final List<String> statements;

    private SqlFile(String path, String text) {
        this.path = path;
        this.statements = List.copyOf(split(text));
    }

    /** {@code path} relative to {@code sql/}, e.g. {@code queries/database-users.sql}. */
    public static SqlFile of(String path) {
        return LOADED.computeIfAbsent(path, SqlFile::load);
    }

    private static SqlFile load(String path) {
        String resource = "/sql/" + path;
        try (InputStream in = SqlFile.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing SQL resource " + resource);
            }
            return new SqlFile(path, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String path() {
        return path;
    }

    /** The file as one query, without comment lines and without its final semicolon. */
    public String query() {
        List<String> statements = statements();
        if (statements.size() != 1) {
            throw new IllegalStateException(path + " holds " + statements.size() + " statements, not one query");
        }
        return statements.get(0);
    }

    /** The statements of the file, in order, without comment lines and final semicolons. */
    public List<String> statements() {
        return statements;
    }

    private static List<String> split(String text) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("--")) {
                continue;
            }
            if (current.length() > 0) {
                current.append('\n');
            }
            current.append(line.stripTrailing());
            if (trimmed.endsWith(";")) {
                current.setLength(current.length() - 1);
                statements.add(current.toString());
                current.setLength(0);
            }
        }
        if (current.length() > 0) {
            statements.add(current.toString());
        }
        return statements;
    }
}
