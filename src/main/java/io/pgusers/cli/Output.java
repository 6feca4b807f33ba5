package io.pgusers.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.pgusers.core.DatabaseUser;
import io.pgusers.core.Password;
import io.pgusers.core.Visible;
import io.pgusers.drift.Difference;
import io.pgusers.ops.CheckResult;
import io.pgusers.ops.RepairResult;
import io.pgusers.registry.AuditEntry;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders results: data to standard output (a table or sentences, or JSON with {@code --json}), errors
 * to standard error. The only place that prints.
 */
final class Output {
    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean json;
    private String database;
    private String instance;

    Output(PrintWriter out, PrintWriter err, boolean json) {
        this.out = out;
        this.err = err;
        this.json = json;
    }

    /** The database (and instance) the command acts on: named in every JSON object, and on standard error. */
    void target(String database, String instance) {
        this.database = database;
        this.instance = instance;
    }

    /** After a table or a sentence: which database and instance it was about, on standard error. */
    void targetNote() {
        if (!json && database != null) {
            note("(database \"" + database + "\" on " + instance + ")");
        }
    }

    private void targetFields(JsonGenerator g) throws IOException {
        if (database != null) {
            g.writeStringField("database", database);
            g.writeStringField("instance", instance);
        }
    }

    /** The table, or {@code {"database", "instance", "database-users": [...]}} (the API's name for the list). */
    void users(List<DatabaseUser> users) {
        if (!json) {
            out.print(UsersTable.render(users));
        } else {
            json(out, g -> {
                g.writeStartObject();
                targetFields(g);
                g.writeArrayFieldStart("database-users");
                for (DatabaseUser user : users) {
                    g.writeStartObject();
                    userFields(g, user);
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            });
        }
        out.flush();
    }

    /** Audit tables fit a terminal of this width; {@code --json} has every value whole. */
    static final int AUDIT_WIDTH = 120;

    /**
     * The audit trail: a table that fits {@link #AUDIT_WIDTH} columns (times in UTC to the second, request ids
     * to their first 8 characters, the outcome with its message, long values cut, the database only when
     * several are shown), or a JSON array of whole rows.
     */
    void audit(List<AuditEntry> entries, boolean everyDatabase) {
        if (!json) {
            List<List<String>> rows = new ArrayList<>();
            for (AuditEntry e : entries) {
                List<String> row = new ArrayList<>(List.of(
                        e.occurredAt().withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).format(AUDIT_TIME),
                        e.actor() + (e.clientAddress() == null ? "" : " " + e.clientAddress()),
                        e.connectingRole(), e.operation()));
                if (everyDatabase) {
                    row.add(e.database());
                }
                row.addAll(List.of(orEmpty(e.targetUser()), e.requestId().toString().substring(0, 8),
                        e.outcome() + (e.detail() == null ? "" : ": " + e.detail())));
                rows.add(row);
            }
            List<String> headers = new ArrayList<>(List.of("TIME (UTC)", "WHO", "ROLE", "OPERATION"));
            if (everyDatabase) {
                headers.add("DATABASE");
            }
            headers.addAll(List.of("USER", "REQUEST", "OUTCOME"));
            int outcome = headers.size() - 1;
            int user = headers.indexOf("USER");
            out.print(TextTable.render(headers, rows, AUDIT_WIDTH,
                    everyDatabase ? List.of(outcome, 1, user, 4, 2) : List.of(outcome, 1, user, 2)));
        } else {
            json(out, g -> {
                g.writeStartArray();
                for (AuditEntry e : entries) {
                    g.writeStartObject();
                    g.writeStringField("time", e.occurredAt().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
                    g.writeStringField("actor", e.actor());
                    g.writeStringField("client_address", e.clientAddress());
                    g.writeStringField("connecting_role", e.connectingRole());
                    g.writeStringField("operation", e.operation());
                    g.writeStringField("database", e.database());
                    g.writeStringField("user", e.targetUser());
                    g.writeStringField("outcome", e.outcome());
                    g.writeStringField("request_id", e.requestId().toString());
                    g.writeStringField("detail", e.detail());
                    g.writeEndObject();
                }
                g.writeEndArray();
            });
        }
        out.flush();
    }

    /** {@code 2026-12-02 01:10:25}, in UTC. */
    private static final DateTimeFormatter AUDIT_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss");

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }

    /**
     * The platform's sentence for a user operation ({@code User "NAME" created.}, or {@code created with
     * password "PW".} when pgusers generated the password), or the same facts as JSON.
     *
     * @param user     the user afterwards, or null when it is gone
     * @param verb     created, updated, deleted, unchanged, ...
     * @param password shown only when generated
     */
    void userResult(String name, DatabaseUser user, String verb, Password password) {
        boolean showPassword = password != null && password.generated();
        if (!json) {
            out.print("User \"" + Visible.escape(name) + "\" " + verb);
            if (showPassword) {
                out.print(" with password \"");
                out.write(password.chars());
                out.print('"');
            }
            out.println(".");
        } else {
            json(out, g -> {
                g.writeStartObject();
                if (user != null) {
                    userFields(g, user);
                } else {
                    g.writeStringField("name", name);
                }
                if (user == null || user.otherDatabase().isEmpty()) {
                    targetFields(g);
                }
                g.writeBooleanField(verb, true);
                if (showPassword) {
                    g.writeFieldName("password");
                    g.writeString(password.chars(), 0, password.chars().length);
                }
                g.writeEndObject();
            });
        }
        out.flush();
    }

    /** {@code delete --if-exists} of a user that is not there. */
    void absent(String name) {
        if (!json) {
            out.println("User \"" + Visible.escape(name) + "\" does not exist: nothing was deleted.");
        } else {
            json(out, g -> {
                g.writeStartObject();
                g.writeStringField("name", name);
                targetFields(g);
                g.writeBooleanField("deleted", false);
                g.writeBooleanField("exists", false);
                g.writeEndObject();
            });
        }
        out.flush();
    }

