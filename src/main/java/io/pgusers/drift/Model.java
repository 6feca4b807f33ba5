package io.pgusers.drift;

import io.pgusers.core.Access;
import io.pgusers.core.GroupRoles;
import io.pgusers.inspect.AclRow;
import io.pgusers.inspect.RoleRow;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A {@link DatabaseState} interpreted: objects with their ACLs, roles with their memberships, and who
 * holds what. {@link Repair} changes it statement by statement, the way the server will, so that it can
 * prove its plan leaves nothing to repair.
 */
final class Model {
    /** The predefined role whose privileges the owner of the current database holds implicitly (14+). */
    static final String DATABASE_OWNER_ROLE = "pg_database_owner";

    final int major;
    final String database;
    final String owner;
    final GroupRoles groups;
    /** Managed users that exist, by name. */
    final Map<String, Access> users = new TreeMap<>();
    /** The managed users, the groups and every role they reach, by name. */
    final Map<String, RoleState> roles = new TreeMap<>();
    DbObject databaseObject;
    final List<DbObject> schemas = new ArrayList<>();
    final List<DbObject> relations = new ArrayList<>();
    final List<DefaultEntry> defaults = new ArrayList<>();
    /** Users a delete of which was cut short (not compared otherwise: they are on their way out). */
    final List<String> beingDeleted = new ArrayList<>();
    /** How many large objects each role owns. */
    final Map<String, Long> largeObjects = new TreeMap<>();
    /** The large objects' ACLs, one per owner and ACL: UPDATE writes one. */
    final List<DbObject> largeObjectAcls = new ArrayList<>();
    /**
     * Schemas, tables and sequences of extensions: the extension's business, which check does not compare,
     * but a privilege on one still lets a role write.
     */
    final List<DbObject> extensionObjects = new ArrayList<>();

    private Map<String, Set<String>> effectiveRoles = new HashMap<>();

    private Model(DatabaseState state) {
        this.major = state.major();
        this.database = state.database();
        this.owner = state.owner();
        this.groups = state.groups();
    }

    static Model of(DatabaseState state) {
        Model model = new Model(state);
        model.beingDeleted.addAll(state.beingDeleted());
        for (RoleRow row : state.roles()) {
            model.roles.put(row.name(), new RoleState(row));
        }
        state.promised().forEach((user, access) -> {
            if (model.roles.containsKey(user) && !state.groups().contains(user)) {
                model.users.put(user, access);
            }
        });
        Map<String, DbObject> relationsByName = new HashMap<>();
        Map<DbObject, String> ownedBy = new LinkedHashMap<>();
        List<AclRow> columns = new ArrayList<>();
        for (AclRow row : state.acls()) {
            Acl acl = Acl.of(row.grantees(), row.privileges());
            switch (row.objectType()) {
                case "database" -> model.databaseObject =
                        new DbObject(ObjectType.DATABASE, null, null, row.names().get(0), row.owner(), acl);
                case "schema" -> (row.inExtension() ? model.extensionObjects : model.schemas).add(
                        new DbObject(ObjectType.SCHEMA, null, null, row.names().get(0), row.owner(), acl));
                case "table", "sequence" -> {
                    ObjectType type = row.objectType().equals("table") ? ObjectType.TABLE : ObjectType.SEQUENCE;
                    for (int i = 0; i < row.names().size(); i++) {
                        DbObject relation = new DbObject(type, row.relkind(), row.schema(), row.names().get(i),
                                row.owner(), acl);
                        (row.inExtension() ? model.extensionObjects : model.relations).add(relation);
                        relationsByName.put(relation.qualifiedName(), relation);
                        if (!row.ownedBy().isEmpty() && !row.ownedBy().get(i).isEmpty()) {
                            ownedBy.put(relation, row.ownedBy().get(i));
                        }
                    }
                }
                case "column" -> columns.add(row);
                case "default table" -> model.defaults.add(new DefaultEntry(row.owner(), row.schema(), ObjectType.TABLE, acl));
                case "default sequence" -> model.defaults.add(new DefaultEntry(row.owner(), row.schema(), ObjectType.SEQUENCE, acl));
                case "default schema" -> model.defaults.add(new DefaultEntry(row.owner(), row.schema(), ObjectType.SCHEMA, acl));
                case "large objects" -> {
                    model.largeObjects.merge(row.owner(), Long.parseLong(row.names().get(0)), Long::sum);
                    model.largeObjectAcls.add(new DbObject(ObjectType.LARGE_OBJECT, null, null, row.names().get(0),
                            row.owner(), acl));
                }
                default -> throw new IllegalArgumentException("unknown object type " + row.objectType());
            }
        }
        // the table is in the sequence's schema: PostgreSQL keeps them together
        ownedBy.forEach((sequence, table) -> {
            DbObject owner = relationsByName.get(DbObject.qualify(sequence.schema, table));
            if (owner != null) {
                sequence.ownedBy = owner;
                owner.ownedSequences.add(sequence);
            }
        });
        for (AclRow row : columns) {
            DbObject table = relationsByName.get(DbObject.qualify(row.schema(), row.names().get(0)));
            if (table != null) {
                table.columns.put(row.column(), Acl.of(row.grantees(), row.privileges()));
            }
        }
        if (model.databaseObject == null) {
            throw new IllegalArgumentException("no row for the database itself");
        }
        return model;
    }

