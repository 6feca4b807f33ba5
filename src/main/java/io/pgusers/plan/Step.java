package io.pgusers.plan;

import java.util.List;

/**
 * Statements run together on one database: in one transaction when {@code transactional}, else each on
 * its own (CREATE DATABASE cannot run in a transaction). {@code database} null means the application
 * database. {@code undo} reverses this step once it has committed, should a later step fail.
 * {@code disconnect}: the connection to that database is closed right after the step (template1: while
 * anyone is connected to it, CREATE DATABASE fails).
 */
public record Step(String database, boolean transactional, List<Statement> statements, List<Statement> undo,
                   boolean disconnect) {

    /** The database where the agent keeps its schema and runs what belongs to no application database. */
    public static final String MAINTENANCE_DATABASE = "postgres";
    /** The database CREATE DATABASE copies. */
    public static final String TEMPLATE_DATABASE = "template1";

    public Step {
        statements = List.copyOf(statements);
        undo = List.copyOf(undo);
    }

    public static Step inApplicationDatabase(List<Statement> statements) {
        return new Step(null, true, statements, List.of(), false);
    }

    public static Step in(String database, List<Statement> statements) {
        return new Step(database, true, statements, List.of(), false);
    }

    public Step undoneBy(Statement... undo) {
        return new Step(database, transactional, statements, List.of(undo), disconnect);
    }

    public Step outsideTransaction() {
        return new Step(database, false, statements, undo, disconnect);
    }

    public Step thenDisconnect() {
        return new Step(database, transactional, statements, undo, true);
    }
}
