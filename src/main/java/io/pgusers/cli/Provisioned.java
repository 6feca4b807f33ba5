package io.pgusers.cli;

import io.pgusers.ops.ProvisionResult;

/** How a provision result reads, for the provision command and the sandbox's first start. */
final class Provisioned {
    private Provisioned() {
    }

    static void report(Output output, ProvisionResult result) {
        String sentence = switch (result.outcome()) {
            case CREATED -> "Database \"" + result.database() + "\" provisioned with protected user \""
                    + result.owner() + "\" and password \"" + new String(result.password().chars()) + "\".";
            case ADOPTED -> "Database \"" + result.database() + "\" provisioned: its owner \"" + result.owner()
                    + "\" is now its protected user.";
            case UNCHANGED -> "Database \"" + result.database() + "\" is already provisioned, with protected user \""
                    + result.owner() + "\": nothing changed.";
        };
        if (result.password() == null) {
            output.result(sentence, "database", result.database(), "owner", result.owner(),
                    "outcome", result.outcome().name().toLowerCase());
        } else {
            output.result(sentence, "database", result.database(), "owner", result.owner(),
                    "outcome", result.outcome().name().toLowerCase(), "password", result.password());
        }
    }
}
