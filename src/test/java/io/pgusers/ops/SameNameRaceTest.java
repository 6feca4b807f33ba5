package io.pgusers.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgusers.http.ApiClient;
import io.pgusers.http.ServeProcess;
import io.pgusers.testing.AppDatabase;
import io.pgusers.testing.CliRun;
import io.pgusers.testing.Names;
import io.pgusers.testing.RoleComments;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Issue 8, same-name races: any mix of concurrent creates of one name, of either access, through CLI calls
 * or several serve processes, in one database or two: exactly one succeeds, and what is promised is what that
 * one created. check passes everywhere; the losers' access is nowhere.
 */
class SameNameRaceTest {
    private static final int RACERS = 8;

    /** One racer: the database it creates in, and whether read-only. */
    private record Racer(AppDatabase db, boolean readOnly) {
    }

    @Test
    void cliCallsOfMixedAccessInTwoDatabases() throws Exception {
        AppDatabase a = AppDatabase.provision("race_a");
        AppDatabase b = AppDatabase.provision("race_b");
        String name = Names.user("contested");
        List<Racer> racers = racers(a, b);
        ExecutorService pool = Executors.newFixedThreadPool(RACERS);
        List<Integer> codes = new ArrayList<>();
        try {
            List<Future<CliRun>> runs = new ArrayList<>();
            for (Racer racer : racers) {
                String[] args = racer.readOnly() ? new String[] {"create", "--generate-password", "--read-only", name} : new String[] {"create", "--generate-password", name};
                runs.add(pool.submit(() -> racer.db().cli().run(args)));
            }
            for (Future<CliRun> run : runs) {
                CliRun result = run.get();
                assertTrue(result.exitCode() == 0 || result.exitCode() == 5, result::toString);
                codes.add(result.exitCode());
            }
        } finally {
            pool.shutdown();
        }
        assertOneWinnerAndNothingElse(name, racers, codes, 0, a, b);
    }

    @Test
    void requestsOfMixedAccessThroughTwoServeProcessesInTwoDatabases() throws Exception {
        AppDatabase a = AppDatabase.provision("srace_a");
        AppDatabase b = AppDatabase.provision("srace_b");
        String name = Names.user("contested");
        List<Racer> racers = racers(a, b);
        try (ServeProcess one = ServeProcess.start("--listen", "127.0.0.1:0");
             ServeProcess two = ServeProcess.start("--listen", "127.0.0.1:0")) {
            List<java.util.concurrent.CompletableFuture<ApiClient.Answer>> answers = new ArrayList<>();
            for (int i = 0; i < racers.size(); i++) {
                Racer racer = racers.get(i);
                ApiClient api = (i % 2 == 0 ? one : two).api();
                answers.add(api.sendAsync("POST", "/databases/" + racer.db().name() + "/users",
                        ApiClient.createBody(name, racer.readOnly(), null, null)));
            }
            List<Integer> codes = new ArrayList<>();
            for (var answer : answers) {
                int status = answer.get().status();
                assertTrue(status == 201 || status == 409, answer.get().body());
                codes.add(status);
            }
            assertOneWinnerAndNothingElse(name, racers, codes, 201, a, b);
        }
    }

    private static List<Racer> racers(AppDatabase a, AppDatabase b) {
        List<Racer> racers = new ArrayList<>();
        for (int i = 0; i < RACERS; i++) {
            racers.add(new Racer(i % 4 < 2 ? a : b, i % 2 == 0));
        }
        return racers;
    }

    private static void assertOneWinnerAndNothingElse(String name, List<Racer> racers, List<Integer> codes, int success,
                                                      AppDatabase... databases) throws SQLException {
        assertEquals(1, codes.stream().filter(code -> code == success).count(), "exactly one succeeds: " + codes);
        Racer winner = racers.get(codes.indexOf(success));
        String access = winner.readOnly() ? "read-only" : "read-write";
        assertEquals("pgusers/1 {\"database\":\"" + winner.db().name() + "\",\"role\":\"" + access + " user\"}",
                RoleComments.promise(name), "what is promised is what the winner created");
        for (AppDatabase db : databases) {
            CliRun check = db.cli().run("check");
            assertEquals(0, check.exitCode(), check::toString);
            boolean won = db == winner.db();
            for (String group : List.of(db.name() + "-readers", db.name() + "-writers")) {
                boolean member = "t".equals(db.value("SELECT pg_has_role('" + name + "', '" + group + "', 'MEMBER')"));
                boolean expected = won && group.endsWith(winner.readOnly() ? "-readers" : "-writers");
                assertEquals(expected, member, name + " in " + group);
            }
            assertEquals(won ? "t" : "f", db.value("SELECT has_database_privilege('" + name + "', current_database(), 'CONNECT')"),
                    "the losers' access is nowhere");
            if (!won) {
                assertFalse("t".equals(db.value("SELECT has_schema_privilege('" + name + "', 'public', 'USAGE') "
                        + "AND EXISTS (SELECT FROM pg_namespace n, aclexplode(n.nspacl) x WHERE n.nspname = 'public' "
                        + "AND x.grantee = (SELECT oid FROM pg_roles WHERE rolname = '" + name + "'))")),
                        "no grant to it in the database it lost");
            }
        }
    }
}
