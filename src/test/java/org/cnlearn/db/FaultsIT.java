package org.cnlearn.db;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real processes, killed and crowded. The repetitions come from system properties, which the
 * soak profile (-Psoak) raises: cnlearn.concurrency.trials and cnlearn.kill.trials.
 */
class FaultsIT {

    /** The database a fault test works on; FaultsThroughPgBouncerIT reaches it through a session-mode pooler. */
    TestDatabase database(String prefix) {
        return TestServer.get().createDatabase(prefix);
    }

    private static final String SLOW_CHANGELOG = "src/test/resources/changelogs/slow.yaml";
    private static final List<String> ALEMBIC_SHAPE = Migrations.expectedLines("expected/user-table.txt");

    /**
     * Every supported PostgreSQL (15+) notices a dead client within a second
     * (client_connection_check_interval), so the killed run's statement, and its lock, end at once.
     */
    @Test
    void killedMavenRunMidChangesetBlocksNothing() throws Exception {
        int trials = Integer.getInteger("cnlearn.kill.trials", 1);
        for (int trial = 1; trial <= trials; trial++) {
            try (TestDatabase db = database("kill")) {
                int slowSeconds = 600;
                double bound = 30;
                Map<String, String> env = MavenRun.envFor(db);
                ProcessBuilder slow = MavenRun.builder(env, "liquibase:update", "-Dcnlearn.changelog=" + SLOW_CHANGELOG, "-DslowSeconds=" + slowSeconds);
                Process victim = slow.redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                db.awaitActiveQuery("pg_sleep", 120);
                // SIGKILL the Maven JVM (and ./mvnw above it), in the middle of the changeset, holding the lock.
                victim.descendants().forEach(ProcessHandle::destroyForcibly);
                victim.destroyForcibly();
                victim.waitFor();
                long killed = System.nanoTime();

                MavenRun next = MavenRun.run(env, "liquibase:update", "-Dcnlearn.changelog=" + SLOW_CHANGELOG, "-DslowSeconds=0");
                double seconds = (System.nanoTime() - killed) / 1e9;
                next.assertSucceeded();
                System.out.printf("[cnlearn-db tests] kill-to-next-success%s, trial %d: %.1f s (a whole Maven run included; killed statement: %d s)%n",
                        getClass() == FaultsIT.class ? "" : " (" + getClass().getSimpleName() + ")", trial, seconds, slowSeconds);
                assertTrue(seconds < bound, "the next update needed " + seconds + " s");
                assertEquals(List.of("slow-create-marker"), db.appliedChangesets());
                assertEquals(0, db.count("SELECT count(*) FROM pg_tables WHERE tablename = 'databasechangeloglock'"));
            }
        }
    }

    @Test
    void concurrentUpdatesApplyEachChangesetExactlyOnce() throws Exception {
        int trials = Integer.getInteger("cnlearn.concurrency.trials", 1);
        int[] crowds = java.util.Arrays.stream(System.getProperty("cnlearn.concurrency.crowds", "4").split(","))
                .mapToInt(c -> Integer.parseInt(c.trim())).toArray();
        int runs = 0;
        for (int trial = 1; trial <= trials; trial++) {
            for (int crowd : crowds) {
                try (TestDatabase db = database("crowd")) {
                    runs += crowd(db, crowd); // a first deploy on an empty database
                    assertEquals(ALEMBIC_SHAPE, db.userTableShape());
                    runs += crowd(db, crowd); // and again on a current one
                    assertEquals(1, db.count("SELECT count(*) FROM databasechangelog"));
                }
            }
        }
        System.out.printf("[cnlearn-db tests] concurrent updates%s: %d trials x crowds of %s, on empty and current databases: %d runs, 0 failures%n",
                getClass() == FaultsIT.class ? "" : " (" + getClass().getSimpleName() + ")", trials,
                System.getProperty("cnlearn.concurrency.crowds", "4"), runs);
    }

    /** Starts n updates at once; every one must exit 0, and each changeset be recorded once. */
    private int crowd(TestDatabase db, int n) throws Exception {
        List<Process> processes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            processes.add(MigrateMain.start(MavenRun.envFor(db), "update"));
        }
        for (Process process : processes) {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(5, TimeUnit.MINUTES), "an update did not finish");
            assertEquals(0, process.exitValue(), "one of " + n + " concurrent updates failed:\n" + output);
        }
        assertEquals(db.count("SELECT count(DISTINCT id) FROM databasechangelog"), db.count("SELECT count(*) FROM databasechangelog"),
                "a changeset was recorded twice");
        return n;
    }
}
