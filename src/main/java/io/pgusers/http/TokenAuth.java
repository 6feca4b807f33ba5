package io.pgusers.http;

import io.pgusers.core.Failure;
import io.pgusers.core.PgUsersException;
import io.pgusers.core.SecretFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;

/**
 * The API's one credential: a bearer token, from {@code --token-file} or {@code PGUSERS_API_TOKEN}.
 * Only its SHA-256 digest is kept, and a presented token is compared digest to digest with
 * {@link MessageDigest#isEqual}, in constant time: neither its content nor its length shows in the timing.
 */
public final class TokenAuth {
    /** The environment variable that holds the token when no file is named. */
    public static final String ENV = "PGUSERS_API_TOKEN";
    static final int MIN_LENGTH = 32;
    /**
     * A token of 32 characters drawn from few letters ("aaaa...", "abab...") is no secret: at least 10 different
     * ones. Not 16: the 64 hex digits of {@code openssl rand -hex 32}, the token the messages suggest, hold all 16
     * digits only three times in four; 10 or more, all but once in 10^12.
     */
    static final int MIN_DISTINCT = 10;
    private static final String SCHEME = "Bearer ";

    private final byte[] digest;

    private TokenAuth(String token) {
        this.digest = sha256(token);
    }

    /**
     * The token of {@code file} (its first line) when given, else of {@value #ENV}; the agent refuses to
     * start without one, or with one too short to resist guessing.
     */
    public static TokenAuth load(Path file, Map<String, String> env) {
        String token;
        String origin;
        if (file != null) {
            SecretFile.requireOwnerOnly(file, "the API token");
            try {
                String text = Files.readString(file, StandardCharsets.UTF_8);
                int newline = text.indexOf('\n');
                token = (newline >= 0 ? text.substring(0, newline) : text).strip();
            } catch (IOException e) {
                throw PgUsersException.invalid("could not read the API token from " + file + ": " + e.getMessage());
            }
            origin = file.toString();
        } else {
            token = env.getOrDefault(ENV, "").strip();
            origin = ENV;
        }
        if (token.isEmpty()) {
            throw PgUsersException.invalid("serve needs an API token: put one in a file named by --token-file, "
                    + "or in " + ENV + " (make one with: openssl rand -hex 32)");
        }
        long distinct = token.chars().distinct().count();
        if (token.length() < MIN_LENGTH || distinct < MIN_DISTINCT) {
            throw new PgUsersException(Failure.INVALID_INPUT, "the API token from " + origin + " has "
                    + token.length() + " characters, " + distinct + " of them different; use at least " + MIN_LENGTH
                    + ", with at least " + MIN_DISTINCT + " different ones: a random one (openssl rand -hex 32)");
        }
        return new TokenAuth(token);
    }

    /** Whether an {@code Authorization} header value carries the token. */
    boolean accepts(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return false;
        }
        return MessageDigest.isEqual(digest, sha256(authorization.substring(SCHEME.length()).strip()));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "TokenAuth[****]";
    }
}
