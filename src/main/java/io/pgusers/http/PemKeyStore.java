package io.pgusers.http;

import io.pgusers.core.PgUsersException;
import io.pgusers.core.SecretFile;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A certificate chain and its private key, from the PEM files of {@code --tls-cert} and {@code --tls-key},
 * as an in-memory key store for Jetty. Keys: unencrypted PKCS#8 ({@code BEGIN PRIVATE KEY}, what
 * {@code openssl genpkey} and {@code openssl req -newkey} write) of any algorithm the JDK knows, or
 * PKCS#1 RSA ({@code BEGIN RSA PRIVATE KEY}).
 */
final class PemKeyStore {
    static final String ALIAS = "pgusers";
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]+?)\\s*-----END \\1-----");
    /** AlgorithmIdentifier of rsaEncryption (1.2.840.113549.1.1.1) with NULL parameters, DER. */
    private static final byte[] RSA_ALGORITHM = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86,
        (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};

    private PemKeyStore() {
    }

    /** The key store, with {@code password} for the store and the key. */
    static KeyStore load(Path certFile, Path keyFile, char[] password) {
        X509Certificate[] chain = certificates(certFile);
        if (Files.exists(keyFile)) {
            SecretFile.requireOwnerOnly(keyFile, "the TLS private key");
        }
        PrivateKey key = privateKey(keyFile, chain[0].getPublicKey().getAlgorithm());
        checkPair(key, chain[0], certFile, keyFile);
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, password);
            store.setKeyEntry(ALIAS, key, password, chain);
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw PgUsersException.invalid("could not use the key of " + keyFile + " with the certificate of "
                    + certFile + ": " + e.getMessage());
        }
    }

    private static X509Certificate[] certificates(Path file) {
        try (ByteArrayInputStream in = new ByteArrayInputStream(Files.readAllBytes(file))) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certificates.isEmpty()) {
                throw PgUsersException.invalid(file + " holds no certificate: --tls-cert takes a PEM file "
                        + "(-----BEGIN CERTIFICATE-----), the server's certificate first, then its chain");
            }
            return certificates.toArray(new X509Certificate[0]);
        } catch (IOException | GeneralSecurityException e) {
            throw PgUsersException.invalid("could not read the certificate " + file + ": " + e.getMessage());
        }
    }

    private static PrivateKey privateKey(Path file, String algorithm) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw PgUsersException.invalid("could not read the private key " + file + ": " + e.getMessage());
        }
        Matcher block = BLOCK.matcher(text);
        if (!block.find()) {
            throw PgUsersException.invalid(file + " holds no PEM private key: --tls-key takes a PEM file");
        }
        byte[] der = Base64.getMimeDecoder().decode(block.group(2));
        byte[] pkcs8 = switch (block.group(1)) {
            case "PRIVATE KEY" -> der;
            case "RSA PRIVATE KEY" -> rsaPkcs1ToPkcs8(der);
            default -> throw PgUsersException.invalid(file + " holds a \"" + block.group(1) + "\", which pgusers "
                    + "cannot read: convert it to an unencrypted PKCS#8 key with "
                    + "openssl pkcs8 -topk8 -nocrypt -in " + file + " -out key.pem");
        };
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException e) {
            throw PgUsersException.invalid("could not read the " + algorithm + " private key " + file + ": "
                    + e.getMessage());
        } finally {
            Arrays.fill(der, (byte) 0);
            Arrays.fill(pkcs8, (byte) 0);
        }
    }

    /** A key that does not sign for the certificate would only fail at the first handshake: say so now. */
    private static void checkPair(PrivateKey key, X509Certificate certificate, Path certFile, Path keyFile) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "Ed448", "EdDSA" -> key.getAlgorithm();
            default -> null;
        };
        if (algorithm == null) {
            return;
        }
        try {
            byte[] probe = "pgusers".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            if (verifier.verify(signature)) {
                return;
            }
        } catch (GeneralSecurityException e) {
            // falls through to the message below
        }
        throw PgUsersException.invalid("the private key " + keyFile + " does not belong to the certificate "
                + certFile + " (" + certificate.getSubjectX500Principal().getName() + ")");
    }

    /** PKCS#8 PrivateKeyInfo around a PKCS#1 RSAPrivateKey: version 0, rsaEncryption, the key as an OCTET STRING. */
    private static byte[] rsaPkcs1ToPkcs8(byte[] pkcs1) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {0x02, 0x01, 0x00});
        body.writeBytes(RSA_ALGORITHM);
        body.write(0x04);
        writeLength(body, pkcs1.length);
        body.writeBytes(pkcs1);
        byte[] content = body.toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x30);
        writeLength(out, content.length);
        out.writeBytes(content);
        Arrays.fill(content, (byte) 0);
        return out.toByteArray();
    }

    private static void writeLength(ByteArrayOutputStream out, int length) {
        if (length < 0x80) {
            out.write(length);
        } else if (length <= 0xff) {
            out.write(0x81);
            out.write(length);
        } else if (length <= 0xffff) {
            out.write(0x82);
            out.write(length >> 8);
            out.write(length & 0xff);
        } else {
            out.write(0x83);
            out.write(length >> 16);
            out.write((length >> 8) & 0xff);
            out.write(length & 0xff);
        }
    }
}
