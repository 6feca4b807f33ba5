package io.pgusers.drift;

import java.util.Collection;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/** The privileges pgusers compares, named as {@code aclexplode} and GRANT name them. */
enum Privilege {
    SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER, MAINTAIN,
    USAGE, CREATE, CONNECT, TEMPORARY;

    /** {@code aclexplode}'s privilege_type, or null for one pgusers does not compare (EXECUTE, SET, ...). */
    static Privilege parse(String name) {
        for (Privilege p : values()) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        return null;
    }

    /** A comma-separated list as {@code privilege-acls.sql} returns it; unknown names are dropped. */
    static Set<Privilege> parseList(String list) {
        EnumSet<Privilege> set = EnumSet.noneOf(Privilege.class);
        if (list != null && !list.isBlank()) {
            for (String name : list.split(",")) {
                Privilege p = parse(name.strip());
                if (p != null) {
                    set.add(p);
                }
            }
        }
        return set;
    }

    static EnumSet<Privilege> setOf(Collection<Privilege> privileges) {
        return privileges.isEmpty() ? EnumSet.noneOf(Privilege.class) : EnumSet.copyOf(privileges);
    }

    /** {@code SELECT, INSERT}, in the order GRANT documents them; {@code no privileges} when empty. */
    static String words(Set<Privilege> privileges) {
        return privileges.isEmpty() ? "no privileges"
                : privileges.stream().sorted().map(Enum::name).collect(Collectors.joining(", "));
    }

    /** As {@link #words(Set)}, but {@code ALL PRIVILEGES} for every privilege of a table (a long list). */
    static String words(Set<Privilege> privileges, ObjectType type, int major) {
        Set<Privilege> all = type.all(major);
        return all.size() > 3 && privileges.equals(all) ? "ALL PRIVILEGES" : words(privileges);
    }

    /** The SQL privilege list of a GRANT or REVOKE. */
    static String sql(Set<Privilege> privileges) {
        return privileges.stream().sorted().map(Enum::name).collect(Collectors.joining(", "));
    }
}
