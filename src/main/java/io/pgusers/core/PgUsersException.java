package io.pgusers.core;

/**
 * A failure with a message meant for the user, in the platform's words. Never carries a password.
 */
public final class PgUsersException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final Failure failure;

    public PgUsersException(Failure failure, String message) {
        super(message);
        this.failure = failure;
    }

    public PgUsersException(Failure failure, String message, Throwable cause) {
        super(message, cause);
        this.failure = failure;
    }

    public Failure failure() {
        return failure;
    }

    public static PgUsersException invalid(String message) {
        return new PgUsersException(Failure.INVALID_INPUT, message);
    }

    public static PgUsersException unknownUser(UserName name) {
        return new PgUsersException(Failure.UNKNOWN_USER, "User \"" + name + "\" does not exist");
    }

    public static PgUsersException alreadyExists(UserName name) {
        return new PgUsersException(Failure.ALREADY_EXISTS, "User \"" + name + "\" already exists");
    }

    public static PgUsersException refused(String message) {
        return new PgUsersException(Failure.REFUSED, message);
    }
}
