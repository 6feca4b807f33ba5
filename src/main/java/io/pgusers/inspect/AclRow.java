package io.pgusers.inspect;

import java.util.List;

/**
 * One row of {@code privilege-acls.sql}: an access control list and the objects that share it.
 *
 * @param objectType database, schema, table, sequence, column, large objects, default table, default sequence,
 *                   default schema
 * @param relkind    pg_class.relkind of a table or sequence, else null
 * @param schema     the objects' schema; for default privileges the IN SCHEMA, null for every schema
 * @param owner      the owner; for default privileges the role whose new objects they apply to
 * @param names      the objects (for a column, its table)
 * @param ownedBy    for sequences, parallel to {@code names}: the table (same schema) one of whose columns
 *                   owns the sequence (serial or identity), '' for none; empty for other rows
 * @param column     the column of a column grant, else null
 * @param inExtension the objects belong to an extension, or lie in a schema that does
 * @param grantees   the ACL's grantees ('' for PUBLIC), parallel to {@code privileges}
 * @param privileges each grantee's privileges, comma-separated
 */
public record AclRow(String objectType, String relkind, String schema, String owner, List<String> names,
                     List<String> ownedBy, String column, boolean inExtension, List<String> grantees,
                     List<String> privileges) {

    public AclRow {
        names = List.copyOf(names);
        ownedBy = ownedBy == null ? List.of() : List.copyOf(ownedBy);
        if (!ownedBy.isEmpty() && ownedBy.size() != names.size()) {
            throw new IllegalArgumentException("ownedBy " + ownedBy + " is not parallel to names " + names);
        }
        grantees = List.copyOf(grantees);
        privileges = List.copyOf(privileges);
    }

    /** Objects of no extension. */
    public AclRow(String objectType, String relkind, String schema, String owner, List<String> names,
                  List<String> ownedBy, String column, List<String> grantees, List<String> privileges) {
        this(objectType, relkind, schema, owner, names, ownedBy, column, false, grantees, privileges);
    }
}
