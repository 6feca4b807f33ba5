package io.pgusers.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgusers.testing.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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

    /** A port in use: pgusers' message alone, in a process of its own (where Javalin would log to stderr). */
    @Test
    void aPortInUseIsOneClearMessage() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
             io.pgusers.testing.CliProcess serve = io.pgusers.testing.CliProcess.start("postgres",
                     java.util.Map.of(TokenAuth.ENV, TestService.TOKEN), "",
                     "serve", "--listen", "127.0.0.1:" + taken.getLocalPort())) {
            assertEquals(2, serve.exitCode(60), serve::toString);
            String err = serve.err();
            assertTrue(err.startsWith("pgusers: could not listen on 127.0.0.1:" + taken.getLocalPort() + ": "), err);
            assertTrue(err.contains("Choose another with --listen HOST:PORT."), err);
            assertEquals(1, err.lines().count(), "one message, no log before it: " + err);
        }
    }

    @Test
    void refusesATokenTooShortToResistGuessing() {
        CliRun run = CliRun.against("postgres").env(TokenAuth.ENV, "secret").run("serve", "--listen", "127.0.0.1:0");
        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().contains("use at least 32"), run.err());
    }

    @Test
    void refusesALongTokenOfFewDifferentCharacters() {
        CliRun run = CliRun.against("postgres").env(TokenAuth.ENV, "ab".repeat(24)).run("serve", "--listen", "127.0.0.1:0");
        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().contains("48 characters, 2 of them different") && run.err().contains("10 different"),
                run.err());
    }

    /** The token every message suggests is never refused: 64 hex digits often miss one of the 16. */
    @Test
    void acceptsEveryTokenOfOpensslRandHex32() {
        java.security.SecureRandom random = new java.security.SecureRandom();
        int missingADigit = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes = new byte[32];
            random.nextBytes(bytes);
            String token = java.util.HexFormat.of().formatHex(bytes);
            if (token.chars().distinct().count() < 16) {
                missingADigit++;
            }
            TokenAuth.load(null, java.util.Map.of(TokenAuth.ENV, token));
        }
        assertTrue(missingADigit > 1_000, "about one in four lacks a hex digit: " + missingADigit);
    }

    @Test
    void refusesATokenFileOtherUsersMayRead() throws IOException {
        Path file = Files.createTempFile("pgusers-token", "");
        try {
            Files.writeString(file, TestService.TOKEN + "\n");
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
            CliRun run = CliRun.against("postgres").run("serve", "--token-file", file.toString(), "--listen", "127.0.0.1:0");
            assertEquals(2, run.exitCode(), run::toString);
            assertTrue(run.err().contains("can be read by other users of this host") && run.err().contains("chmod 600 " + file),
                    run.err());
        } finally {
            Files.delete(file);
        }
    }

    @Test
    void refusesPlainHttpOnAnAddressOtherHostsReach() {
        for (String listen : new String[] {"0.0.0.0:0", ":0", "[::]:0"}) {
            CliRun run = CliRun.against("postgres").env(TokenAuth.ENV, TestService.TOKEN).run("serve", "--listen", listen);
            assertEquals(2, run.exitCode(), run::toString);
            assertTrue(run.err().contains("over plain HTTP") && run.err().contains("--tls-cert")
                    && run.err().contains("--allow-plain-http"), run.err());
        }
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
