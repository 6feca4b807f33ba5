package io.pgusers.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgusers.testing.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code pgusers serve} refuses to start, with exit 2 and what to do, when it is not told enough. */
class ServeCommandTest {

    @Test
    void refusesToStartWithoutAToken() {
        CliRun run = CliRun.against("postgres").env(TokenAuth.ENV, null).run("serve", "--listen", "127.0.0.1:0");
        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().contains("serve needs an API token"), run.err());
        assertTrue(run.err().contains("--token-file") && run.err().contains(TokenAuth.ENV), run.err());
    }

    @Test
    void refusesATokenTooShortToResistGuessing() {
        CliRun run = CliRun.against("postgres").env(TokenAuth.ENV, "secret").run("serve", "--listen", "127.0.0.1:0");
        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().contains("use at least 16"), run.err());
    }

    @Test
    void refusesATokenFileItCannotRead() {
        CliRun run = CliRun.against("postgres").env(TokenAuth.ENV, TestService.TOKEN)
                .run("serve", "--token-file", "/nonexistent/token", "--listen", "127.0.0.1:0");
        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().contains("could not read the API token from /nonexistent/token"), run.err());
    }

    @Test
    void refusesAnEmptyTokenFileEvenWithTheVariableSet() throws IOException {
        Path empty = Files.createTempFile("pgusers-token", "");
        try {
            CliRun run = CliRun.against("postgres").env(TokenAuth.ENV, TestService.TOKEN)
                    .run("serve", "--token-file", empty.toString(), "--listen", "127.0.0.1:0");
            assertEquals(2, run.exitCode(), run::toString);
            assertTrue(run.err().contains("serve needs an API token"), run.err());
        } finally {
            Files.delete(empty);
        }
    }

    @Test
    void refusesACertificateWithoutItsKey() {
        CliRun run = CliRun.against("postgres").env(TokenAuth.ENV, TestService.TOKEN)
                .run("serve", "--tls-cert", "src/test/resources/tls/localhost.crt", "--listen", "127.0.0.1:0");
        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().contains("HTTPS needs both --tls-cert and --tls-key"), run.err());
    }

    @Test
    void refusesAListenAddressWithoutAPort() {
        CliRun run = CliRun.against("postgres").env(TokenAuth.ENV, TestService.TOKEN).run("serve", "--listen", "localhost");
        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().contains("--listen takes HOST:PORT"), run.err());
    }
}
