package io.pgusers.testing;

/** Fresh, valid user names and passwords for tests: roles are cluster-wide, so each test makes its own. */
public final class Names {
    private Names() {
    }

    /** A valid user name, {@code prefix_xxxxxxxx}. */
    public static String user(String prefix) {
        return prefix + "_" + PgServer.randomToken(8);
    }

    /** A valid password of 32 characters. */
    public static String password() {
        return "Pw_" + PgServer.randomToken(29);
    }
}
