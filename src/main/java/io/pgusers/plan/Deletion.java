package io.pgusers.plan;

import io.pgusers.core.Promise;
import io.pgusers.core.UserName;
import java.util.Map;
import java.util.Optional;

/**
 * What a delete starts from.
 *
 * @param target              the application database
 * @param user                the role to delete
 * @param start               whether this delete begins, or finishes one that was cut short
 * @param marked              the promise the role carries while it is deleted
 * @param comment             the role's comment before this delete began, given back should it fail
 * @param otherDatabaseOwners the other databases where it owns objects or holds privileges, each with its owner
 */
public record Deletion(Target target, UserName user, Start start, Promise marked, Optional<String> comment,
                       Map<String, String> otherDatabaseOwners) {

    /** A delete begins, or goes on with one a kill or a lost connection cut short. */
    public enum Start {
        BEGIN, RESUME
    }

    public Deletion {
        otherDatabaseOwners = Map.copyOf(otherDatabaseOwners);
    }
}
