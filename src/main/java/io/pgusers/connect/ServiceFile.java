package io.pgusers.connect;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * libpq's connection service file, read by us because pgjdbc gives up on keys it does not know.
 *
 * <p>INI format: {@code [name]} sections of {@code key=value} lines, {@code #} comments. As in libpq's
 * parseServiceInfo(), a missing file is skipped, the first file holding the service wins, and within the section the
 * first value of a key wins. Only the keys pgusers uses are kept; the others are ignored.
 */
final class ServiceFile {

    private static final Set<String> KEYS =
            Set.of("host", "hostaddr", "port", "dbname", "user", "password", "sslmode", "connect_timeout");

    private ServiceFile() {}

    /** Service {@code name} from the first of {@code files} that has it; hostaddr is folded into host. */
    static Map<String, String> lookup(String name, List<Path> files) {
        for (Path file : files) {
            Map<String, String> found = Files.isRegularFile(file) ? section(file, name) : null;
            if (found != null) {
                String hostaddr = found.remove("hostaddr");
                if (hostaddr != null) {
                    found.putIfAbsent("host", hostaddr);
                }
                return found;
            }
        }
        throw new IllegalArgumentException("service \"" + name + "\" not found in "
                + files.stream().map(Path::toString).collect(Collectors.joining(" or ")));
    }

    /** The known keys of section {@code [name]} in {@code file}, or null when the file has no such section. */
    private static Map<String, String> section(Path file, String name) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read service file " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> values = null;
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("[")) {
                if (values != null) {
                    break; // the next section starts: ours is complete
                }
                if (line.equals("[" + name + "]")) {
                    values = new HashMap<>();
                }
            } else if (values != null) {
                int eq = line.indexOf('=');
                if (eq < 0) {
                    throw new IllegalArgumentException("syntax error in service file " + file + ", line " + (n + 1));
                }
                String key = line.substring(0, eq).strip();
                if (KEYS.contains(key)) {
                    values.putIfAbsent(key, line.substring(eq + 1).strip());
                }
            }
        }
        return values;
    }
}