    /** A result that is not about one user: as a sentence, or as JSON fields given in pairs. */
    /**
     * As {@link #result(String, Object...)}, with the sentence in parts: a {@link Password} part is written
     * from its characters, never turned into a String.
     */
    void result(List<Object> sentence, Object... fields) {
        if (json) {
            result("", fields);
            return;
        }
        for (Object part : sentence) {
            if (part instanceof Password password) {
                out.write(password.chars());
            } else {
                out.print(Visible.escape(String.valueOf(part)));
            }
        }
        out.println();
        out.flush();
    }

    void result(String sentence, Object... fields) {
        if (!json) {
            out.println(Visible.escape(sentence));
        } else {
            json(out, g -> {
                g.writeStartObject();
                for (int i = 0; i < fields.length; i += 2) {
                    g.writeFieldName((String) fields[i]);
                    Object value = fields[i + 1];
                    if (value instanceof Password password) {
                        g.writeString(password.chars(), 0, password.chars().length);
                    } else if (value instanceof List<?> list) {
                        g.writeStartArray();
                        for (Object item : list) {
                            g.writeString(String.valueOf(item));
                        }
                        g.writeEndArray();
                    } else {
                        g.writeObject(value);
                    }
                }
                g.writeEndObject();
            });
        }
        out.flush();
    }

    /** {@code check}: the differences as a table (and a hint on standard error), or as JSON. */
    void check(CheckResult result) {
        if (!json) {
            if (result.drift()) {
                out.print(DifferencesTable.render(result.differences()));
                note(result.differences().size() + " difference(s) from what the users of database \"" + result.database()
                        + "\" were promised: pgusers repair --dry-run shows the statements that fix them,"
                        + " pgusers repair applies them.");
            } else {
                out.println("Every user of database \"" + Visible.escape(result.database())
                        + "\" has exactly the access it was promised.");
            }
        } else {
            json(out, g -> {
                g.writeStartObject();
                g.writeStringField("database", result.database());
                g.writeStringField("instance", instance);
                g.writeBooleanField("drift", result.drift());
                differences(g, "differences", result.differences());
                g.writeEndObject();
            });
        }
        out.flush();
    }

    /** {@code repair}: the statements on standard output, what was done on standard error; or JSON. */
    void repair(RepairResult result, boolean dryRun) {
        if (!json) {
            result.statements().forEach(out::println);
            if (result.statements().isEmpty()) {
                note("Nothing to repair: every user of database \"" + result.database()
                        + "\" has exactly the access it was promised.");
            } else if (dryRun) {
                note("Dry run: " + result.statements().size() + " statement(s) for " + result.differences().size()
                        + " difference(s); nothing was changed.");
            } else {
                note("Applied " + result.statements().size() + " statement(s) in one transaction for "
                        + result.differences().size() + " difference(s).");
            }
            if (!result.remaining().isEmpty()) {
                note("Left as they are (pgusers cannot repair them):");
                result.remaining().forEach(d -> note("  " + d.sentence()));
            }
        } else {
            json(out, g -> {
                g.writeStartObject();
                g.writeStringField("database", result.database());
                g.writeStringField("instance", instance);
                g.writeBooleanField("dry_run", dryRun);
                g.writeBooleanField("applied", result.applied());
                g.writeArrayFieldStart("statements");
                for (String statement : result.statements()) {
                    g.writeString(statement);
                }
                g.writeEndArray();
                differences(g, "differences", result.differences());
                differences(g, "remaining", result.remaining());
                g.writeEndObject();
            });
        }
        out.flush();
    }

    private static void differences(JsonGenerator g, String field, List<Difference> differences) throws IOException {
        g.writeArrayFieldStart(field);
        for (Difference d : differences) {
            g.writeStartObject();
            g.writeStringField("kind", d.kind().label());
            g.writeStringField("object_type", d.objectType());
            g.writeStringField("object", d.object());
            g.writeStringField("user", d.user());
            g.writeStringField("access", d.access());
            g.writeStringField("expected", d.expected());
            g.writeStringField("actual", d.actual());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    void error(String message, int exitCode) {
        if (!json) {
            err.println("pgusers: " + Visible.escape(message));
        } else {
            json(err, g -> {
                g.writeStartObject();
                g.writeStringField("error", message);
                g.writeNumberField("exit_code", exitCode);
                g.writeEndObject();
            });
        }
        err.flush();
    }

    /** A note for the person at the terminal: never data, so always on standard error. */
    void note(String message) {
        message.lines().map(Visible::escape).forEach(err::println);
        err.flush();
    }

    private static void userFields(JsonGenerator g, DatabaseUser user) throws IOException {
        g.writeStringField("name", user.name());
        g.writeBooleanField("read_only", user.readOnly());
        g.writeBooleanField("protected", user.isProtected());
        g.writeStringField("password_encryption", user.passwordEncryption());
        if (user.otherDatabase().isPresent()) {
            g.writeStringField("database", user.otherDatabase().get());
        }
        if (user.beingDeleted()) {
            g.writeBooleanField("being_deleted", true);
        }
    }

    /** Loaded on first use, so that a table costs no JSON classes. */
    private static final class Json {
        static final JsonFactory FACTORY = new JsonFactory();
    }

    private interface JsonWriting {
        void write(JsonGenerator generator) throws IOException;
    }

    private static void json(PrintWriter target, JsonWriting writing) {
        try {
            JsonGenerator generator = Json.FACTORY.createGenerator(target);
            generator.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            writing.write(generator);
            generator.flush();
            target.println();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
