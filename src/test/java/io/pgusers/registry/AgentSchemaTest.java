package io.pgusers.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class AgentSchemaTest {

    @Test
    void latestMigrationConstantMatchesTheNewestMigrationFile() throws IOException {
        Pattern version = Pattern.compile("V(\\d+)__.*\\.sql");
        int newest;
        try (Stream<Path> files = Files.list(Path.of("sql/migrations"))) {
            newest = files.map(p -> version.matcher(p.getFileName().toString()))
                    .filter(Matcher::matches)
                    .mapToInt(m -> Integer.parseInt(m.group(1)))
                    .max().orElse(0);
        }
        assertEquals(newest, AgentSchema.LATEST_MIGRATION,
                "AgentSchema.LATEST_MIGRATION must name the newest file in sql/migrations");
    }
}
