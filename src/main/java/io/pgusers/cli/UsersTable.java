package io.pgusers.cli;

import io.pgusers.core.DatabaseUser;
import java.util.List;

/** The users table as the platform's CLI prints it (see {@link TextTable} for the style). */
final class UsersTable {
    private static final List<String> HEADERS = List.of("USERNAME", "READ-ONLY", "PROTECTED", "PASSWORD ENCRYPTION");

    private UsersTable() {
    }

    static String render(List<DatabaseUser> users) {
        return TextTable.render(HEADERS, users.stream().map(UsersTable::cells).toList());
    }

    private static List<String> cells(DatabaseUser user) {
        return List.of(
                user.beingDeleted() ? user.name() + " (being deleted)" : user.name(),
                Boolean.toString(user.readOnly()),
                Boolean.toString(user.isProtected()),
                user.passwordEncryption() == null ? "NONE" : user.passwordEncryption());
    }
}
