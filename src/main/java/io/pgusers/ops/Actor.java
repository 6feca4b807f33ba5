package io.pgusers.ops;

/**
 * Who asked for an operation, as the audit trail records it: the OS user of a CLI call, or an API
 * caller and its address.
 */
public record Actor(String name, String address) {

    public static Actor osUser() {
        return new Actor(System.getProperty("user.name", "unknown"), null);
    }

    /**
     * The OS user, and under {@code sudo} the person behind it ({@code root (sudo by alice)}): sudo sets
     * {@code SUDO_USER}. It is what the caller's environment says, recorded beside the OS user, not instead.
     */
    public static Actor osUser(java.util.Map<String, String> environment) {
        String os = System.getProperty("user.name", "unknown");
        String sudoUser = environment.get("SUDO_USER");
        boolean bySudo = sudoUser != null && !sudoUser.isBlank() && !sudoUser.equals(os);
        return new Actor(bySudo ? os + " (sudo by " + sudoUser + ")" : os, null);
    }
}
