package io.pgusers.cli;

import io.pgusers.ops.ProvisionResult;
import java.util.List;

/** How a provision result reads: the platform's kind of sentence, or its facts as JSON. */
final class Provisioned {
    private Provisioned() {
    }

    static void report(Output output, ProvisionResult result) {
        if (!result.closedPublicSchemaIn().isEmpty()) {
            output.note("CREATE on schema public is now closed to PUBLIC in database(s) "
                    + String.join(", ", result.closedPublicSchemaIn()) + " (as PostgreSQL 15 does by default):"
                    + " a read-only user can create nothing anywhere on the instance.");
        }
        String database = "Database \"" + result.database() + "\"";
        String outcome = result.outcome().name().toLowerCase();
        switch (result.outcome()) {
            case CREATED -> output.result(List.of(database + " provisioned with protected user \"" + result.owner()
                            + "\" and password \"", result.password(), "\"."),
                    "database", result.database(), "owner", result.owner(), "outcome", outcome,
                    "password", result.password(), "closed_public_schema_in", result.closedPublicSchemaIn());
            case FINISHED -> output.result(List.of(database + " provisioned (a provision cut short is finished) with"
                            + " protected user \"" + result.owner() + "\" and new password \"", result.password(), "\"."),
                    "database", result.database(), "owner", result.owner(), "outcome", outcome,
                    "password", result.password(), "closed_public_schema_in", result.closedPublicSchemaIn());
            case ADOPTED -> output.result(database + " provisioned: its owner \"" + result.owner()
                            + "\" is now its protected user.",
                    "database", result.database(), "owner", result.owner(), "outcome", outcome,
                    "closed_public_schema_in", result.closedPublicSchemaIn());
            case UNCHANGED -> output.result(database + " is already provisioned, with protected user \""
                            + result.owner() + "\": nothing changed.",
                    "database", result.database(), "owner", result.owner(), "outcome", outcome,
                    "closed_public_schema_in", result.closedPublicSchemaIn());
        }
    }
}
