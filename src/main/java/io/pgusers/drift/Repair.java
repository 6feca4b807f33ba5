package io.pgusers.drift;

import io.pgusers.core.Access;
import io.pgusers.drift.Model.DbObject;
import io.pgusers.drift.Model.DefaultEntry;
import io.pgusers.drift.Model.Edge;
import io.pgusers.drift.Model.Principal;
import io.pgusers.drift.Model.RoleState;
import io.pgusers.plan.Grants;
import io.pgusers.plan.Plan;
import io.pgusers.plan.Statement;
import io.pgusers.plan.Step;
import io.pgusers.sql.Sql;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The fewest GRANT, REVOKE and ALTER DEFAULT PRIVILEGES statements (with the few ALTER ROLE and
 * ALTER ... OWNER TO that attributes and ownership need) that make {@link Drift#compare} come out empty:
 * a pure function, run by the executor in one transaction. It never drops anything, and never takes an
 * object away from the protected user (objects a read-only user owns are given to the database owner).
 *
 * <p>The plan is computed in this order, each part on the state the previous parts leave (the model is
 * changed the way the server will change it, and compared again at the end):
 * <ol>
 *   <li>the groups: created when missing; attributes they must not have taken back, and members that are
 *       not managed users of the database revoked;</li>
 *   <li>the users' attributes (ALTER ROLE ... NOSUPERUSER ... INHERIT);</li>
 *   <li>memberships: those that grant more are revoked, the missing group memberships granted;</li>
 *   <li>ownership: what a read-only user owns passes to the database owner;</li>
 *   <li>privileges a read-only user must not have are revoked from whoever holds them on its behalf:
 *       itself, its group or PUBLIC;</li>
 *   <li>missing privileges are granted to the group of the user who misses them, so that users created
 *       later hold them too;</li>
 *   <li>default privileges, the same way, for every role that creates objects.</li>
 * </ol>
 * Objects that need the same statement share it: one GRANT names every table it applies to, or
 * {@code ALL TABLES IN SCHEMA s} when it applies to every table of the schema.
 */
public final class Repair {
    /** Beyond this many objects, a statement lists one object a line. */
    private static final int ONE_LINE_OBJECTS = 4;

    /** The order of writer-defaults.sql. */
    private static final List<ObjectType> DEFAULT_TYPES = List.of(ObjectType.TABLE, ObjectType.SEQUENCE, ObjectType.SCHEMA);

    private Repair() {
    }

    /**
     * @param plan      the statements, in one transaction (empty when there is nothing to repair)
     * @param before    the differences found
     * @param remaining what the plan would not fix (empty, unless something is out of pgusers' reach)
     */
    public record Result(Plan plan, List<Difference> before, List<Difference> remaining) {
        public List<Statement> statements() {
            return plan.statements();
        }
    }

    public static Result plan(DatabaseState state) {
        Model model = Model.of(state);
        List<Difference> before = Drift.compare(model);
        if (before.isEmpty()) {
            return new Result(new Plan(List.of()), before, List.of());
        }
        List<Statement> out = new ArrayList<>();
        groups(model, out);
        attributes(model, out);
        memberships(model, out);
        ownership(model, out);
        revokeObjectPrivileges(model, out);
        grantObjectPrivileges(model, out);
        defaultPrivileges(model, out);
        List<Difference> remaining = Drift.compare(model);
        Plan plan = out.isEmpty() ? new Plan(List.of()) : Plan.of(Step.inApplicationDatabase(out));
        return new Result(plan, before, remaining);
    }

    // ---------------------------------------------------------------------------------------------

    private static void groups(Model model, List<Statement> out) {
        for (Access access : List.of(Access.READ_ONLY, Access.READ_WRITE)) {
            String group = model.groups.of(access);
            RoleState role = model.roles.get(group);
            if (role == null) {
                out.addAll(Grants.groupRole(model.database, model.groups, access));
                model.roles.put(group, new RoleState(group));
                continue;
            }
            List<String> wrong = Drift.wrongAttributes(role, true);
            if (!wrong.isEmpty()) {
                out.add(alterRole(group, wrong));
                fixAttributes(model, role);
            }
            Map<String, List<String>> byGrantor = new TreeMap<>();
            List<Edge> strangers = Drift.strangers(model, access);
            for (Edge member : strangers) {
                byGrantor.computeIfAbsent(model.major >= 16 && member.grantor != null ? member.grantor : "",
                        g -> new ArrayList<>()).add(member.role);
            }
            byGrantor.forEach((grantor, members) -> out.add(Statement.of("REVOKE " + Sql.identifier(group) + " FROM "
                    + identifiers(members) + (grantor.isEmpty() ? "" : " GRANTED BY " + Sql.identifier(grantor)))));
            role.members.removeAll(strangers);
        }
        model.rolesChanged();
    }

    private static void attributes(Model model, List<Statement> out) {
        for (String user : model.users.keySet()) {
            RoleState role = model.roles.get(user);
            List<String> wrong = Drift.wrongAttributes(role, false);
            if (!wrong.isEmpty()) {
                out.add(alterRole(user, wrong));
                fixAttributes(model, role);
            }
        }
        model.rolesChanged();
    }

    private static Statement alterRole(String role, List<String> wrong) {
        String fixes = wrong.stream().map(a -> switch (a) {
            case "LOGIN" -> "NOLOGIN";
            case "NOINHERIT" -> "INHERIT";
            default -> "NO" + a;
        }).collect(Collectors.joining(" "));
        return Statement.of("ALTER ROLE " + Sql.identifier(role) + " " + fixes);
    }

    private static void fixAttributes(Model model, RoleState role) {
        role.login = role.login && !model.groups.contains(role.name);
        role.superuser = false;
        role.createDb = false;
        role.createRole = false;
        role.replication = false;
        role.bypassRls = false;
        if (!role.inherit && model.major < 16) {
            role.memberOf.forEach(edge -> edge.inherits = true); // before 16, the member's attribute decides
        }
        role.inherit = true;
    }

    private static void memberships(Model model, List<Statement> out) {
        // REVOKE role FROM member, ... [GRANTED BY grantor]: from 16, a membership is revoked by naming its grantor
        Map<List<String>, List<String>> revokes = new TreeMap<>(Repair::compareKeys);
        for (Principal principal : model.principals()) {
            for (Edge edge : Drift.unexpectedEdges(model, principal)) {
                List<String> key = List.of(edge.role, model.major >= 16 ? edge.grantor : "");
                List<String> members = revokes.computeIfAbsent(key, k -> new ArrayList<>());
                if (!members.contains(principal.name())) {
                    members.add(principal.name());
                }
            }
            model.roles.get(principal.name()).memberOf.removeAll(Drift.unexpectedEdges(model, principal));
        }
        revokes.forEach((key, members) -> out.add(Statement.of("REVOKE " + Sql.identifier(key.get(0)) + " FROM "
                + identifiers(members) + (key.get(1).isEmpty() ? "" : " GRANTED BY " + Sql.identifier(key.get(1))))));

        Map<String, List<String>> grants = new TreeMap<>();
        Map<String, List<String>> inheritGrants = new TreeMap<>();
        for (Principal principal : model.principals()) {
            if (principal.group()) {
                continue;
            }
            String group = model.groups.of(principal.access());
            RoleState role = model.roles.get(principal.name());
            List<Edge> edges = role.memberOf.stream().filter(e -> e.role.equals(group)).toList();
            if (edges.isEmpty()) {
                grants.computeIfAbsent(group, g -> new ArrayList<>()).add(principal.name());
                role.memberOf.add(new Edge(group, "", role.inherit));
            } else if (edges.stream().noneMatch(e -> e.inherits)) {
                inheritGrants.computeIfAbsent(group, g -> new ArrayList<>()).add(principal.name());
                edges.forEach(e -> e.inherits = true);
            }
        }
        grants.forEach((group, members) ->
                out.add(Statement.of("GRANT " + Sql.identifier(group) + " TO " + identifiers(members))));
        inheritGrants.forEach((group, members) -> out.add(Statement.of(
                "GRANT " + Sql.identifier(group) + " TO " + identifiers(members) + " WITH INHERIT TRUE")));
        model.rolesChanged();
    }

    /**
     * Schemas, then tables, then sequences. A sequence a column owns (serial, identity) changes owner with
     * its table: the server refuses ALTER SEQUENCE ... OWNER TO on it ("cannot change owner of sequence").
     * Should its table not be a reader's (the server keeps them together), it is left as it is: remaining.
     */
    private static void ownership(Model model, List<Statement> out) {
        List<DbObject> objects = new ArrayList<>(model.schemas);
        model.relations.stream().filter(r -> r.type != ObjectType.SEQUENCE).forEach(objects::add);
        model.relations.stream().filter(r -> r.type == ObjectType.SEQUENCE).forEach(objects::add);
        for (DbObject object : objects) {
            if (model.isReader(object.owner) && object.ownedBy == null) {
                out.add(Statement.of("ALTER " + object.alterKeyword() + " " + qualified(object) + " OWNER TO "
                        + Sql.identifier(model.owner)));
                Model.changeOwner(object, model.owner);
            }
        }
    }

    /** What read-only users (and their group) hold beyond their promise, revoked from whoever holds it for them. */
    private static void revokeObjectPrivileges(Model model, List<Statement> out) {
        Map<DbObject, Map<String, EnumSet<Privilege>>> pending = new LinkedHashMap<>();
        for (Principal principal : model.principals()) {
            if (principal.access() != Access.READ_ONLY) {
                continue; // read-write may hold anything
            }
            Set<String> roles = model.effectiveRoles(principal.name());
            for (DbObject object : allObjects(model)) {
                AccessRule rule = AccessRule.of(principal.access(), object.type, model.inScope(object), model.major);
                for (String grantee : roles) {
                    EnumSet<Privilege> held = Privilege.setOf(object.acl.of(grantee));
                    object.columns.values().forEach(acl -> held.addAll(acl.of(grantee)));
                    EnumSet<Privilege> extra = rule.extra(held);
                    if (!extra.isEmpty()) {
                        pending.computeIfAbsent(object, o -> new TreeMap<>())
                                .computeIfAbsent(grantee, g -> EnumSet.noneOf(Privilege.class)).addAll(extra);
                    }
                }
            }
        }
        // (type, grantee, privileges) -> objects
        Map<Change, List<DbObject>> byChange = new LinkedHashMap<>();
        pending.forEach((object, grantees) -> grantees.forEach((grantee, privileges) ->
                byChange.computeIfAbsent(new Change(object.type, grantee, Set.copyOf(privileges)), c -> new ArrayList<>())
                        .add(object)));
        byChange.forEach((change, objects) -> {
            for (String target : targets(model, change.type, objects)) {
                out.add(Statement.of("REVOKE " + Privilege.sql(change.privileges) + " ON " + target + "FROM "
                        + grantee(change.grantee)));
            }
            for (DbObject object : objects) {
                object.acl = object.acl.revoke(change.grantee, change.privileges);
                // revoking a privilege on a table revokes it on each of its columns too
                object.columns.replaceAll((column, acl) -> acl.revoke(change.grantee, change.privileges));
            }
        });
    }

    /** What a user or group misses, granted to its group: every privilege its access level requires there. */
    private static void grantObjectPrivileges(Model model, List<Statement> out) {
        Map<Change, List<DbObject>> byChange = new LinkedHashMap<>();
        for (Principal principal : model.principals()) {
            String group = principal.group() ? principal.name() : model.groups.of(principal.access());
            Access access = principal.access();
            Set<String> roles = model.effectiveRoles(principal.name());
            for (DbObject object : allObjects(model)) {
                AccessRule rule = AccessRule.of(access, object.type, model.inScope(object), model.major);
                if (!rule.missing(object.acl.heldByAny(roles)).isEmpty()) {
                    Set<Privilege> full = AccessRule.of(access, object.type, true, model.major).required();
                    List<DbObject> objects = byChange.computeIfAbsent(new Change(object.type, group, full),
                            c -> new ArrayList<>());
                    if (!objects.contains(object)) {
                        objects.add(object);
                    }
                }
            }
        }
        sorted(model, byChange).forEach((change, objects) -> {
            for (String target : targets(model, change.type, objects)) {
                out.add(Statement.of("GRANT " + privilegeList(change.type, change.privileges, model.major) + " ON "
                        + target + "TO " + grantee(change.grantee)));
            }
            objects.forEach(object -> object.acl = object.acl.grant(change.grantee, change.privileges));
        });
    }

    private static void defaultPrivileges(Model model, List<Statement> out) {
        // (type, schema or null, grantee, privileges) -> creators, for REVOKE then GRANT
        Map<DefaultChange, List<String>> revokes = new LinkedHashMap<>();
        Map<DefaultChange, List<String>> grants = new LinkedHashMap<>();
        for (String creator : model.creators()) {
            for (ObjectType type : DEFAULT_TYPES) {
                List<DefaultEntry> entries = new ArrayList<>();
                entries.add(globalEntry(model, creator, type));
                model.defaults.stream().filter(e -> e.creator.equals(creator) && e.type == type && e.schema != null)
                        .forEach(entries::add);
                for (DefaultEntry entry : entries) {
                    Map<String, EnumSet<Privilege>> extra = new TreeMap<>();
                    for (Principal principal : model.principals()) {
                        if (principal.access() != Access.READ_ONLY) {
                            continue;
                        }
                        AccessRule rule = AccessRule.of(principal.access(), type, true, model.major);
                        for (String grantee : model.effectiveRoles(principal.name())) {
                            EnumSet<Privilege> more = rule.extra(entry.acl.of(grantee));
                            if (!more.isEmpty()) {
                                extra.computeIfAbsent(grantee, g -> EnumSet.noneOf(Privilege.class)).addAll(more);
                            }
                        }
                    }
                    extra.forEach((grantee, privileges) -> {
                        revokes.computeIfAbsent(new DefaultChange(type, entry.schema, grantee, Set.copyOf(privileges)),
                                c -> new ArrayList<>()).add(creator);
                        entry.acl = entry.acl.revoke(grantee, privileges);
                    });
                }
                DefaultEntry global = entries.get(0);
                for (Principal principal : model.principals()) {
                    AccessRule rule = AccessRule.of(principal.access(), type, true, model.major);
                    if (!rule.missing(global.acl.heldByAny(model.effectiveRoles(principal.name()))).isEmpty()) {
                        String group = principal.group() ? principal.name() : model.groups.of(principal.access());
                        DefaultChange change = new DefaultChange(type, null, group, rule.required());
                        List<String> creators = grants.computeIfAbsent(change, c -> new ArrayList<>());
                        if (!creators.contains(creator)) {
                            creators.add(creator);
                            global.acl = global.acl.grant(group, rule.required());
                        }
                    }
                }
            }
        }
        revokes.forEach((change, creators) -> out.add(Statement.of("ALTER DEFAULT PRIVILEGES FOR ROLE "
                + identifiers(creators) + (change.schema == null ? "" : " IN SCHEMA " + Sql.identifier(change.schema))
                + " REVOKE " + Privilege.sql(change.privileges) + " ON " + change.type.defaultsKeyword()
                + " FROM " + grantee(change.grantee))));
        sortedDefaults(model, grants).forEach((change, creators) -> out.add(Statement.of("ALTER DEFAULT PRIVILEGES FOR ROLE "
                + identifiers(creators) + " GRANT " + privilegeList(change.type, change.privileges, model.major)
                + " ON " + change.type.defaultsKeyword() + " TO " + grantee(change.grantee))));
    }

    /** The entry without IN SCHEMA, added to the model (as PostgreSQL's built-in default) when missing. */
    private static DefaultEntry globalEntry(Model model, String creator, ObjectType type) {
        DefaultEntry entry = model.defaultEntry(creator, null, type);
        if (entry == null) {
            entry = new DefaultEntry(creator, null, type, Acl.builtInDefault(type, creator, model.major));
            model.defaults.add(entry);
        }
        return entry;
    }

    // ---------------------------------------------------------------------------------------------

    private record Change(ObjectType type, String grantee, Set<Privilege> privileges) {
    }

    private record DefaultChange(ObjectType type, String schema, String grantee, Set<Privilege> privileges) {
    }

    /** Grants in the order a DBA reads them: by kind of object, the readers' group before the writers'. */
    private static Map<Change, List<DbObject>> sorted(Model model, Map<Change, List<DbObject>> changes) {
        Map<Change, List<DbObject>> sorted = new TreeMap<>(Comparator.comparing((Change c) -> c.type)
                .thenComparing(c -> !c.grantee.equals(model.groups.readers())).thenComparing(c -> c.grantee));
        sorted.putAll(changes);
        return sorted;
    }

    private static Map<DefaultChange, List<String>> sortedDefaults(Model model, Map<DefaultChange, List<String>> changes) {
        Map<DefaultChange, List<String>> sorted = new TreeMap<>(Comparator
                .comparing((DefaultChange c) -> DEFAULT_TYPES.indexOf(c.type))
                .thenComparing(c -> !c.grantee.equals(model.groups.readers())).thenComparing(c -> c.grantee));
        sorted.putAll(changes);
        return sorted;
    }

    private static List<DbObject> allObjects(Model model) {
        List<DbObject> objects = new ArrayList<>();
        objects.add(model.databaseObject);
        objects.addAll(model.schemas);
        objects.addAll(model.relations);
        return objects;
    }

    /**
     * What a GRANT or REVOKE names: {@code ALL TABLES IN SCHEMA a, b} for the schemas where it applies to
     * every table (of two or more), then {@code TABLE x, y} for the rest; each followed by a space, or by a
     * new line after a list of one object a line.
     */
    private static List<String> targets(Model model, ObjectType type, List<DbObject> objects) {
        if (type == ObjectType.DATABASE || type == ObjectType.SCHEMA) {
            return List.of(type.keyword() + list(objects.stream().map(Repair::qualified).toList()));
        }
        Map<String, Long> inSchema = model.relations.stream().filter(r -> r.type == type)
                .collect(Collectors.groupingBy(r -> r.schema, Collectors.counting()));
        Map<String, List<DbObject>> bySchema = objects.stream()
                .collect(Collectors.groupingBy(o -> o.schema, TreeMap::new, Collectors.toList()));
        List<String> wholeSchemas = new ArrayList<>();
        List<String> single = new ArrayList<>();
        bySchema.forEach((schema, list) -> {
            Set<DbObject> distinct = new LinkedHashSet<>(list);
            if (distinct.size() >= 2 && distinct.size() == inSchema.getOrDefault(schema, 0L)) {
                wholeSchemas.add(Sql.identifier(schema));
            } else {
                distinct.forEach(o -> single.add(qualified(o)));
            }
        });
        List<String> targets = new ArrayList<>();
        if (!wholeSchemas.isEmpty()) {
            targets.add("ALL " + type.defaultsKeyword() + " IN SCHEMA" + list(wholeSchemas));
        }
        if (!single.isEmpty()) {
            targets.add(type.keyword() + list(single));
        }
        return targets;
    }

    /** {@code " a, b "}, or one name a line, indented, for more than a few. */
    private static String list(List<String> names) {
        if (names.size() <= ONE_LINE_OBJECTS) {
            return " " + String.join(", ", names) + " ";
        }
        return "\n    " + String.join(",\n    ", names) + "\n";
    }

    /** {@code ALL PRIVILEGES} when it is every privilege of the type, else the list. */
    private static String privilegeList(ObjectType type, Set<Privilege> privileges, int major) {
        return privileges.equals(type.all(major)) ? "ALL PRIVILEGES" : Privilege.sql(privileges);
    }

    private static String qualified(DbObject object) {
        return object.schema == null ? Sql.identifier(object.name)
                : Sql.identifier(object.schema) + "." + Sql.identifier(object.name);
    }

    private static String grantee(String grantee) {
        return grantee.equals(Acl.PUBLIC) ? "PUBLIC" : Sql.identifier(grantee);
    }

    private static String identifiers(List<String> roles) {
        return roles.stream().map(Sql::identifier).collect(Collectors.joining(", "));
    }

    private static int compareKeys(List<String> a, List<String> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = a.get(i).compareTo(b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }
}
