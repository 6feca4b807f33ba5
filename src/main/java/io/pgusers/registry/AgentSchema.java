package io.pgusers.registry;

import io.pgusers.sql.Queries;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The agent's own schema, {@code pgusers}, in the maintenance database: its lock and its audit trail.
 * Created and upgraded by Flyway from {@code sql/migrations}, and only when it is behind: a one-shot command
 * on an up-to-date schema pays for one small query, not for Flyway. (What pgusers promised about roles is
 * kept on the roles themselves: see {@code io.pgusers.core.Promise}.)
 */
public final class AgentSchema {
    /** The highest {@code V<n>__} in {@code sql/migrations}; {@code AgentSchemaTest} keeps the two in step. */
    static final int LATEST_MIGRATION = 3;

    private final Connection connection;

    /** {@code connection}: to the maintenance database, autocommit on. */
    public AgentSchema(Connection connection) {
        this.connection = connection;
    }

    /** Brings the schema up to date; {@code flywayDataSource} is used only when that needs Flyway. */
    public void ensureUpToDate(DataSource flywayDataSource) throws SQLException {
        if (version() >= LATEST_MIGRATION) {
            return;
        }
        Flyway.configure()
                .dataSource(flywayDataSource)
                .schemas("pgusers")
                .createSchemas(true)
                .locations("classpath:sql/migrations")
                .load()
                .migrate();
    }

    int version() throws SQLException {
        boolean present = Queries.one(connection, "registry/history-exists.sql", rs -> rs.getBoolean("present"))
                .orElse(false);
        if (!present) {
            return 0;
        }
        return Queries.one(connection, "registry/latest-migration.sql", rs -> rs.getInt("version")).orElse(0);
    }
}
