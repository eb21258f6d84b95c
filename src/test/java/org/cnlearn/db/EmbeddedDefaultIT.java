package org.cnlearn.db;

import org.cnlearn.db.connection.PostgresVersions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real goals with no database given: the embedded default, and what refuses to start one. */
class EmbeddedDefaultIT {

    private static final String CHANGESET = "db-changelog/changes/0001-create-user-table.yaml::0001-create-user-table::cnlearn";

    @Test
    void embeddedDefaultKeepsItsDataBetweenRuns(@TempDir Path home) throws Exception {
        String dir = "-Dcnlearn.embedded.dir=" + home;
        MavenRun update = MavenRun.run(Map.of(), "liquibase:update", dir).assertSucceeded();
        String notice = "using the embedded PostgreSQL";
        assertTrue(update.output.contains(notice + " " + System.getProperty(PostgresVersions.REQUESTED_PROPERTY) + ".")
                && update.output.contains(home.resolve("data").toString()), update.output);
        assertTrue(update.goal("update").contains("Running Changeset: " + CHANGESET), update.output);

        MavenRun later = MavenRun.run(Map.of(), "liquibase:status", "liquibase:rollback", "-Dliquibase.rollbackCount=1",
                "liquibase:status", dir).assertSucceeded();
        assertTrue(later.output.contains(notice), later.output);
        assertTrue(later.goal("status").contains("is up to date"), later.output);
        assertTrue(later.output.contains("1 changeset has not been applied"), later.output);
    }

    /**
     * Two goals at once on a fresh data folder: one initialises it and the other waits for the folder's
     * lock, then both work. (Both ran initdb into it: one hung for 60 s, and both failed, naming
     * io.zonky's classes and advising to delete the folder.)
     */
    @Test
    void twoGoalsAtOnceOnAFreshFolderBothWork(@TempDir Path home) throws Exception {
        List<Process> runs = new java.util.ArrayList<>();
        for (int i = 0; i < 2; i++) {
            runs.add(MavenRun.builder(Map.of(), "liquibase:status", "-Dcnlearn.embedded.dir=" + home).start());
        }
        StringBuilder both = new StringBuilder();
        for (Process run : runs) {
            String output = new String(run.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(run.waitFor(3, java.util.concurrent.TimeUnit.MINUTES), output);
            MavenRun.of(run.exitValue(), output).assertSucceeded();
            assertTrue(output.contains("1 changeset has not been applied"), output);
            both.append(output);
        }
        assertFalse(both.toString().matches("(?s).*(io\\.zonky|Exception|delet).*"), both.toString());
        assertTrue(Files.exists(home.resolve("data/PG_VERSION")), "the folder was not initialised");
    }

    @Test
    void anEndOfLifeMajorIsRefusedByAGoalAndNothingStarts(@TempDir Path home) throws Exception {
        MavenRun run = MavenRun.run(Map.of(), "liquibase:status", "-Dpg.version=13", "-Dcnlearn.embedded.dir=" + home);
        assertNotEquals(0, run.exitCode, run.output);
        assertTrue(run.output.contains("-Dpg.version: PostgreSQL 13 is past its end of life and gets no more fixes. This project"
                + " supports PostgreSQL 15 to 18"), run.output);
        assertFalse(Files.exists(home.resolve("data")), "an embedded database was started");
    }

    /** The refusal is ConnectionSettings', which every goal goes through (ConnectionSettingsTest); update shows it. */
    @Test
    void ciWithoutUrlRefusesTheGoalsAndCommercialJarStaysOff(@TempDir Path home) throws Exception {
        for (String goal : List.of("update")) {
            MavenRun run = MavenRun.run(Map.of("CI", "true"), "-X", "liquibase:" + goal, "-Dcnlearn.embedded.dir=" + home);
            assertNotEquals(0, run.exitCode, run.output);
            assertTrue(run.output.contains("LIQUIBASE_COMMAND_URL is not set, and CI is"), run.output);
            assertFalse(Files.exists(home.resolve("data")), "an embedded database was started");
            // -X lists the plugin's class realm: liquibase-commercial's place is taken by a JDK jar.
            assertTrue(run.output.contains("Populating class realm plugin>org.liquibase:liquibase-maven-plugin"), "no realm listing");
            assertFalse(run.output.matches("(?s).*liquibase-commercial-[0-9.]+\\.jar.*"), "liquibase-commercial is on the classpath");
        }
        Path repository = Path.of(System.getProperty("maven.repo.local"), "org", "liquibase", "liquibase-commercial");
        assertFalse(Files.exists(repository) && Files.walk(repository).anyMatch(p -> p.toString().endsWith(".jar")),
                "liquibase-commercial was downloaded to " + repository);
    }
}
