package io.pgusers.ops;

import io.pgusers.core.DatabaseUser;

/** The user after {@code create}; {@code created} is false when it was already there ({@code --if-not-exists}). */
public record CreateResult(DatabaseUser user, boolean created) {
}
