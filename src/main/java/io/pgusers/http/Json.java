package io.pgusers.http;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.pgusers.core.DatabaseUser;
import io.pgusers.core.Password;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;

/**
 * The JSON of the platform's database-users API, written and read with Jackson's streaming API so that a
 * password is only ever a {@code char[]} here, never a {@code String}.
 *
 * <p>USER is {@code {"name", "read_only", "protected", "dbms_attributes": {"password_encryption"}}}, plus
 * {@code "password"} once, when pgusers generated it.
 */
final class Json {
    private static final JsonFactory FACTORY = new JsonFactory();

    private Json() {
    }

    /** {@code {"database-users": [USER, ...]}}. */
    static byte[] users(List<DatabaseUser> users) {
        return write(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("database-users");
            for (DatabaseUser user : users) {
                user(g, user, null);
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    /** {@code {"database_user": USER}}, with the password when pgusers generated it. */
    static byte[] user(DatabaseUser user, Password password) {
        return write(g -> {
            g.writeStartObject();
            g.writeFieldName("database_user");
            user(g, user, password != null && password.generated() ? password : null);
            g.writeEndObject();
        });
    }

    /** {@code {"databases": [{"id": "app"}, ...]}}: the databases the page can choose from. */
    static byte[] databases(List<String> names) {
        return write(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("databases");
            for (String name : names) {
                g.writeStartObject();
                g.writeStringField("id", name);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    /** {@code {"error": "message"}}. */
    static byte[] error(String message) {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("error", message);
            g.writeEndObject();
        });
    }

    private static void user(JsonGenerator g, DatabaseUser user, Password password) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", user.name());
        g.writeBooleanField("read_only", user.readOnly());
        g.writeBooleanField("protected", user.isProtected());
        g.writeObjectFieldStart("dbms_attributes");
        g.writeStringField("password_encryption", user.passwordEncryption());
        g.writeEndObject();
        if (user.otherDatabase().isPresent()) {
            g.writeStringField("database", user.otherDatabase().get()); // a user of another database
        }
        if (user.beingDeleted()) {
            g.writeBooleanField("being_deleted", true);
        }
        if (password != null) {
            g.writeFieldName("password");
            g.writeString(password.chars(), 0, password.chars().length);
        }
        g.writeEndObject();
    }

    // ---------------------------------------------------------------------------------------------
    // Requests

    /**
     * The {@code "database_user"} object of a request body. Absent fields are null; passwords are fresh
     * arrays that the caller wipes ({@link #wipe()}).
     */
    record UserFields(String name, Boolean readOnly, char[] password, char[] passwordConfirmation) {
        void wipe() {
            if (password != null) {
                Arrays.fill(password, '\0');
            }
            if (passwordConfirmation != null) {
                Arrays.fill(passwordConfirmation, '\0');
            }
        }
    }

    /**
     * Reads {@code {"database_user": {"name": ..., "read_only": ..., "password": ...,
     * "password_confirmation": ...}}}; other fields are ignored.
     *
     * The body's bytes are wiped once read.
     *
     * @throws BadRequest when the body is not JSON of that shape
     */
    static UserFields userFields(byte[] body) {
        try {
            return userFields(new ByteArrayInputStream(body));
        } finally {
            Arrays.fill(body, (byte) 0);
        }
    }

    private static UserFields userFields(InputStream body) {
        String name = null;
        Boolean readOnly = null;
        char[] password = null;
        char[] confirmation = null;
        boolean wrapped = false;
        try (JsonParser p = FACTORY.createParser(body)) {
            expect(p.nextToken() == JsonToken.START_OBJECT);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (!"database_user".equals(field)) {
                    p.skipChildren();
                    continue;
                }
                expect(value == JsonToken.START_OBJECT);
                wrapped = true;
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    JsonToken token = p.nextToken();
                    switch (key) {
                        case "name" -> name = token == JsonToken.VALUE_NULL ? null : text(p, token, key);
                        case "read_only" -> readOnly = bool(token, key);
                        case "password" -> password = chars(p, token, key);
                        case "password_confirmation" -> confirmation = chars(p, token, key);
                        default -> p.skipChildren();
                    }
                }
            }
            expect(p.currentToken() == JsonToken.END_OBJECT && p.nextToken() == null);
        } catch (IOException e) {
            wipe(password, confirmation);
            throw new BadRequest("Malformed request: the body is not valid JSON");
        } catch (BadRequest e) {
            wipe(password, confirmation);
            throw e;
        }
        if (!wrapped) {
            wipe(password, confirmation);
            throw new BadRequest("Malformed request: expected {\"database_user\": {...}}");
        }
        return new UserFields(name, readOnly, password, confirmation);
    }

    private static String text(JsonParser p, JsonToken token, String key) throws IOException {
        if (token != JsonToken.VALUE_STRING) {
            throw new BadRequest("Malformed request: \"" + key + "\" must be a string");
        }
        return p.getText();
    }

    private static Boolean bool(JsonToken token, String key) {
        return switch (token) {
            case VALUE_TRUE -> true;
            case VALUE_FALSE -> false;
            case VALUE_NULL -> null;
            default -> throw new BadRequest("Malformed request: \"" + key + "\" must be true or false");
        };
    }

    /** A string value copied straight from the parser's buffer into a new array: never a String. */
    private static char[] chars(JsonParser p, JsonToken token, String key) throws IOException {
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token != JsonToken.VALUE_STRING) {
            throw new BadRequest("Malformed request: \"" + key + "\" must be a string");
        }
        return Arrays.copyOfRange(p.getTextCharacters(), p.getTextOffset(), p.getTextOffset() + p.getTextLength());
    }

    private static void expect(boolean shape) {
        if (!shape) {
            throw new BadRequest("Malformed request: expected {\"database_user\": {...}}");
        }
    }

    private static void wipe(char[]... arrays) {
        for (char[] array : arrays) {
            if (array != null) {
                Arrays.fill(array, '\0');
            }
        }
    }

    // ---------------------------------------------------------------------------------------------

    private interface Writing {
        void write(JsonGenerator generator) throws IOException;
    }

    private static byte[] write(Writing writing) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            writing.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A request the API cannot read: 400. */
    static final class BadRequest extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadRequest(String message) {
            super(message);
        }
    }
}
