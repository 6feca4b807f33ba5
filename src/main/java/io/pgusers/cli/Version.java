package io.pgusers.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** {@code --version}: the project version Maven wrote into {@code pgusers-version.properties}. */
final class Version implements IVersionProvider {

    @Override
    public String[] getVersion() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("/pgusers-version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        }
        return new String[] {"pgusers " + properties.getProperty("version", "unknown")};
    }
}
