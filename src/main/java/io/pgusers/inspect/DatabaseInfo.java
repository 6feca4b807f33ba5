package io.pgusers.inspect;

/** An application database and the role that owns it: the {@code <database>} of the documented statements. */
public record DatabaseInfo(String name, String owner, boolean ownerIsSuperuser) {
}
