package io.pgusers.ops;

import io.pgusers.core.Password;

/**
 * What {@code provision} did to an application database.
 *
 * @param outcome  {@link Outcome#CREATED}, {@link Outcome#ADOPTED} or {@link Outcome#UNCHANGED}
 * @param password the protected user's generated password when pgusers created that user, else null;
 *                 the caller shows it once, then closes it
 * @param closedPublicSchemaIn the databases (postgres, template1) where provision took CREATE on schema
 *                 public away from PUBLIC, as PostgreSQL 15 does by default; usually empty
 */
public record ProvisionResult(String database, String owner, Outcome outcome, Password password,
                              java.util.List<String> closedPublicSchemaIn) {

    public ProvisionResult {
        closedPublicSchemaIn = java.util.List.copyOf(closedPublicSchemaIn);
    }

    public enum Outcome {
        /** pgusers created the protected user (and the database, if it was missing). */
        CREATED,
        /** The database already had a non-superuser owner: it became the protected user. */
        ADOPTED,
        /** A provision cut short is finished; the protected user has a new password, shown once. */
        FINISHED,
        /** Already provisioned: nothing changed (but schema public of postgres and template1, if open). */
        UNCHANGED
    }
}
