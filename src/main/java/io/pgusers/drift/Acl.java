package io.pgusers.drift;

import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An access control list as a value: which privileges each grantee holds ({@link #PUBLIC} for
 * PUBLIC). Grant options and grantors do not change what a user can do, and are left out.
 */
final class Acl {
    /** The grantee name that stands for PUBLIC, as {@code privilege-acls.sql} returns it. */
    public static final String PUBLIC = "";

    static final Acl EMPTY = new Acl(Map.of());

    /** EnumSets, never handed out: {@link #heldByAny}, asked a million times by check at 1,000 users, unites them as bits. */
    private final Map<String, EnumSet<Privilege>> entries;
    /** The entries' hash, computed once: an ACL of a thousand entries is a key of thousands of lookups. */
    private final int hash;

    private Acl(Map<String, EnumSet<Privilege>> entries) {
        this.entries = entries;
        this.hash = entries.hashCode();
    }

    /** From the parallel arrays of {@code privilege-acls.sql}. */
    public static Acl of(List<String> grantees, List<String> privileges) {
        if (grantees.size() != privileges.size()) {
            throw new IllegalArgumentException("grantees and privileges differ in length");
        }
        Map<String, Set<Privilege>> entries = new LinkedHashMap<>();
        for (int i = 0; i < grantees.size(); i++) {
            Set<Privilege> set = Privilege.parseList(privileges.get(i));
            if (!set.isEmpty()) {
                entries.merge(grantees.get(i), set, Acl::union);
            }
        }
        return new Acl(freeze(entries));
    }

    /** PostgreSQL's built-in default for a new object of {@code type} owned by {@code owner} (acldefault). */
    static Acl builtInDefault(ObjectType type, String owner, int major) {
        Map<String, Set<Privilege>> entries = new LinkedHashMap<>();
        entries.put(owner, type.all(major));
        if (type == ObjectType.DATABASE) {
            entries.put(PUBLIC, EnumSet.of(Privilege.CONNECT, Privilege.TEMPORARY));
        }
        return new Acl(freeze(entries));
    }

    /** What {@code grantee} holds itself (not through memberships). */
    public Set<Privilege> of(String grantee) {
        EnumSet<Privilege> held = entries.get(grantee);
        return held == null ? Set.of() : java.util.Collections.unmodifiableSet(held);
    }

    /** What any of {@code grantees} holds: a user's privileges, given every role whose privileges it has. */
    public EnumSet<Privilege> heldByAny(Collection<String> grantees) {
        EnumSet<Privilege> held = EnumSet.noneOf(Privilege.class);
        for (String grantee : grantees) {
            EnumSet<Privilege> set = entries.get(grantee);
            if (set != null) {
                held.addAll(set);
            }
        }
        return held;
    }

    /** The grantees that hold a privilege {@code allowed} does not name. */
    Set<String> granteesHoldingMoreThan(Set<Privilege> allowed) {
        Set<String> beyond = new java.util.HashSet<>();
        entries.forEach((grantee, held) -> {
            if (!allowed.containsAll(held)) {
                beyond.add(grantee);
            }
        });
        return beyond;
    }

    Acl grant(String grantee, Set<Privilege> privileges) {
        if (privileges.isEmpty()) {
            return this;
        }
        Map<String, Set<Privilege>> copy = new LinkedHashMap<>(entries);
        copy.merge(grantee, privileges, Acl::union);
        return new Acl(freeze(copy));
    }

    Acl revoke(String grantee, Set<Privilege> privileges) {
        Set<Privilege> held = entries.get(grantee);
        if (held == null) {
            return this;
        }
        EnumSet<Privilege> left = Privilege.setOf(held);
        left.removeAll(privileges);
        Map<String, Set<Privilege>> copy = new LinkedHashMap<>(entries);
        if (left.isEmpty()) {
            copy.remove(grantee);
        } else {
            copy.put(grantee, left);
        }
        return new Acl(freeze(copy));
    }

    /** After ALTER ... OWNER TO: what the old owner held itself, the new owner holds (aclnewowner). */
    Acl newOwner(String oldOwner, String newOwner) {
        Set<Privilege> held = entries.get(oldOwner);
        if (held == null) {
            return this;
        }
        Map<String, Set<Privilege>> copy = new LinkedHashMap<>(entries);
        copy.remove(oldOwner);
        copy.merge(newOwner, held, Acl::union);
        return new Acl(freeze(copy));
    }

    private static Set<Privilege> union(Set<Privilege> a, Set<Privilege> b) {
        EnumSet<Privilege> both = Privilege.setOf(a);
        both.addAll(b);
        return both;
    }

    private static Map<String, EnumSet<Privilege>> freeze(Map<String, Set<Privilege>> entries) {
        Map<String, EnumSet<Privilege>> frozen = new LinkedHashMap<>();
        entries.forEach((grantee, set) -> frozen.put(grantee, Privilege.setOf(set)));
        return java.util.Collections.unmodifiableMap(frozen);
    }

    @Override
    public boolean equals(Object other) {
        return other == this || other instanceof Acl that && hash == that.hash && entries.equals(that.entries);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("{");
        entries.forEach((grantee, set) -> b.append(b.length() > 1 ? ", " : "")
                .append(grantee.isEmpty() ? "PUBLIC" : grantee).append('=').append(Privilege.words(set)));
        return b.append('}').toString();
    }
}
