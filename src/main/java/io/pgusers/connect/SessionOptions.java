package io.pgusers.connect;

import java.time.Duration;

/**
 * The settings every session of the agent starts with, whatever the database or the role settings say.
 *
 * <p>They travel in the startup packet ({@code options}, as {@code PGOPTIONS} would), which outranks
 * {@code ALTER DATABASE ... SET} and {@code ALTER ROLE ... SET}: the owner of an application database is a
 * customer, and may set the defaults of its database to anything a non-superuser may set. So, on every
 * connection the agent opens (one-shot commands, the service's pools, the sandbox, Flyway):
 * <ul>
 *   <li>{@code search_path=pg_catalog,pg_temp}: no function, operator, type or cast the agent's SQL names
 *       is ever looked up in a schema that a user can write (PostgreSQL's "secure schema usage pattern");
 *       {@code pg_temp} last, where nobody but the session itself creates anything;</li>
 *   <li>{@code role=none}: the session acts as the role it logged in as, never as a role a database
 *       default ({@code ALTER DATABASE app SET role = ...}) would make it;</li>
 *   <li>{@code standard_conforming_strings=on}: the one quoting rule of {@code Sql.literal} holds;</li>
 *   <li>{@code lock_timeout}: no statement waits for a lock longer than this; past it, it fails with
 *       SQLSTATE 55P03 and its transaction rolls back;</li>
 *   <li>{@code jit=off}: the catalog queries are short, and compiling them would cost more than running
 *       them (the query of every ACL passes jit_above_cost on a large database: a few hundred ms more);</li>
 *   <li>for the service's pooled sessions only ({@code neverSampled}), {@code log_transaction_sample_rate=0}:
 *       none of their transactions is ever logged whole, those that carry a password verifier included, for
 *       the session's whole life (a startup option is also what {@code RESET} and {@code DISCARD ALL} go
 *       back to). Superuser only: a login of another role with it is refused. A one-shot session sets it
 *       around such a transaction instead (see {@code Executor}).</li>
 * </ul>
 */
record SessionOptions(Duration lockTimeout, boolean neverSampled) {
    /** How long a statement waits for a lock unless told otherwise: a few seconds. */
    static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(5);
    static final SessionOptions DEFAULT = new SessionOptions(DEFAULT_LOCK_TIMEOUT, false);

    SessionOptions {
        if (lockTimeout.isNegative() || lockTimeout.isZero()) {
            throw new IllegalArgumentException("the lock timeout must be more than 0 (an unbounded wait is what it prevents)");
        }
    }

    /** The {@code options} startup parameter: {@code -c name=value} pairs, without spaces to escape. */
    String startupOptions() {
        return "-c search_path=pg_catalog,pg_temp -c role=none -c standard_conforming_strings=on"
                + " -c jit=off -c lock_timeout=" + lockTimeout.toMillis()
                + (neverSampled ? " -c log_transaction_sample_rate=0" : "");
    }
}
