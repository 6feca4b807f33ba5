package io.pgusers.core;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * What pgusers promised about a role: which database it belongs to, what it is there, and how far the
 * operation that made the promise got. Kept on the role itself, as the first line of its comment
 * ({@code COMMENT ON ROLE}, in the cluster-wide {@code pg_shdescription}), so that it commits or rolls back
 * with the statements that make it true, in whichever database they run, and goes with the role when the
 * role is dropped, by pgusers or by hand:
 *
 * <pre>
 * pgusers/1 {"database":"app","role":"read-only user"}
 * pgusers/1 {"database":"app","role":"protected user","stage":"password not shown"}
 * </pre>
 *
 * Lines after the first are the role's comment as it was before pgusers wrote there, kept as they were.
 */
public record Promise(String database, Standing standing, Stage stage) {
    /** The first characters of every promise of this format. */
    public static final String MARK = "pgusers/1 ";
    private static final JsonFactory JSON = new JsonFactory();

    /** What the role is in its database. */
    public enum Standing {
        READ_ONLY_USER("read-only user"),
        READ_WRITE_USER("read-write user"),
        PROTECTED_USER("protected user"),
        READERS_GROUP("readers group"),
        WRITERS_GROUP("writers group"),
        /** A role pgusers did not make, while pgusers deletes it. */
        FOREIGN_ROLE("foreign role");

        private final String words;

        Standing(String words) {
            this.words = words;
        }

        public String words() {
            return words;
        }

        /** The access it was promised: none for a foreign role. */
        public Optional<Access> access() {
            return switch (this) {
                case READ_ONLY_USER, READERS_GROUP -> Optional.of(Access.READ_ONLY);
                case READ_WRITE_USER, PROTECTED_USER, WRITERS_GROUP -> Optional.of(Access.READ_WRITE);
                case FOREIGN_ROLE -> Optional.empty();
            };
        }

        public boolean isUser() {
            return this == READ_ONLY_USER || this == READ_WRITE_USER || this == PROTECTED_USER;
        }

        public static Standing user(Access access) {
            return access == Access.READ_ONLY ? READ_ONLY_USER : READ_WRITE_USER;
        }

        public static Standing group(Access access) {
            return access == Access.READ_ONLY ? READERS_GROUP : WRITERS_GROUP;
        }

        static Standing parse(String words) {
            for (Standing standing : values()) {
                if (standing.words.equals(words)) {
                    return standing;
                }
            }
            throw new IllegalArgumentException("unknown role \"" + words + "\"");
        }
    }

    /** How far the operation that made the promise got; {@link #READY} once it is all true. */
    public enum Stage {
        READY("ready"),
        /** provision has begun: the role exists, not everything else yet. */
        PROVISIONING("provisioning"),
        /** provision is done, but the protected user's generated password was never shown. */
        PASSWORD_NOT_SHOWN("password not shown"),
        /** delete has begun: the role can no longer log in, and is on its way out. */
        BEING_DELETED("being deleted");

        private final String words;

        Stage(String words) {
            this.words = words;
        }

        public String words() {
            return words;
        }

        static Stage parse(String words) {
            for (Stage stage : values()) {
                if (stage.words.equals(words)) {
                    return stage;
                }
            }
            throw new IllegalArgumentException("unknown stage \"" + words + "\"");
        }
    }

    public Promise {
        if (database == null || standing == null || stage == null) {
            throw new IllegalArgumentException("a promise names its database, standing and stage");
        }
    }

    public static Promise of(String database, Standing standing) {
        return new Promise(database, standing, Stage.READY);
    }

    public Promise at(Stage next) {
        return new Promise(database, standing, next);
    }

    public boolean isProtectedUser() {
        return standing == Standing.PROTECTED_USER;
    }

    /** The role's whole comment with this promise on its first line, and {@code kept} (the rest) after it. */
    public String comment(Optional<String> kept) {
        return MARK + json() + kept.map(rest -> "\n" + rest).orElse("");
    }

    private String json() {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("database", database);
            g.writeStringField("role", standing.words());
            if (stage != Stage.READY) {
                g.writeStringField("stage", stage.words());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /**
     * The promise a role's comment holds, if its first line is one; a comment that starts like one but does
     * not parse is no promise (pgusers wrote none such).
     */
    public static Optional<Promise> parse(String comment) {
        if (comment == null || !comment.startsWith(MARK)) {
            return Optional.empty();
        }
        int newline = comment.indexOf('\n');
        String line = comment.substring(MARK.length(), newline < 0 ? comment.length() : newline);
        String database = null;
        Standing standing = null;
        Stage stage = Stage.READY;
        try (JsonParser p = JSON.createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                if (p.nextToken() != JsonToken.VALUE_STRING) {
                    return Optional.empty();
                }
                switch (field) {
                    case "database" -> database = p.getText();
                    case "role" -> standing = Standing.parse(p.getText());
                    case "stage" -> stage = Stage.parse(p.getText());
                    default -> {
                        // a field of a later version: ignored
                    }
                }
            }
            return database == null || standing == null ? Optional.empty()
                    : Optional.of(new Promise(database, standing, stage));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The comment as it was before pgusers wrote its promise there: the lines after the first. */
    public static Optional<String> kept(String comment) {
        if (comment == null) {
            return Optional.empty();
        }
        if (!comment.startsWith(MARK)) {
            return Optional.of(comment);
        }
        int newline = comment.indexOf('\n');
        return newline < 0 ? Optional.empty() : Optional.of(comment.substring(newline + 1));
    }
}
