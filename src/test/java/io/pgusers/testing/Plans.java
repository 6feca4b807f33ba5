package io.pgusers.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** What the server did to run a query: its plan as run, and the rows it read of a catalog. Costs shown without a clock. */
public final class Plans {
    private Plans() {
    }

    /** {@code EXPLAIN (ANALYZE, FORMAT JSON)} of {@code query}; a {@code String[]} parameter is sent as text[]. */
    public static JsonNode analyze(Connection c, String query, Object... parameters) throws SQLException {
        try (PreparedStatement explain = c.prepareStatement("EXPLAIN (ANALYZE, FORMAT JSON) " + query)) {
            for (int i = 0; i < parameters.length; i++) {
                explain.setObject(i + 1, parameters[i] instanceof String[] names
                        ? c.createArrayOf("text", names) : parameters[i]);
            }
            try (ResultSet rs = explain.executeQuery()) {
                rs.next();
                return new ObjectMapper().readTree(rs.getString(1));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException("EXPLAIN's JSON", e);
            }
        }
    }

    /** The rows that the plan's scans of {@code relation} read: those they returned and those their filter removed. */
    public static long rowsRead(JsonNode node, String relation) {
        long read = 0;
        if (node.isObject() && relation.equals(node.path("Relation Name").asText())) {
            // both are shown per loop
            read += Math.round((node.path("Actual Rows").asDouble() + node.path("Rows Removed by Filter").asDouble())
                    * Math.max(1, node.path("Actual Loops").asLong()));
        }
        for (JsonNode child : node) {
            read += rowsRead(child, relation);
        }
        return read;
    }
}
