package io.pgusers.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgusers.testing.CliRun;
import io.pgusers.testing.Names;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README's first command: the agent on its embedded sandbox, whose data is kept between runs. Runs
 * the sandbox's own PostgreSQL (the one bundled in the jar), whatever version the suite targets.
 */
class SandboxTest {

    @Test
    void firstRunProvisionsAndWhatOneRunCreatesTheNextOneLists() throws IOException {
        Path dir = Files.createTempDirectory("pgusers-sandbox-test");
        try {
            runTwice(dir);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    private static void runTwice(Path dir) {
        String name = Names.user("kept");

        CliRun first = CliRun.against("postgres").env("PGUSERS_SANDBOX", dir.toString()).run("list");
        assertEquals(0, first.exitCode(), first::toString);
        assertTrue(first.err().contains("provisioned with protected user"), first.err());
        assertTrue(first.out().matches("(?s).*\\| owner_\\w+ +\\| false +\\| true +\\| SCRAM-SHA-256 +\\|.*"), first.out());

        CliRun create = CliRun.against("postgres").env("PGUSERS_SANDBOX", dir.toString()).run("create", "--generate-password", "--read-only", name);
        assertEquals(0, create.exitCode(), create::toString);

        CliRun next = CliRun.against("postgres").env("PGUSERS_SANDBOX", dir.toString()).run("--sandbox", "list");
        assertEquals(0, next.exitCode(), next::toString);
        assertFalse(next.err().contains("provisioned"), "no second provisioning: " + next.err());
        assertTrue(next.out().contains("| " + name + " "), next.out());

        CliRun elsewhere = CliRun.against("postgres").env("PGUSERS_SANDBOX", dir.toString()).run("-h", "db.example", "list");
        assertEquals(2, elsewhere.exitCode(), "a server named on the command line is not silently replaced: " + elsewhere);
    }
}
