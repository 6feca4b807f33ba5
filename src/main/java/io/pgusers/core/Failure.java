package io.pgusers.core;

/**
 * Why an operation did not succeed. Each kind has one exit code (the CLI) and one HTTP status (the API):
 * this enum is the one place where they are decided.
 */
public enum Failure {
    /** The server could not be reached, refused the login, or failed a statement. */
    DATABASE(1, 503),
    /** A bad name, a bad password, a bad option: nothing was sent to the server. */
    INVALID_INPUT(2, 422),
    /** The named user does not exist in this database. */
    UNKNOWN_USER(3, 404),
    /**
     * The protected user, a superuser, the agent's own role, a {@code pg_*} role, a role whose power reaches
     * beyond the database; or what the database cannot take (one more user, when a table's privileges are full).
     */
    REFUSED(4, 403),
    /** The user (or the provisioned database) is already there. */
    ALREADY_EXISTS(5, 409),
    /** The application database does not exist, or (for the API) pgusers did not provision it. Exit 1, as any
     * failure to reach the database (the CLI reports it like a connection to an unknown database). */
    UNKNOWN_DATABASE(1, 404),
    /**
     * {@code check} found users whose real access differs from what they were promised. Not an error of the
     * request: the differences are the answer, on standard output (CLI) or in the body (API). 409 Conflict,
     * "the state of the resource conflicts with what it should be", lets a probe alert on it as a shell
     * alerts on exit code 6.
     */
    DRIFT(6, 409);

    private final int exitCode;
    private final int httpStatus;

    Failure(int exitCode, int httpStatus) {
        this.exitCode = exitCode;
        this.httpStatus = httpStatus;
    }

    public int exitCode() {
        return exitCode;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
