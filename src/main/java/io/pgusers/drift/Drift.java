package io.pgusers.drift;

import io.pgusers.core.Access;
import io.pgusers.drift.Difference.Kind;
import io.pgusers.drift.Model.DbObject;
import io.pgusers.drift.Model.DefaultEntry;
import io.pgusers.drift.Model.Edge;
import io.pgusers.drift.Model.Principal;
import io.pgusers.drift.Model.RoleState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compares what each managed user can really do with what its access level promises: a pure function
 * from a {@link DatabaseState} to the list of {@link Difference}s, empty when all is as promised.
 *
 * <p>"Really" means through every path PostgreSQL honours: grants to the user itself, to PUBLIC, to any
 * role it inherits (transitively), and ownership (the owner's own ACL entry). The database's two group
 * roles are compared as well, as if they were users of their access level: whatever they miss, every
 * user created later would miss.
 *
 * <p>Not modelled (each of them still shows, as the attribute or membership that causes it): the powers
 * of a superuser, and of the predefined roles pg_read_all_data and pg_write_all_data.
 */
public final class Drift {
    private static final Comparator<Difference> ORDER = Comparator.comparing(Difference::kind)
            .thenComparing(Difference::objectType).thenComparing(Difference::object).thenComparing(Difference::user);

    private Drift() {
    }

    public static List<Difference> compare(DatabaseState state) {
        return compare(Model.of(state));
    }

    static List<Difference> compare(Model model) {
        List<Difference> differences = new ArrayList<>();
        for (String user : model.beingDeleted) {
            differences.add(new Difference(Kind.DELETION, "role", user, user, "being deleted",
                    "a user, or no role at all", "being deleted: a delete was cut short (pgusers delete " + user
                    + " finishes it)"));
        }
        groups(model, differences);
        for (Principal user : model.principals()) {
            if (!user.group()) {
                attributes(model, user, differences);
            }
            memberships(model, user, differences);
        }
        ownership(model, differences);
        privileges(model, differences);
        defaultPrivileges(model, differences);
        differences.sort(ORDER);
        return differences;
    }

    // ---------------------------------------------------------------------------------------------

    private static void groups(Model model, List<Difference> out) {
        for (Access access : List.of(Access.READ_ONLY, Access.READ_WRITE)) {
            String group = model.groups.of(access);
            RoleState role = model.roles.get(group);
            if (role == null) {
                out.add(new Difference(Kind.GROUP, "role", group, group, access.label(),
                        "a NOLOGIN group role holding the " + access.label() + " users' privileges", "missing"));
                continue;
            }
            for (String attribute : wrongAttributes(role, true)) {
                out.add(new Difference(Kind.GROUP, "role", group, group, access.label(), "NO" + attribute, attribute));
            }
            for (Edge member : strangers(model, access)) {
                out.add(new Difference(Kind.GROUP, "role", group, group, access.label(),
                        "only the " + access.label() + " users of " + model.database + " as members",
                        "a member " + member.role + ", which pgusers does not manage here"));
            }
        }
    }

    /**
     * Members of a group that are not managed users of the database (a managed user of the other access
     * level shows as that user's unexpected membership instead; a user being deleted is on its way out).
     */
    static List<Edge> strangers(Model model, Access access) {
        RoleState group = model.roles.get(model.groups.of(access));
        if (group == null) {
            return List.of();
        }
        return group.members.stream()
                .filter(m -> !model.users.containsKey(m.role) && !model.beingDeleted.contains(m.role)).toList();
    }

    private static void attributes(Model model, Principal user, List<Difference> out) {
        RoleState role = model.roles.get(user.name());
        for (String attribute : wrongAttributes(role, false)) {
            String expected = attribute.equals("NOINHERIT") ? "INHERIT" : "NO" + attribute;
            out.add(new Difference(Kind.ATTRIBUTE, "role", user.name(), user.name(), user.access().label(),
                    expected, attribute));
        }
    }

    /**
     * The attributes {@code role} must not have, as CREATE ROLE names them: SUPERUSER, CREATEDB,
     * CREATEROLE, REPLICATION, BYPASSRLS; for a user NOINHERIT (it would not hold its group's
     * privileges); for a group LOGIN.
     */
    static List<String> wrongAttributes(RoleState role, boolean group) {
        List<String> wrong = new ArrayList<>();
        if (group && role.login) {
            wrong.add("LOGIN");
        }
        if (role.superuser) {
            wrong.add("SUPERUSER");
        }
        if (role.createDb) {
            wrong.add("CREATEDB");
        }
        if (role.createRole) {
            wrong.add("CREATEROLE");
        }
        if (role.replication) {
            wrong.add("REPLICATION");
        }
        if (role.bypassRls) {
            wrong.add("BYPASSRLS");
        }
        if (!group && !role.inherit) {
            wrong.add("NOINHERIT");
        }
        return wrong;
    }

    private static void memberships(Model model, Principal principal, List<Difference> out) {
        RoleState role = model.roles.get(principal.name());
        String label = principal.access().label();
        String group = principal.group() ? null : model.groups.of(principal.access());
        boolean member = false;
        boolean inherits = false;
        for (String other : directRoles(role)) {
            if (other.equals(group)) {
                member = true;
                inherits = role.memberOf.stream().anyMatch(e -> e.role.equals(other) && e.inherits);
            } else {
                out.add(new Difference(Kind.MEMBERSHIP, "role", principal.name(), principal.name(), label,
                        group == null ? "a member of no role" : "a member of " + group + " only",
                        "a member of " + other));
            }
        }
        if (group != null && (!member || !inherits)) {
            out.add(new Difference(Kind.MEMBERSHIP, "role", principal.name(), principal.name(), label,
                    "a member of " + group + ", holding its privileges",
                    member ? "a member of " + group + " that does not inherit its privileges" : "not a member of " + group));
        }
    }

    /** The roles {@code role} is a direct member of, each once. */
    static List<String> directRoles(RoleState role) {
        return role.memberOf.stream().map(e -> e.role).distinct().toList();
    }

    /** Membership edges a managed user or group must not have. */
    static List<Edge> unexpectedEdges(Model model, Principal principal) {
        String group = principal.group() ? null : model.groups.of(principal.access());
        return model.roles.get(principal.name()).memberOf.stream().filter(e -> !e.role.equals(group)).toList();
    }

    private static void ownership(Model model, List<Difference> out) {
        model.largeObjects.forEach((owner, count) -> {
            if (model.isReader(owner)) {
                out.add(new Difference(Kind.OWNERSHIP, "large objects", count + " of " + owner, owner,
                        Access.READ_ONLY.label(), "none (a read-only user writes no data)",
                        "the owner of " + count + " large object" + (count == 1 ? "" : "s")
                                + " (lo_unlink them, or ALTER LARGE OBJECT ... OWNER TO the database owner)"));
            }
        });
        List<DbObject> owned = new ArrayList<>(model.schemas);
        owned.addAll(model.relations);
        for (DbObject object : owned) {
            // a sequence a column owns goes with its table: the table's difference stands for both
            boolean withItsTable = object.ownedBy != null && object.ownedBy.owner.equals(object.owner);
            if (model.isReader(object.owner) && !withItsTable) {
                List<String> sequences = object.ownedSequences.stream().filter(s -> s.owner.equals(object.owner))
                        .map(DbObject::qualifiedName).toList();
                String actual = sequences.isEmpty() ? "the owner"
                        : "the owner, with its sequence" + (sequences.size() > 1 ? "s " : " ") + String.join(", ", sequences);
                out.add(new Difference(Kind.OWNERSHIP, object.word(), object.qualifiedName(), object.owner,
                        Access.READ_ONLY.label(), "not the owner (an owner holds every privilege)", actual));
            }
        }
    }

    /**
     * Objects of one kind and scope that share an ACL (the tables of one row of privilege-acls.sql: often
     * thousands) are judged once per principal, then reported object by object.
     */
    private static void privileges(Model model, List<Difference> out) {
        List<DbObject> objects = new ArrayList<>();
        objects.add(model.databaseObject);
        objects.addAll(model.schemas);
        objects.addAll(model.relations);
        Map<Judged, List<DbObject>> alike = new LinkedHashMap<>();
        List<DbObject> withColumnGrants = new ArrayList<>();
        for (DbObject object : objects) {
            alike.computeIfAbsent(new Judged(object.type, model.inScope(object), object.acl), k -> new ArrayList<>()).add(object);
            if (!object.columns.isEmpty()) {
                withColumnGrants.add(object);
            }
        }
        for (Principal principal : model.principals()) {
            Set<String> roles = model.effectiveRoles(principal.name());
            alike.forEach((judged, same) -> {
                AccessRule rule = AccessRule.of(principal.access(), judged.type(), judged.inScope(), model.major);
                EnumSet<Privilege> held = judged.acl().heldByAny(roles);
                if (!rule.keeps(held)) {
                    String expected = rule.words(judged.type(), model.major);
                    String actual = Privilege.words(held, judged.type(), model.major);
                    for (DbObject object : same) {
                        out.add(new Difference(Kind.PRIVILEGES, object.word(), object.qualifiedName(), principal.name(),
                                principal.access().label(), expected, actual));
                    }
                }
            });
            for (DbObject object : withColumnGrants) {
                columns(model, principal, roles, object, out);
            }
        }
    }

    private static void columns(Model model, Principal principal, Set<String> roles, DbObject object,
                                List<Difference> out) {
        AccessRule rule = AccessRule.of(principal.access(), object.type, model.inScope(object), model.major);
        for (Map.Entry<String, Acl> column : object.columns.entrySet()) {
            EnumSet<Privilege> onColumn = column.getValue().heldByAny(roles);
            if (!rule.extra(onColumn).isEmpty()) {
                out.add(new Difference(Kind.PRIVILEGES, "column", object.qualifiedName() + "." + column.getKey(),
                        principal.name(), principal.access().label(),
                        "at most " + Privilege.words(rule.allowed()), Privilege.words(onColumn)));
            }
        }
    }

    /** What decides a principal's verdict on an object. */
    private record Judged(ObjectType type, boolean inScope, Acl acl) {
    }

    private static void defaultPrivileges(Model model, List<Difference> out) {
        // at 1,000 users and 100 writers: 300,000 verdicts, each a few bit operations; the lists made once
        List<Principal> principals = model.principals();
        List<String> creators = model.creators();
        for (String creator : creators) {
            for (ObjectType type : List.of(ObjectType.TABLE, ObjectType.SEQUENCE, ObjectType.SCHEMA)) {
                Acl global = model.globalDefaults(creator, type);
                for (Principal principal : principals) {
                    AccessRule rule = AccessRule.of(principal.access(), type, true, model.major);
                    EnumSet<Privilege> held = global.heldByAny(model.effectiveRoles(principal.name()));
                    if (!rule.keeps(held)) {
                        out.add(new Difference(Kind.DEFAULT_PRIVILEGES, "default privileges",
                                defaultsObject(creator, type, null), principal.name(), principal.access().label(),
                                rule.words(type, model.major), Privilege.words(held, type, model.major)));
                    }
                }
            }
        }
        Set<String> creating = Set.copyOf(creators);
        for (DefaultEntry entry : model.defaults) {
            if (entry.schema == null || !creating.contains(entry.creator)) {
                continue;
            }
            Acl global = model.globalDefaults(entry.creator, entry.type);
            for (Principal principal : principals) {
                Set<String> roles = model.effectiveRoles(principal.name());
                AccessRule rule = AccessRule.of(principal.access(), entry.type, true, model.major);
                if (!rule.extra(entry.acl.heldByAny(roles)).isEmpty()) {
                    EnumSet<Privilege> held = global.heldByAny(roles);
                    held.addAll(entry.acl.heldByAny(roles));
                    out.add(new Difference(Kind.DEFAULT_PRIVILEGES, "default privileges",
                            defaultsObject(entry.creator, entry.type, entry.schema), principal.name(),
                            principal.access().label(), "at most " + Privilege.words(rule.allowed()),
                            Privilege.words(held, entry.type, model.major)));
                }
            }
        }
    }

    /** {@code tables that rw_bob creates later, in any schema}. */
    static String defaultsObject(String creator, ObjectType type, String schema) {
        String objects = type.defaultsKeyword().toLowerCase() + " that " + creator + " creates later";
        if (type == ObjectType.SCHEMA) {
            return objects;
        }
        return objects + (schema == null ? ", in any schema" : ", in schema " + schema);
    }
}
