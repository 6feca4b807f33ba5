package io.pgusers.drift;

import io.pgusers.core.Access;
import io.pgusers.core.GroupRoles;
import io.pgusers.drift.Model.DbObject;
import io.pgusers.drift.Model.RoleState;
import io.pgusers.inspect.AclRow;
import io.pgusers.inspect.RoleRow;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What each role can really do in the current database, read from its catalogs in bulk
 * ({@code privilege-acls.sql}, {@code privilege-roles.sql}): the READ-ONLY column of {@code list}, with the
 * line that {@code check} draws ({@link AccessRule}: a read-only user holds CONNECT and TEMPORARY on the
 * database, USAGE on schemas, SELECT on tables, sequences, columns and large objects, and nothing else).
 *
 * <p>A role is read-only when none of the roles whose privileges it can use (itself, PUBLIC, what it inherits,
 * and every role it can become with SET ROLE or by granting itself a role it administers, with what those
 * inherit: {@link Model#actsWith}) holds more than that on any object of the database, extensions' objects
 * included, and none of them owns one (an owner may always grant itself what it lacks). A role whose power
 * reaches beyond one database (SUPERUSER, CREATEDB, CREATEROLE, REPLICATION, BYPASSRLS, or a member, by any
 * path, of such a role or of a predefined pg_* role) is never read-only.
 *
 * <p>The cost is that of the distinct ACLs, not of the objects: 10,000 tables that share their grants are one
 * ACL here, examined once, whatever the number of roles; each role then costs a look-up per role it acts with.
 */
public final class Powers {
    private final Model model;
    /**
     * The grantees (roles, and {@link Acl#PUBLIC}) that hold more than a read-only user may on some object, and
     * the objects' owners: a role is read-only when it acts with none of them. Each distinct ACL is examined
     * once for each kind of object that has it, whatever the number of roles asked about.
     */
    private final Set<String> beyondReadOnly = new HashSet<>();

    private Powers(Model model) {
        this.model = model;
        Map<ObjectType, Set<Privilege>> readOnly = new EnumMap<>(ObjectType.class);
        for (ObjectType type : ObjectType.values()) {
            readOnly.put(type, AccessRule.of(Access.READ_ONLY, type, false, model.major).allowed());
        }
        Map<Acl, Set<ObjectType>> seen = new IdentityHashMap<>();
        List<DbObject> objects = new ArrayList<>();
        objects.add(model.databaseObject);
        objects.addAll(model.schemas);
        objects.addAll(model.relations);
        objects.addAll(model.extensionObjects);
        objects.addAll(model.largeObjectAcls);
        for (DbObject object : objects) {
            beyondReadOnly.add(object.owner);
            hold(seen, object.type, object.acl, readOnly);
            // a column grant gives what a table grant would, on that column: judged as the table's
            object.columns.values().forEach(acl -> hold(seen, object.type, acl, readOnly));
        }
    }

    private void hold(Map<Acl, Set<ObjectType>> seen, ObjectType type, Acl acl, Map<ObjectType, Set<Privilege>> readOnly) {
        if (seen.computeIfAbsent(acl, a -> EnumSet.noneOf(ObjectType.class)).add(type)) {
            beyondReadOnly.addAll(acl.granteesHoldingMoreThan(readOnly.get(type)));
        }
    }

    /**
     * From the catalogs of the current database: {@code acls} from {@code privilege-acls.sql} (in full, or with
     * PUBLIC and the roles in question only), {@code roles} from {@code privilege-roles.sql} for the roles in
     * question (which brings every role they reach).
     */
    public static Powers of(int major, String database, String owner, List<AclRow> acls, List<RoleRow> roles) {
        return new Powers(Model.of(new DatabaseState(major, database, owner, GroupRoles.of(database), Map.of(), acls,
                roles)));
    }

    /**
     * The grantees whose ACL entries decide what the roles of {@code roles} can do: theirs, and those of
     * pg_database_owner (what the database's owner holds as such). PUBLIC's always count.
     */
    public static List<String> granteesFor(List<RoleRow> roles) {
        List<String> grantees = new ArrayList<>(roles.stream().map(RoleRow::name).toList());
        grantees.add(Model.DATABASE_OWNER_ROLE);
        return grantees;
    }

    /** Whether {@code role} can change nothing in the database (see the class comment); false for a role unknown. */
    public boolean readOnly(String role) {
        if (!model.roles.containsKey(role) || reachesBeyond(role)) {
            return false;
        }
        for (String acting : model.actsWith(role)) {
            if (beyondReadOnly.contains(acting)) {
                return false;
            }
        }
        return true;
    }

    /** SUPERUSER, CREATEDB, CREATEROLE, REPLICATION or BYPASSRLS, or a pg_* role, on it or any role it is in. */
    private boolean reachesBeyond(String role) {
        for (String reached : model.reachable(role)) {
            RoleState state = model.roles.get(reached);
            if (reached.startsWith("pg_") || state != null && (state.superuser || state.createDb || state.createRole
                    || state.replication || state.bypassRls)) {
                return true;
            }
        }
        return false;
    }
}
