package io.pgusers.connect;

/**
 * What the user typed on the command line: psql's {@code -h -p -U -d}, or a whole JDBC URL. Each may be null.
 */
public record ConnectionRequest(String host, Integer port, String user, String dbname, String url) {}