    // ---------------------------------------------------------------------------------------------
    // Who is who

    /** The managed users, then the groups that exist: whose access is compared. */
    List<Principal> principals() {
        List<Principal> principals = new ArrayList<>();
        users.forEach((name, access) -> principals.add(new Principal(name, access, false)));
        if (roles.containsKey(groups.readers())) {
            principals.add(new Principal(groups.readers(), Access.READ_ONLY, true));
        }
        if (roles.containsKey(groups.writers())) {
            principals.add(new Principal(groups.writers(), Access.READ_WRITE, true));
        }
        return principals;
    }

    /** The roles whose new objects must carry the promised privileges: read-write users and the writers' group. */
    List<String> creators() {
        List<String> creators = new ArrayList<>();
        users.forEach((name, access) -> {
            if (access == Access.READ_WRITE) {
                creators.add(name);
            }
        });
        if (roles.containsKey(groups.writers())) {
            creators.add(groups.writers());
        }
        return creators;
    }

    boolean isWriter(String role) {
        return users.get(role) == Access.READ_WRITE || groups.writers().equals(role);
    }

    boolean isReader(String role) {
        return users.get(role) == Access.READ_ONLY || groups.readers().equals(role);
    }

    /**
     * Whether the promise covers a schema in full: {@code public}, and every schema a read-write user, the
     * protected user or the writers' group owns.
     */
    boolean inScope(DbObject schemaOrRelation) {
        return switch (schemaOrRelation.type) {
            case DATABASE -> true;
            case SCHEMA -> schemaOrRelation.name.equals("public") || isWriter(schemaOrRelation.owner);
            case TABLE, SEQUENCE -> schemaInScope(schemaOrRelation.schema);
            case LARGE_OBJECT -> false;
        };
    }

    private boolean schemaInScope(String schema) {
        for (DbObject s : schemas) {
            if (s.name.equals(schema)) {
                return inScope(s);
            }
        }
        return schema.equals("public");
    }

