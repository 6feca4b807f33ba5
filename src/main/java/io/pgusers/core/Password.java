package io.pgusers.core;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import org.postgresql.util.PasswordUtil;

/**
 * A password that follows the platform's rules: 24 to 64 characters, neither {@code "} nor {@code '}, and no
 * control characters. Held as a {@code char[]} that {@link #close()} wipes; {@link #toString()} never shows it.
 */
public final class Password implements AutoCloseable {
    public static final int MIN_LENGTH = 24;
    public static final int MAX_LENGTH = 64;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final char[] chars;
    private final boolean generated;

    private Password(char[] chars, boolean generated) {
        this.chars = chars;
        this.generated = generated;
    }

    /**
     * Validates and takes ownership of {@code chars}: the caller must not use the array afterwards. On a
     * validation failure the array is wiped too.
     */
    public static Password of(char[] chars) {
        try {
            validate(chars);
        } catch (PgUsersException e) {
            Arrays.fill(chars, '\0');
            throw e;
        }
        return new Password(chars, false);
    }

    /**
     * The platform's rule for a new password typed twice: both empty means generated; otherwise the two
     * must match, then follow the rules. Wipes both arrays.
     */
    public static Password confirmed(char[] password, char[] confirmation) {
        char[] first = password == null ? new char[0] : password;
        char[] second = confirmation == null ? new char[0] : confirmation;
        try {
            if (first.length == 0 && second.length == 0) {
                return generate();
            }
            if (!Arrays.equals(first, second)) {
                throw PgUsersException.invalid("Password confirmation doesn't match");
            }
            return of(Arrays.copyOf(first, first.length));
        } finally {
            Arrays.fill(first, '\0');
            Arrays.fill(second, '\0');
        }
    }

    /** 64 characters of letters, digits and {@code _} from {@link SecureRandom}, as the platform makes them. */
    public static Password generate() {
        byte[] bytes = new byte[48];
        RANDOM.nextBytes(bytes);
        byte[] encoded = Base64.getEncoder().encode(bytes);
        Arrays.fill(bytes, (byte) 0);
        char[] chars = new char[encoded.length];
        for (int i = 0; i < encoded.length; i++) {
            char c = (char) encoded[i];
            chars[i] = (c == '+' || c == '/') ? '_' : c;
        }
        Arrays.fill(encoded, (byte) 0);
        return new Password(chars, true);
    }

    private static void validate(char[] chars) {
        String problem = problem(chars);
        if (problem != null) {
            throw PgUsersException.invalid(problem);
        }
    }

    /** The first of the platform's rules that {@code chars} breaks, as its message; null when it keeps them all. */
    public static String problem(char[] chars) {
        for (int i = 0; i < chars.length; i++) {
            // a lone half of a surrogate pair is not a character: the server would get another password
            boolean paired = Character.isHighSurrogate(chars[i]) && i + 1 < chars.length
                    && Character.isLowSurrogate(chars[i + 1]);
            if (paired) {
                i++;
            } else if (Character.isSurrogate(chars[i])) {
                return "Password must be valid Unicode text (it holds half a character)";
            }
        }
        int length = Character.codePointCount(chars, 0, chars.length);
        if (length < MIN_LENGTH || length > MAX_LENGTH) {
            return "Password must contain between 24 and 64 characters";
        }
        for (char c : chars) {
            if (c == '"' || c == '\'') {
                return "Password must not contain the character \" or '";
            }
            if (Character.isISOControl(c)) {
                return "Password must not contain control characters";
            }
        }
        return null;
    }

    /** The characters themselves: for computing a verifier or for showing a generated password once. */
    public char[] chars() {
        return chars;
    }

    /**
     * The SCRAM-SHA-256 verifier of this password, computed here on the client (pgjdbc's
     * {@code PasswordUtil}, 4096 iterations, random salt): what is sent to the server instead of the
     * password. pgjdbc wipes the array it is given, so it gets a copy.
     */
    public String scramVerifier() {
        return PasswordUtil.encodeScramSha256(Arrays.copyOf(chars, chars.length));
    }

    /**
     * The same verifier, computed on a thread of its own while the caller goes on: for an operation that has
     * round trips to make before it needs it.
     */
    public PendingVerifier scramVerifierInBackground() {
        return new PendingVerifier(chars);
    }

    /** Whether pgusers made this password (and so must show it once). */
    public boolean generated() {
        return generated;
    }

    @Override
    public void close() {
        Arrays.fill(chars, '\0');
    }

    @Override
    public String toString() {
        return "Password[****]";
    }
}
