package io.pgusers.drift;

import java.util.EnumSet;
import java.util.Set;

/** The kinds of object whose privileges pgusers compares. */
enum ObjectType {
    DATABASE("database", "DATABASE", null, EnumSet.of(Privilege.CREATE, Privilege.CONNECT, Privilege.TEMPORARY)),
    SCHEMA("schema", "SCHEMA", "SCHEMAS", EnumSet.of(Privilege.USAGE, Privilege.CREATE)),
    /** What GRANT ... ON TABLE covers: tables, partitioned tables, views, materialized views, foreign tables. */
    TABLE("table", "TABLE", "TABLES", EnumSet.of(Privilege.SELECT, Privilege.INSERT, Privilege.UPDATE,
            Privilege.DELETE, Privilege.TRUNCATE, Privilege.REFERENCES, Privilege.TRIGGER, Privilege.MAINTAIN)),
    SEQUENCE("sequence", "SEQUENCE", "SEQUENCES", EnumSet.of(Privilege.USAGE, Privilege.SELECT, Privilege.UPDATE)),
    /** Large objects: compared for what a role can do (UPDATE writes one), not promised by any access level. */
    LARGE_OBJECT("large object", "LARGE OBJECT", null, EnumSet.of(Privilege.SELECT, Privilege.UPDATE));

    private final String word;
    private final String keyword;
    private final String defaultsKeyword;
    private final Set<Privilege> all;

    ObjectType(String word, String keyword, String defaultsKeyword, Set<Privilege> all) {
        this.word = word;
        this.keyword = keyword;
        this.defaultsKeyword = defaultsKeyword;
        this.all = all;
    }

    /** How a DBA names it: table, sequence, ... */
    public String word() {
        return word;
    }

    /** GRANT ... ON <keyword> */
    String keyword() {
        return keyword;
    }

    /** ALTER DEFAULT PRIVILEGES ... ON <keyword> */
    String defaultsKeyword() {
        return defaultsKeyword;
    }

    /** Every privilege of the type on that major version: what GRANT ALL grants (MAINTAIN from 17). */
    EnumSet<Privilege> all(int major) {
        EnumSet<Privilege> privileges = EnumSet.copyOf(all);
        if (major < 17) {
            privileges.remove(Privilege.MAINTAIN);
        }
        return privileges;
    }
}
