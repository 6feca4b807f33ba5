package io.pgusers.http;

import io.pgusers.core.Password;
import io.pgusers.core.PgUsersException;
import java.util.Arrays;

/** The platform's rule for a new password given twice, as its CLI prompt applies it. */
final class NewPassword {
    private NewPassword() {
    }

    /**
     * Both absent or empty: a generated password (to show once). Otherwise the two must match, then follow
     * the password rules (422 when not). Takes ownership of both arrays and wipes them.
     */
    static Password from(char[] password, char[] confirmation) {
        char[] first = password == null ? new char[0] : password;
        char[] second = confirmation == null ? new char[0] : confirmation;
        try {
            if (first.length == 0 && second.length == 0) {
                return Password.generate();
            }
            if (!Arrays.equals(first, second)) {
                throw PgUsersException.invalid("Password confirmation doesn't match");
            }
            return Password.of(Arrays.copyOf(first, first.length));
        } finally {
            Arrays.fill(first, '\0');
            Arrays.fill(second, '\0');
        }
    }
}
