package io.pgusers.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgusers.testing.CliRun;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The man pages and completion scripts of the Debian package come from the same model as --help: each option
 * the help of a command shows is in its page, each command has a page, and completion knows every command.
 */
class PackageDocsTest {
    private static final Pattern OPTION = Pattern.compile("(?m)^ {2,6}(?:-\\S, )?(--[a-z-]+)");

    @Test
    void everyCommandHasAPageWithEveryOptionOfItsHelp(@TempDir Path out) throws IOException {
        Path changelog = Files.writeString(out.resolve("changelog.in"), "pgusers ([[version]]) unstable; urgency=medium\n");
        PackageDocs.main(new String[] {out.toString(), "2026-12-02", changelog.toString()});
        for (List<String> command : List.of(List.<String>of(), List.of("list"), List.of("create"), List.of("update-password"),
                List.of("delete"), List.of("provision"), List.of("serve"), List.of("audit"), List.of("check"),
                List.of("repair"), List.of("sandbox"), List.of("sandbox", "start"), List.of("sandbox", "env"))) {
            String name = String.join("-", java.util.stream.Stream.concat(java.util.stream.Stream.of("pgusers"),
                    command.stream()).toList());
            Path page = out.resolve("man").resolve(name + ".1.gz");
            assertTrue(Files.exists(page), "no page " + page);
            String roff = gunzip(page).replace("\\-", "-");
            assertTrue(roff.startsWith(".\\\" Generated") && roff.contains(".TH " + name.toUpperCase()), roff);
            String[] args = java.util.stream.Stream.concat(command.stream(), java.util.stream.Stream.of("--help"))
                    .toArray(String[]::new);
            CliRun help = CliRun.against("postgres").run(args);
            assertEquals(0, help.exitCode(), help::toString);
            String optionsPart = help.out().split("(?m)^(Commands|Exit codes|Connection):")[0];
            Matcher options = OPTION.matcher(optionsPart);
            int seen = 0;
            while (options.find()) {
                assertTrue(roff.contains("\\fB" + options.group(1) + "\\fR"), name + " lacks " + options.group(1));
                seen++;
            }
            assertTrue(seen >= 2, name + ": options found in --help: " + seen);
        }
        String bash = Files.readString(out.resolve("completion").resolve("pgusers"));
        assertTrue(!bash.startsWith("#!"), "a completion file is sourced, not run");
        for (String command : List.of("list", "create", "update-password", "delete", "provision", "serve", "audit",
                "check", "repair", "sandbox")) {
            assertTrue(bash.contains(command), "completion lacks " + command);
        }
        assertTrue(Files.readString(out.resolve("completion").resolve("_pgusers")).startsWith("#compdef pgusers\n"));
        assertTrue(gunzip(out.resolve("changelog.gz")).startsWith("pgusers (0.1.0) unstable"));
    }

    private static String gunzip(Path file) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
