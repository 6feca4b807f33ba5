package io.pgusers.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

/** The JVM floor of a one-shot command: one pgjdbc connection (from PGHOST, PGPORT, ...), one query, the result printed. */
public final class BareJdbc {
    private BareJdbc() {
    }

    public static void main(String[] args) throws Exception {
        String url = "jdbc:postgresql://" + System.getenv("PGHOST") + ":" + System.getenv("PGPORT") + "/"
                + System.getenv("PGDATABASE");
        try (Connection c = DriverManager.getConnection(url, System.getenv("PGUSER"), System.getenv("PGPASSWORD"));
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT rolname FROM pg_catalog.pg_roles ORDER BY 1")) {
            while (rs.next()) {
                System.out.println(rs.getString(1));
            }
        }
    }
}