    /**
     * Every grantee whose privileges {@code role} holds without SET ROLE: itself, PUBLIC, the roles it
     * inherits through memberships, and pg_database_owner for the database's owner (or a member of it).
     */
    Set<String> effectiveRoles(String role) {
        return effectiveRoles.computeIfAbsent(role, r -> {
            Set<String> reached = new LinkedHashSet<>();
            reached.add(Acl.PUBLIC);
            Deque<String> todo = new ArrayDeque<>(List.of(r));
            while (!todo.isEmpty()) {
                String next = todo.pop();
                if (!reached.add(next)) {
                    continue;
                }
                if (next.equals(owner) && major >= 14) {
                    todo.push(DATABASE_OWNER_ROLE);
                }
                RoleState state = roles.get(next);
                if (state != null) {
                    for (Edge edge : state.memberOf) {
                        if (edge.inherits) {
                            todo.push(edge.role);
                        }
                    }
                }
            }
            return reached;
        });
    }

    /**
     * Every role whose privileges {@code role} can use, at once or after SET ROLE: the {@link #effectiveRoles}
     * of itself and of each role it {@link #canBecome}.
     */
    Set<String> actsWith(String role) {
        Set<String> acts = new LinkedHashSet<>();
        for (String become : canBecome(role)) {
            acts.addAll(effectiveRoles(become));
        }
        return acts;
    }

    /**
     * {@code role} itself and every role it can SET ROLE to, or grant itself and then become. Before 16 that is
     * every role it is a member of, however far (SET ROLE follows any membership); from 16 the chains of
     * memberships with the SET option, starting from itself and from each role on which it, or a role it is
     * a member of by any path, holds the ADMIN OPTION (with it a role grants itself membership).
     */
    Set<String> canBecome(String role) {
        if (major < 16) {
            return reachable(role);
        }
        Deque<String> todo = new ArrayDeque<>(List.of(role));
        for (String member : reachable(role)) {
            RoleState state = roles.get(member);
            if (state != null) {
                state.memberOf.stream().filter(e -> e.admin).forEach(e -> todo.push(e.role));
            }
        }
        return closure(todo, e -> e.set || e.admin);
    }

    /** {@code role} and every role it is a member of, directly or through others, whatever the options. */
    Set<String> reachable(String role) {
        return closure(new ArrayDeque<>(List.of(role)), e -> true);
    }

    private Set<String> closure(Deque<String> todo, java.util.function.Predicate<Edge> follow) {
        Set<String> reached = new LinkedHashSet<>();
        while (!todo.isEmpty()) {
            String next = todo.pop();
            if (!reached.add(next)) {
                continue;
            }
            RoleState state = roles.get(next);
            if (state != null) {
                for (Edge edge : state.memberOf) {
                    if (follow.test(edge)) {
                        todo.push(edge.role);
                    }
                }
            }
        }
        return reached;
    }

    /** Call after changing memberships or attributes. */
    void rolesChanged() {
        effectiveRoles = new HashMap<>();
    }

    DefaultEntry defaultEntry(String creator, String schema, ObjectType type) {
        for (DefaultEntry entry : defaults) {
            if (entry.creator.equals(creator) && java.util.Objects.equals(entry.schema, schema) && entry.type == type) {
                return entry;
            }
        }
        return null;
    }

    /** The default privileges {@code creator}'s new objects get in a schema with no IN SCHEMA entry. */
    Acl globalDefaults(String creator, ObjectType type) {
        DefaultEntry entry = defaultEntry(creator, null, type);
        return entry != null ? entry.acl : Acl.builtInDefault(type, creator, major);
    }

    /**
     * ALTER ... OWNER TO as the server runs it: the ACL (and the column grants) pass from the old owner to
     * the new one, and a table's new owner takes the sequences its columns own (serial, identity) along.
     */
    static void changeOwner(DbObject object, String newOwner) {
        object.acl = object.acl.newOwner(object.owner, newOwner);
        object.columns.replaceAll((column, acl) -> acl.newOwner(object.owner, newOwner));
        object.owner = newOwner;
        for (DbObject sequence : object.ownedSequences) {
            changeOwner(sequence, newOwner);
        }
    }

    // ---------------------------------------------------------------------------------------------

    record Principal(String name, Access access, boolean group) {
    }

