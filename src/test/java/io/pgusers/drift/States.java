package io.pgusers.drift;

import io.pgusers.core.Access;
import io.pgusers.core.GroupRoles;
import io.pgusers.inspect.AclRow;
import io.pgusers.inspect.RoleRow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds {@link DatabaseState}s by hand, as the catalogs would return them, for tests without a server.
 * ACLs are written {@code "own=ALL; app-readers=SELECT; PUBLIC=USAGE"}; ALL is every privilege of the type.
 */
final class States {
    static final String DB = "app";
    static final String OWNER = "own";
    static final GroupRoles GROUPS = GroupRoles.of(DB);
    static final String READERS = GROUPS.readers();
    static final String WRITERS = GROUPS.writers();

    final int major;
    final Map<String, Access> promised = new LinkedHashMap<>();
    final Map<String, RoleRow> roles = new LinkedHashMap<>();
    final List<AclRow> acls = new ArrayList<>();

    States(int major) {
        this.major = major;
    }

    /**
     * A database as pgusers leaves it: owner {@code own}, read-write {@code w1} and {@code w2}, read-only
     * {@code r1} and {@code r2}; schema public and schema {@code ws} of w1; a table and a sequence of the
     * owner in public, a table of w1 in ws, a view of w2 in ws; every writer's default privileges.
     */
    static States healthy(int major) {
        States s = new States(major);
        s.groupRole(READERS).groupRole(WRITERS);
        s.user(OWNER, Access.READ_WRITE).user("w1", Access.READ_WRITE).user("w2", Access.READ_WRITE)
                .user("r1", Access.READ_ONLY).user("r2", Access.READ_ONLY);
        s.database("PUBLIC=CONNECT,TEMPORARY; own=ALL; " + WRITERS + "=ALL; " + READERS + "=CONNECT");
        String publicOwner = major >= 15 ? "pg_database_owner" : "postgres";
        s.schema("public", publicOwner, publicOwner + "=ALL; PUBLIC=USAGE; " + READERS + "=USAGE; " + WRITERS + "=ALL");
        s.schema("ws", "w1", "w1=ALL; " + READERS + "=USAGE; " + WRITERS + "=ALL");
        s.table("public", "t1", OWNER, granted(OWNER));
        s.sequence("public", "t1_id_seq", OWNER, granted(OWNER));
        s.table("ws", "t2", "w1", granted("w1"));
        s.relation("table", "v", "ws", "v2", "w2", granted("w2"));
        for (String writer : List.of(OWNER, "w1", "w2", WRITERS)) {
            s.writerDefaults(writer);
        }
        return s;
    }

    /** The ACL writer-defaults.sql gives a new object of {@code owner}. */
    static String granted(String owner) {
        return owner + "=ALL; " + READERS + "=SELECT; " + WRITERS + "=ALL";
    }

    States writerDefaults(String writer) {
        defaults(writer, null, "table", granted(writer));
        defaults(writer, null, "sequence", granted(writer));
        defaults(writer, null, "schema", writer + "=ALL; " + READERS + "=USAGE; " + WRITERS + "=ALL");
        return this;
    }

    States groupRole(String name) {
        roles.put(name, new RoleRow(name, false, false, false, false, false, true, false, List.of()));
        return this;
    }

    /** A managed user, member of its group. */
    States user(String name, Access access) {
        promised.put(name, access);
        roles.put(name, new RoleRow(name, false, false, false, false, false, true, true,
                List.of(new RoleRow.Membership(GROUPS.of(access), "postgres", true))));
        return this;
    }

    States role(RoleRow row) {
        roles.put(row.name(), row);
        return this;
    }

    RoleRow roleRow(String name) {
        return roles.get(name);
    }

    States database(String acl) {
        acls.removeIf(r -> r.objectType().equals("database"));
        acls.add(row("database", null, null, OWNER, List.of(DB), null, acl, ObjectType.DATABASE));
        return this;
    }

    States schema(String name, String owner, String acl) {
        acls.removeIf(r -> r.objectType().equals("schema") && r.names().get(0).equals(name));
        acls.add(row("schema", null, name, owner, List.of(name), null, acl, ObjectType.SCHEMA));
        return this;
    }

    States table(String schema, String name, String owner, String acl) {
        return relation("table", "r", schema, name, owner, acl);
    }

    States sequence(String schema, String name, String owner, String acl) {
        return relation("sequence", "S", schema, name, owner, acl);
    }

    /** A sequence a column of {@code table} owns (serial or identity: pg_depend deptype 'a' or 'i'). */
    States ownedSequence(String schema, String name, String table, String owner, String acl) {
        relation("sequence", "S", schema, name, owner, acl);
        AclRow row = acls.remove(acls.size() - 1);
        acls.add(new AclRow(row.objectType(), row.relkind(), row.schema(), row.owner(), row.names(), List.of(table),
                row.column(), row.grantees(), row.privileges()));
        return this;
    }

    States relation(String objectType, String relkind, String schema, String name, String owner, String acl) {
        acls.removeIf(r -> (r.objectType().equals("table") || r.objectType().equals("sequence"))
                && schema.equals(r.schema()) && r.names().contains(name));
        ObjectType type = objectType.equals("sequence") ? ObjectType.SEQUENCE : ObjectType.TABLE;
        acls.add(row(objectType, relkind, schema, owner, List.of(name), null, acl, type));
        return this;
    }

    States column(String schema, String table, String column, String owner, String acl) {
        acls.add(row("column", "r", schema, owner, List.of(table), column, acl, ObjectType.TABLE));
        return this;
    }

    /** A pg_default_acl entry; {@code type} table, sequence or schema. */
    States defaults(String creator, String schema, String type, String acl) {
        String objectType = "default " + type;
        acls.removeIf(r -> r.objectType().equals(objectType) && r.owner().equals(creator)
                && java.util.Objects.equals(r.schema(), schema));
        ObjectType t = switch (type) {
            case "table" -> ObjectType.TABLE;
            case "sequence" -> ObjectType.SEQUENCE;
            default -> ObjectType.SCHEMA;
        };
        acls.add(row(objectType, null, schema, creator, List.of(), null, acl, t));
        return this;
    }

    States withoutDefaults(String creator) {
        acls.removeIf(r -> r.objectType().startsWith("default ") && r.owner().equals(creator));
        return this;
    }

    private AclRow row(String objectType, String relkind, String schema, String owner, List<String> names,
                       String column, String acl, ObjectType type) {
        List<String> grantees = new ArrayList<>();
        List<String> privileges = new ArrayList<>();
        for (String entry : acl.split(";")) {
            if (entry.isBlank()) {
                continue;
            }
            String[] parts = entry.strip().split("=", 2);
            grantees.add(parts[0].equals("PUBLIC") ? "" : parts[0]);
            privileges.add(parts[1].equals("ALL")
                    ? String.join(",", type.all(major).stream().map(Enum::name).toList()) : parts[1]);
        }
        return new AclRow(objectType, relkind, schema, owner, names, List.of(), column, grantees, privileges);
    }

    DatabaseState build() {
        return new DatabaseState(major, DB, OWNER, GROUPS, promised, acls, new ArrayList<>(roles.values()));
    }
}
