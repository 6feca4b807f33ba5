package io.pgusers.plan;

import io.pgusers.core.Access;
import io.pgusers.core.GroupRoles;
import io.pgusers.core.Promise;
import io.pgusers.sql.SqlFile;
import io.pgusers.sql.SqlTemplate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The statements pgusers runs on top of the documented ones, rendered from the templates of
 * {@code sql/grants} (see each file for why it is there).
 */
public final class Grants {
    private Grants() {
    }

    /** {@code group-role.sql}: creates one of the database's two group roles. */
    public static List<Statement> groupRole(String database, GroupRoles groups, Access access) {
        return render("grants/group-role.sql", Map.of("group", groups.of(access),
                "promise", Promise.of(database, Promise.Standing.group(access)).comment(Optional.empty())));
    }

    /** {@code promise.sql}: the role's promise, with the comment it had before after it. */
    public static Statement promise(String role, Promise promise, Optional<String> kept) {
        return render("grants/promise.sql", Map.of("role", role, "promise", promise.comment(kept))).get(0);
    }

    /**
     * What a database needs before its first user: the groups that are missing ({@code group-role.sql}),
     * their privileges on the database ({@code groups-access.sql}), and the default privileges of the
     * writers' group itself ({@code writer-defaults.sql}).
     */
    public static List<Statement> databaseGroups(String database, GroupRoles groups, Set<Access> missing) {
        List<Statement> statements = new ArrayList<>();
        for (Access access : List.of(Access.READ_ONLY, Access.READ_WRITE)) {
            if (missing.contains(access)) {
                statements.addAll(groupRole(database, groups, access));
            }
        }
        statements.addAll(render("grants/groups-access.sql",
                Map.of("database", database, "readers", groups.readers(), "writers", groups.writers())));
        statements.addAll(writerDefaults(groups, groups.writers()));
        return statements;
    }

    /** {@code schema-access.sql}: the groups' access to a schema and to what it holds already. */
    public static List<Statement> schemaAccess(GroupRoles groups, String schema) {
        return render("grants/schema-access.sql",
                Map.of("schema", schema, "readers", groups.readers(), "writers", groups.writers()));
    }

    /** {@code writer-defaults.sql}: what every object {@code writer} creates later grants the groups. */
    public static List<Statement> writerDefaults(GroupRoles groups, String writer) {
        return writerDefaults(groups, List.of(writer));
    }

    /** As {@link #writerDefaults(GroupRoles, String)}, for several writers at once ({@code FOR ROLE "a", "b"}). */
    static List<Statement> writerDefaults(GroupRoles groups, List<String> writers) {
        return renderLists("grants/writer-defaults.sql",
                Map.of("writer", writers, "readers", List.of(groups.readers()), "writers", List.of(groups.writers())));
    }

    /**
     * What a user gets on top of the documented statements of its access level: membership of its group
     * ({@code read-only-extra.sql} or {@code read-write-extra.sql}), and for a writer its default privileges.
     */
    public static List<Statement> userExtra(GroupRoles groups, Access access, String user) {
        return userExtra(groups, access, List.of(user));
    }

    /** As {@link #userExtra(GroupRoles, Access, String)}, for several users of one access level at once. */
    static List<Statement> userExtra(GroupRoles groups, Access access, List<String> users) {
        List<Statement> statements = new ArrayList<>(renderLists("grants/" + access.label() + "-extra.sql",
                Map.of("username", users, "readers", List.of(groups.readers()), "writers", List.of(groups.writers()))));
        if (access == Access.READ_WRITE) {
            statements.addAll(writerDefaults(groups, users));
        }
        return statements;
    }

    /** The statements of a file of {@code sql/}, its placeholders filled: the one way plans read SQL files. */
    static List<Statement> render(String file, Map<String, String> values) {
        return SqlTemplate.render(SqlFile.of(file), values).stream().map(Statement::of).toList();
    }

    /** As {@link #render}, a placeholder filled with several names where the file has one. */
    static List<Statement> renderLists(String file, Map<String, List<String>> values) {
        return SqlTemplate.renderLists(SqlFile.of(file), values).stream().map(Statement::of).toList();
    }
}
