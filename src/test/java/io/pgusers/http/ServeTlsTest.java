package io.pgusers.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgusers.core.Failure;
import io.pgusers.core.PgUsersException;
import io.pgusers.testing.PgServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

/** {@code --tls-cert} and {@code --tls-key}: HTTPS from PEM files, and clear refusals of files that do not fit. */
class ServeTlsTest {
    private static final Path TLS = Path.of("src/test/resources/tls");
    private static final Path CERT = TLS.resolve("localhost.crt");

    @Test
    void servesHttpsWithAPkcs8Key() throws Exception {
        assertServesHttps(ownerOnly(TLS.resolve("localhost.key")));
    }

    @Test
    void servesHttpsWithAPkcs1RsaKey() throws Exception {
        assertServesHttps(ownerOnly(TLS.resolve("localhost-pkcs1.key")));
    }

    @Test
    void aKeyOtherUsersMayReadIsRefusedWithTheFix() throws IOException {
        Path key = ownerOnly(TLS.resolve("localhost.key"));
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        PgUsersException e = assertThrows(PgUsersException.class, () -> start(CERT, key).close());
        assertEquals(Failure.INVALID_INPUT, e.failure());
        assertTrue(e.getMessage().contains("can be read by other users") && e.getMessage().contains("chmod 600 " + key),
                e.getMessage());
    }

    @Test
    void aKeyOfAnotherCertificateIsRefusedAtStart() {
        PgUsersException e = assertThrows(PgUsersException.class, () -> start(CERT, ownerOnly(TLS.resolve("other.key"))).close());
        assertEquals(Failure.INVALID_INPUT, e.failure());
        assertTrue(e.getMessage().contains("does not belong to the certificate"), e.getMessage());
    }

    @Test
    void aCertificateWithoutItsKeyIsRefused() {
        PgUsersException e = assertThrows(PgUsersException.class, () -> start(CERT, null).close());
        assertEquals("HTTPS needs both --tls-cert and --tls-key", e.getMessage());
    }

    @Test
    void aFileThatIsNotPemIsRefusedWithWhatToDo() {
        PgUsersException e = assertThrows(PgUsersException.class, () -> start(CERT, ownerOnly(TLS.resolve("README.md"))).close());
        assertTrue(e.getMessage().contains("holds no PEM private key"), e.getMessage());
    }

    private static void assertServesHttps(Path key) throws Exception {
        try (ApiServer server = start(CERT, key)) {
            HttpClient https = HttpClient.newBuilder().sslContext(trusting(CERT)).connectTimeout(Duration.ofSeconds(5)).build();
            for (String host : new String[] {"localhost", "127.0.0.1"}) {
                ApiClient api = new ApiClient("https://" + host + ":" + server.port(), TestService.TOKEN, https);
                ApiClient.Answer health = api.withToken(null).get("/health").expect(200);
                assertEquals("max-age=31536000", health.raw().headers().firstValue("Strict-Transport-Security").orElse(null),
                        "HSTS: a browser that saw it over HTTPS never tries plain HTTP");
                api.get("/databases").expect(200);
                api.withToken(null).get("/databases").expect(401);
                assertEquals("https://127.0.0.1:" + server.port(), server.url("127.0.0.1"));
            }
            HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/health"))
                    .timeout(Duration.ofSeconds(5)).build();
            boolean refused;
            try {
                refused = plain.send(request, HttpResponse.BodyHandlers.ofString()).statusCode() != 200;
            } catch (IOException e) {
                refused = true;
            }
            assertTrue(refused, "plain HTTP on the HTTPS port is not served");
        }
    }

    /** A copy of a key that only its owner may read, as serve wants it (git keeps no such mode). */
    static Path ownerOnly(Path file) throws IOException {
        Path copy = Files.createTempFile("pgusers-tls", ".pem", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rw-------")));
        copy.toFile().deleteOnExit();
        Files.write(copy, Files.readAllBytes(file));
        return copy;
    }

    private static ApiServer start(Path cert, Path key) {
        ApiServer.Options defaults = TestService.options(Duration.ofSeconds(5));
        return TestService.start(TestService.logins(PgServer.shared().host(), PgServer.shared().port()),
                new ApiServer.Options(defaults.host(), 0, cert, key, defaults.poolSize(), defaults.connectionTimeout(),
                        defaults.stopTimeout()));
    }

    private static SSLContext trusting(Path certificate) throws Exception {
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        try (InputStream in = java.nio.file.Files.newInputStream(certificate)) {
            trusted.setCertificateEntry("pgusers-test", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
