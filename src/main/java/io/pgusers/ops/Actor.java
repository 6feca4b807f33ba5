package io.pgusers.ops;

/**
 * Who asked for an operation, as the audit trail records it: the OS user of a CLI call, or an API
 * caller and its address.
 */
public record Actor(String name, String address) {

    public static Actor osUser() {
        return new Actor(System.getProperty("user.name", "unknown"), null);
    }
}
