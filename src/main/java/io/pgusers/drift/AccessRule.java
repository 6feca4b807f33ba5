package io.pgusers.drift;

import io.pgusers.core.Access;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What an access level promises on one object: the privileges a user must hold ({@code required}) and
 * the most it may hold ({@code allowed}). A user holding less than required lacks access; one holding
 * more than allowed can do more than its access level says.
 *
 * <p>"In scope" objects are those the promise covers in full: the database, schema {@code public},
 * every schema a read-write user (or the protected user) owns, and the tables and sequences in those
 * schemas. Elsewhere (a schema a superuser made for itself, say) nothing is required, and a read-only
 * user still may not hold more than read access.
 */
record AccessRule(Set<Privilege> required, Set<Privilege> allowed) {

    public AccessRule {
        required = Set.copyOf(required);
        allowed = Set.copyOf(allowed);
    }

    /**
     * <ul>
     *   <li>read-write: every privilege of the type (GRANT ALL: the documented statements) in scope, and
     *       anything elsewhere;</li>
     *   <li>read-only: the database's CONNECT (TEMPORARY, which PUBLIC holds by default, is allowed: a
     *       temporary table lives and dies with the session and changes no data), USAGE on schemas,
     *       SELECT on tables and sequences; never more, anywhere.</li>
     * </ul>
     * Large objects are never in scope: no access level promises any; a read-only user may read one, never
     * write it.
     */
    public static AccessRule of(Access access, ObjectType type, boolean inScope, int major) {
        // asked per user and kind of object by check (a million times at 1,000 users): each version's rules are
        // made once, then found by index, nothing allocated
        return RULES.computeIfAbsent(major, AccessRule::every)[index(access, type, inScope)];
    }

    private static final Map<Integer, AccessRule[]> RULES = new ConcurrentHashMap<>();
    private static final Access[] ACCESSES = Access.values();
    private static final ObjectType[] TYPES = ObjectType.values();

    private static int index(Access access, ObjectType type, boolean inScope) {
        return (access.ordinal() * TYPES.length + type.ordinal()) * 2 + (inScope ? 1 : 0);
    }

    private static AccessRule[] every(int major) {
        AccessRule[] rules = new AccessRule[ACCESSES.length * TYPES.length * 2];
        for (Access access : ACCESSES) {
            for (ObjectType type : TYPES) {
                for (boolean inScope : new boolean[] {false, true}) {
                    rules[index(access, type, inScope)] = make(access, type, inScope, major);
                }
            }
        }
        return rules;
    }

    private static AccessRule make(Access access, ObjectType type, boolean inScope, int major) {
        EnumSet<Privilege> all = type.all(major);
        if (access == Access.READ_WRITE) {
            return new AccessRule(inScope && type != ObjectType.LARGE_OBJECT ? all : Set.of(), all);
        }
        Set<Privilege> read = switch (type) {
            case DATABASE -> EnumSet.of(Privilege.CONNECT);
            case SCHEMA -> EnumSet.of(Privilege.USAGE);
            case TABLE, SEQUENCE, LARGE_OBJECT -> EnumSet.of(Privilege.SELECT);
        };
        EnumSet<Privilege> allowed = EnumSet.copyOf(read);
        if (type == ObjectType.DATABASE) {
            allowed.add(Privilege.TEMPORARY);
        }
        return new AccessRule(inScope && type != ObjectType.LARGE_OBJECT ? read : Set.of(), allowed);
    }

    EnumSet<Privilege> missing(Set<Privilege> held) {
        EnumSet<Privilege> missing = Privilege.setOf(required);
        missing.removeAll(held);
        return missing;
    }

    EnumSet<Privilege> extra(Set<Privilege> held) {
        EnumSet<Privilege> extra = Privilege.setOf(held);
        extra.removeAll(allowed);
        return extra;
    }

    boolean keeps(Set<Privilege> held) {
        return held.containsAll(required) && allowed.containsAll(held);
    }

    /**
     * In words: {@code SELECT}, {@code ALL PRIVILEGES}, {@code CONNECT (TEMPORARY allowed)}, {@code at most
     * SELECT}, {@code anything}.
     */
    String words(ObjectType type, int major) {
        if (required.equals(allowed)) {
            return Privilege.words(required, type, major);
        }
        if (required.isEmpty()) {
            return allowed.equals(type.all(major)) ? "anything" : "at most " + Privilege.words(allowed, type, major);
        }
        EnumSet<Privilege> optional = Privilege.setOf(allowed);
        optional.removeAll(required);
        return Privilege.words(required) + " (" + Privilege.words(optional) + " allowed)";
    }
}
