package io.pgusers.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgusers.testing.AppDatabase;
import io.pgusers.testing.CliRun;
import io.pgusers.testing.Names;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Parallel CLI calls, as concurrent hooks would make them. */
class ConcurrencyTest {
    private static final int CALLS = 12;

    @Test
    void parallelCreatesForDistinctNamesAllSucceed() throws Exception {
        AppDatabase db = AppDatabase.provision("para");
        List<String> names = new ArrayList<>();
        List<String> passwords = new ArrayList<>();
        for (int i = 0; i < CALLS; i++) {
            names.add(Names.user("par" + i));
            passwords.add(Names.password());
        }
        ExecutorService pool = Executors.newFixedThreadPool(CALLS);
        try {
            List<Future<CliRun>> runs = new ArrayList<>();
            for (int i = 0; i < CALLS; i++) {
                String name = names.get(i);
                String password = passwords.get(i);
                String[] args = i % 2 == 0
                        ? new String[] {"create", "--password-stdin", name}
                        : new String[] {"create", "--read-only", "--password-stdin", name};
                runs.add(pool.submit(() -> db.cli().stdin(password + "\n").run(args)));
            }
            for (Future<CliRun> run : runs) {
                assertEquals(0, run.get().exitCode(), run.get()::toString);
            }
        } finally {
            pool.shutdown();
        }
        for (int i = 0; i < CALLS; i++) {
            try (Connection c = db.login(names.get(i), passwords.get(i))) {
                assertTrue(c.isValid(2));
            }
            boolean readOnly = i % 2 == 1;
            assertEquals(readOnly ? "f" : "t", db.value("SELECT has_database_privilege('" + names.get(i)
                    + "', current_database(), 'CREATE')"), names.get(i) + " has the access it asked for");
        }
    }

    @Test
    void parallelCreatesOfOneNameGiveOneSuccessAndTheRestAlreadyExists() throws Exception {
        AppDatabase db = AppDatabase.provision("race");
        String name = Names.user("same");
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<CliRun>> runs = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                runs.add(pool.submit(() -> db.cli().run("create", "--generate-password", name)));
            }
            int created = 0;
            int exists = 0;
            for (Future<CliRun> run : runs) {
                int code = run.get().exitCode();
                created += code == 0 ? 1 : 0;
                exists += code == 5 ? 1 : 0;
            }
            assertEquals(1, created);
            assertEquals(5, exists);
        } finally {
            pool.shutdown();
        }
    }
}