    /** A database, schema, table or sequence. */
    static final class DbObject {
        final ObjectType type;
        final String relkind;
        final String schema;
        final String name;
        String owner;
        Acl acl;
        /** Column grants, by column. */
        final Map<String, Acl> columns = new LinkedHashMap<>();
        /**
         * For a sequence a column owns (serial, identity): its table. Such a sequence cannot change owner on
         * its own; it changes with its table.
         */
        DbObject ownedBy;
        /** For a table: the sequences its columns own. */
        final List<DbObject> ownedSequences = new ArrayList<>();

        DbObject(ObjectType type, String relkind, String schema, String name, String owner, Acl acl) {
            this.type = type;
            this.relkind = relkind;
            this.schema = schema;
            this.name = name;
            this.owner = owner;
            this.acl = acl;
        }

        static String qualify(String schema, String name) {
            return schema == null ? name : schema + "." + name;
        }

        String qualifiedName() {
            return qualify(schema, name);
        }

        /** table, partitioned table, view, materialized view, foreign table, sequence, schema, database. */
        String word() {
            if (relkind == null) {
                return type.word();
            }
            return switch (relkind) {
                case "p" -> "partitioned table";
                case "v" -> "view";
                case "m" -> "materialized view";
                case "f" -> "foreign table";
                case "S" -> "sequence";
                default -> "table";
            };
        }

        /** ALTER <keyword> name OWNER TO ... */
        String alterKeyword() {
            if (relkind == null) {
                return type.keyword();
            }
            return switch (relkind) {
                case "v" -> "VIEW";
                case "m" -> "MATERIALIZED VIEW";
                case "f" -> "FOREIGN TABLE";
                case "S" -> "SEQUENCE";
                default -> "TABLE";
            };
        }
    }

    /** One pg_default_acl entry: {@code schema} null for the entry that applies in every schema. */
    static final class DefaultEntry {
        final String creator;
        final String schema;
        final ObjectType type;
        Acl acl;

        DefaultEntry(String creator, String schema, ObjectType type, Acl acl) {
            this.creator = creator;
            this.schema = schema;
            this.type = type;
            this.acl = acl;
        }
    }

    static final class RoleState {
        final String name;
        boolean superuser;
        boolean createDb;
        boolean createRole;
        boolean replication;
        boolean bypassRls;
        boolean inherit;
        boolean login;
        final List<Edge> memberOf = new ArrayList<>();
        /** The roles directly in this one: {@link Edge#role} is the member. */
        final List<Edge> members = new ArrayList<>();

        RoleState(RoleRow row) {
            this.name = row.name();
            this.superuser = row.superuser();
            this.createDb = row.createDb();
            this.createRole = row.createRole();
            this.replication = row.replication();
            this.bypassRls = row.bypassRls();
            this.inherit = row.inherit();
            this.login = row.login();
            row.memberOf().forEach(m -> memberOf.add(new Edge(m.role(), m.grantor(), m.inherits(), m.set(), m.admin())));
            row.members().forEach(m -> members.add(new Edge(m.role(), m.grantor(), m.inherits(), m.set(), m.admin())));
        }

        /** A group role made by repair. */
        RoleState(String name) {
            this.name = name;
            this.inherit = true;
        }
    }

    /**
     * A direct membership of a role in {@code role}: it holds the role's privileges ({@code inherits}), may
     * SET ROLE to it ({@code set}, always before 16), may grant it ({@code admin}).
     */
    static final class Edge {
        final String role;
        final String grantor;
        boolean inherits;
        final boolean set;
        final boolean admin;

        Edge(String role, String grantor, boolean inherits, boolean set, boolean admin) {
            this.role = role;
            this.grantor = grantor;
            this.inherits = inherits;
            this.set = set;
            this.admin = admin;
        }

        /** A membership as pgusers grants them. */
        Edge(String role, String grantor, boolean inherits) {
            this(role, grantor, inherits, true, false);
        }
    }
}
