package io.pgusers.inspect;

import io.pgusers.sql.Queries;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the state of the instance from the catalogs into plain records, with the queries of
 * {@code sql/queries}. Reads only: it never changes anything. Queries about the current database
 * ({@link #users}, {@link #role}, the ACLs) need a connection to the application database; the others
 * read shared catalogs and run on any.
 */
public final class Inspector {
    /** The most names that {@link #roleInfos} reads in one round trip. */
    public static final int ROLES_AT_ONCE = 3;

    private final Connection connection;

    public Inspector(Connection connection) {
        this.connection = connection;
    }

    public AgentRole agentRole() throws SQLException {
        return Queries.one(connection, "queries/connecting-role.sql",
                        rs -> new AgentRole(rs.getString("name"), rs.getBoolean("is_superuser"), rs.getInt("server_version_num")))
                .orElseThrow(() -> new SQLException("the current role is not in pg_roles"));
    }

    public Optional<DatabaseInfo> database(String name) throws SQLException {
        return Queries.one(connection, "queries/database.sql",
                rs -> new DatabaseInfo(rs.getString("name"), rs.getString("owner"), rs.getBoolean("owner_is_superuser"),
                        rs.getBoolean("allows_connections"), new PromiseRow(rs.getString("owner"), rs.getString("owner_comment"),
                        strings(rs, "owner_administered_by")).promise()),
                name);
    }

    /** Every role whose comment starts like a promise of pgusers ({@code promises.sql}): shared catalogs. */
    public List<PromiseRow> promises() throws SQLException {
        return Queries.list(connection, "queries/promises.sql", rs -> new PromiseRow(rs.getString("name"),
                rs.getString("comment"), strings(rs, "administered_by")));
    }

    /**
     * The users of the current database, protected flags aside (those come with the promises): its login
     * roles, and {@code beingDeleted} (roles whose delete was cut short, which have lost their LOGIN).
     */
    public List<UserRow> users(List<String> beingDeleted) throws SQLException {
        return users(null, beingDeleted);
    }

    /** One user of the current database, when it is one (a login role that may connect, not ours to skip). */
    public Optional<UserRow> user(String name) throws SQLException {
        return users(name, List.of(name)).stream().findFirst();
    }

    private List<UserRow> users(String only, List<String> beingDeleted) throws SQLException {
        return Queries.list(connection, "queries/database-users.sql", rs -> new UserRow(rs.getString("name"),
                rs.getBoolean("owns_database"), rs.getBoolean("owns_a_database"), rs.getString("password_encryption")),
                beingDeleted.toArray(String[]::new), only, only);
    }

    public Optional<RoleInfo> role(String name) throws SQLException {
        return Optional.ofNullable(roleInfos(List.of(name)).get(name));
    }

    /** Those of {@code names} (at most {@link #ROLES_AT_ONCE}) that are roles, by name, in one round trip ({@code roles.sql}). */
    public Map<String, RoleInfo> roleInfos(List<String> names) throws SQLException {
        if (names.size() > ROLES_AT_ONCE) {
            throw new IllegalArgumentException("roles.sql reads at most " + ROLES_AT_ONCE + " roles at once");
        }
        // padded with names of no role, not nulls: parameters of one type each time keep the server's prepared statement
        Object[] parameters = new Object[ROLES_AT_ONCE];
        Arrays.fill(parameters, "");
        System.arraycopy(names.toArray(), 0, parameters, 0, names.size());
        Map<String, RoleInfo> found = new LinkedHashMap<>();
        Queries.list(connection, "queries/roles.sql", rs -> new RoleInfo(rs.getString("name"),
                rs.getBoolean("is_superuser"), rs.getBoolean("can_login"), rs.getBoolean("is_agent"),
                rs.getBoolean("can_connect"), strings(rs, "privileges_beyond"), Optional.ofNullable(rs.getString("comment")),
                strings(rs, "administered_by"), strings(rs, "owned_databases")), parameters)
                .forEach(role -> found.put(role.name(), role));
        return found;
    }

    /** Those of {@code names} that are databases of the instance. */
    public List<String> existingDatabases(List<String> names) throws SQLException {
        return Queries.list(connection, "queries/existing-databases.sql", rs -> rs.getString("name"),
                (Object) names.toArray(String[]::new));
    }

    /** Those of {@code names} that are roles of the instance. */
    public List<String> existingRoles(List<String> names) throws SQLException {
        return Queries.list(connection, "queries/existing-roles.sql", rs -> rs.getString("name"),
                (Object) names.toArray(String[]::new));
    }

    /** The schemas of the current database that {@code role} owns. */
    public List<String> schemasOwnedBy(String role) throws SQLException {
        return Queries.list(connection, "queries/owned-schemas.sql", rs -> rs.getString("name"), role);
    }

    /** Whether PUBLIC may CREATE in schema public of the current database. */
    public boolean publicSchemaOpenToAll() throws SQLException {
        return Queries.one(connection, "queries/public-schema-open.sql", rs -> rs.getBoolean("open_to_public")).orElse(false);
    }

    /** The other databases where the role owns objects or holds privileges. */
    public List<String> otherDatabasesDependingOn(String role) throws SQLException {
        return Queries.list(connection, "queries/role-databases.sql", rs -> rs.getString("name"), role);
    }

    /** Every ACL of the current database, each grantee in full ({@code privilege-acls.sql}). */
    public List<AclRow> acls() throws SQLException {
        return acls(null);
    }

    /**
     * Every ACL of the current database, with PUBLIC and {@code grantees} only (all of them when null): what a
     * few roles' powers depend on, without every other user's entries.
     */
    public List<AclRow> acls(Collection<String> grantees) throws SQLException {
        String[] names = grantees == null ? null : grantees.toArray(String[]::new);
        List<RawAclRow> raw = withParallelQuery(() -> Queries.list(connection, "queries/privilege-acls.sql", rs -> new RawAclRow(
                new AclRow(rs.getString("object_type"), rs.getString("relkind"), rs.getString("schema_name"),
                        rs.getString("owner"), strings(rs, "names"), List.of(), rs.getString("column_name"),
                        rs.getBoolean("in_extension"), strings(rs, "grantees"), strings(rs, "privileges")),
                strings(rs, "object_ids"), strings(rs, "owned_by")), names, names));
        // the query names a sequence's table by its oid: the table is among the rows
        Map<String, String> tableNames = new HashMap<>();
        for (RawAclRow row : raw) {
            for (int i = 0; i < row.ids().size(); i++) {
                tableNames.put(row.ids().get(i), row.acl().names().get(i));
            }
        }
        List<AclRow> rows = new ArrayList<>(raw.size());
        for (RawAclRow row : raw) {
            AclRow acl = row.acl();
            if (row.ownedBy().isEmpty()) {
                rows.add(acl);
                continue;
            }
            List<String> ownedBy = row.ownedBy().stream().map(id -> id.isEmpty() ? "" : tableNames.getOrDefault(id, "")).toList();
            rows.add(new AclRow(acl.objectType(), acl.relkind(), acl.schema(), acl.owner(), acl.names(), ownedBy,
                    acl.column(), acl.inExtension(), acl.grantees(), acl.privileges()));
        }
        return rows;
    }

    /**
     * {@code read} in a transaction of its own where parallel plans are encouraged
     * ({@code encourage-parallel-query.sql}): the settings end with it, whatever happens. On a connection already
     * in a transaction (none of pgusers' own), {@code read} runs as it is, the caller's settings untouched.
     */
    private <T> T withParallelQuery(Read<T> read) throws SQLException {
        if (!connection.getAutoCommit()) {
            return read.run();
        }
        connection.setAutoCommit(false);
        try {
            Queries.one(connection, "queries/encourage-parallel-query.sql", rs -> true);
            T result = read.run();
            connection.commit();
            connection.setAutoCommit(true);
            return result;
        } catch (Throwable e) {
            try {
                connection.rollback();
                connection.setAutoCommit(true);
            } catch (SQLException | RuntimeException f) {
                e.addSuppressed(f); // the read's own failure is the one to report (its SQLState decides a retry)
            }
            throw e;
        }
    }

    @FunctionalInterface
    private interface Read<T> {
        T run() throws SQLException;
    }

    /** A row of privilege-acls.sql as read: tables' oids, and the oid of the table that owns each sequence. */
    private record RawAclRow(AclRow acl, List<String> ids, List<String> ownedBy) {
    }

    /** {@code roles} and every role they reach through memberships, with attributes and direct memberships. */
    public List<RoleRow> roles(List<String> roles) throws SQLException {
        return Queries.list(connection, "queries/privilege-roles.sql", rs -> {
            List<String> memberOf = strings(rs, "member_of");
            List<String> grantors = strings(rs, "grantors");
            List<Boolean> inherits = booleans(rs, "member_inherits");
            List<Boolean> sets = booleans(rs, "member_sets");
            List<Boolean> admins = booleans(rs, "member_admins");
            List<RoleRow.Membership> memberships = new ArrayList<>();
            for (int i = 0; i < memberOf.size(); i++) {
                memberships.add(new RoleRow.Membership(memberOf.get(i), grantors.get(i), inherits.get(i), sets.get(i),
                        admins.get(i)));
            }
            List<String> memberNames = strings(rs, "members");
            List<String> memberGrantors = strings(rs, "member_grantors");
            List<RoleRow.Membership> members = new ArrayList<>();
            for (int i = 0; i < memberNames.size(); i++) {
                members.add(new RoleRow.Membership(memberNames.get(i), memberGrantors.get(i), true));
            }
            return new RoleRow(rs.getString("name"), rs.getBoolean("is_superuser"), rs.getBoolean("can_create_db"),
                    rs.getBoolean("can_create_role"), rs.getBoolean("can_replicate"), rs.getBoolean("bypasses_rls"),
                    rs.getBoolean("inherits"), rs.getBoolean("can_login"), memberships, members);
        }, (Object) roles.toArray(String[]::new));
    }

    private static List<Boolean> booleans(ResultSet rs, String column) throws SQLException {
        Array array = rs.getArray(column);
        return array == null ? List.of() : Arrays.stream((Boolean[]) array.getArray()).map(Boolean.TRUE::equals).toList();
    }

    private static List<String> strings(ResultSet rs, String column) throws SQLException {
        Array array = rs.getArray(column);
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }
}
