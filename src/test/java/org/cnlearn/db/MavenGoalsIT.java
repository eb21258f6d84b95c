package org.cnlearn.db;

import org.cnlearn.db.connection.ConnectionSettings;
import org.cnlearn.db.connection.PostgresVersions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real Maven goals, in child Maven processes, against a separate server and the embedded default. */
class MavenGoalsIT {

    private static final List<String> ALEMBIC_SHAPE = Migrations.expectedLines("expected/user-table.txt");
    private static final String CHANGESET = "db-changelog/changes/0001-create-user-table.yaml::0001-create-user-table::cnlearn";

    @Test
    void goalsRoundTripOnASeparateServer() throws Exception {
        try (TestDatabase db = TestServer.get().createDatabase("goals")) {
            Map<String, String> env = MavenRun.envFor(db);

            MavenRun first = MavenRun.run(env, "liquibase:status", "liquibase:update", "liquibase:status").assertSucceeded();
            assertTrue(first.goal("status").contains("1 changeset has not been applied"), first.output);
            assertTrue(first.goal("update").contains("Running Changeset: " + CHANGESET), first.output);
            assertTrue(first.output.lastIndexOf("is up to date") > first.output.indexOf("Running Changeset"), first.output);
            assertEquals(ALEMBIC_SHAPE, db.userTableShape());

            MavenRun second = MavenRun.run(env, "liquibase:rollback", "-Dliquibase.rollbackCount=1", "liquibase:status").assertSucceeded();
            assertTrue(second.goal("rollback").contains("Rolling Back Changeset: " + CHANGESET), second.output);
            assertTrue(second.goal("status").contains("1 changeset has not been applied"), second.output);
            assertEquals(List.of(), db.userTableShape());

            MavenRun third = MavenRun.run(env, "liquibase:update", "liquibase:history", "liquibase:validate",
                    "liquibase:releaseLocks").assertSucceeded();
            assertTrue(third.goal("history").matches("(?s).*db-changelog/changes/0001-create-user-table.yaml \\| cnlearn +\\| 0001-create-user-table .*"), third.output);
            assertTrue(third.goal("validate").contains("No validation errors found"), third.output);
            assertTrue(third.goal("releaseLocks").contains("Successfully released all database change log locks"), third.output);
            assertEquals(ALEMBIC_SHAPE, db.userTableShape());
        }
    }

    @Test
    void rollbackByTagReturnsToTheTag() throws Exception {
        try (TestDatabase db = TestServer.get().createDatabase("tags")) {
            MavenRun run = MavenRun.run(MavenRun.envFor(db), "liquibase:tag", "-Dliquibase.tag=before-user",
                    "liquibase:update", "liquibase:rollback", "-Dliquibase.rollbackTag=before-user", "liquibase:status").assertSucceeded();
            assertTrue(run.goal("update").contains("Running Changeset: " + CHANGESET), run.output);
            assertTrue(run.goal("rollback").contains("Rolling Back Changeset: " + CHANGESET), run.output);
            assertTrue(run.goal("status").contains("1 changeset has not been applied"), run.output);
            assertEquals(List.of(), db.userTableShape());
        }
    }

    @Test
    void offlineSqlBuildsTheSameTableAsUpdate() throws Exception {
        try (TestDatabase offline = TestServer.get().createDatabase("offline_sql");
             TestDatabase online = TestServer.get().createDatabase("online")) {
            Path updateSql = Files.createTempFile("update", ".sql");
            Path rollbackSql = Files.createTempFile("rollback", ".sql");
            MavenRun.run(MavenRun.envFor(offline), "liquibase:updateSQL", "-Dliquibase.migrationSqlOutputFile=" + updateSql).assertSucceeded();
            String sql = Files.readString(updateSql);
            assertTrue(sql.contains("CREATE TABLE \"user\""), sql);
            assertEquals(0, offline.count("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"), "updateSQL changed the database");

            offline.execute(sql); // as psql -f would
            MavenRun.run(MavenRun.envFor(online), "liquibase:update").assertSucceeded();
            assertEquals(online.userTableShape(), offline.userTableShape());
            assertEquals(ALEMBIC_SHAPE, offline.userTableShape());

            MavenRun.run(MavenRun.envFor(online), "liquibase:rollbackSQL", "-Dliquibase.rollbackCount=1",
                    "-Dliquibase.migrationSqlOutputFile=" + rollbackSql).assertSucceeded();
            assertTrue(Files.readString(rollbackSql).contains("DROP TABLE \"user\""), Files.readString(rollbackSql));
            assertEquals(ALEMBIC_SHAPE, online.userTableShape(), "rollbackSQL changed the database");
        }
    }

    @Test
    void commandLineUrlOverridesTheEnvironmentAndNoPasswordIsPrinted() throws Exception {
        try (TestDatabase db = TestServer.get().createDatabase("override")) {
            String canary = "Canary-Secret-42";
            Map<String, String> env = new HashMap<>();
            env.put(ConnectionSettings.URL_VARIABLE, "jdbc:postgresql://127.0.0.1:1/not_this_one");
            env.put(ConnectionSettings.PASSWORD_VARIABLE, canary);
            String url = db.url() + (db.url().contains("?") ? "&" : "?") + "password=" + canary;
            List<String> args = new java.util.ArrayList<>(List.of("liquibase:update", "liquibase:status", "-Dliquibase.url=" + url));
            if (db.username() != null) {
                args.add("-Dliquibase.username=" + db.username());
            }
            MavenRun run = MavenRun.run(env, args.toArray(String[]::new));
            assertFalse(run.output.contains(canary), "the password was printed:\n" + run.output);
            run.assertSucceeded();
            assertEquals(ALEMBIC_SHAPE, db.userTableShape());
        }
    }

    @Test
    void embeddedDefaultKeepsItsDataBetweenRuns() throws Exception {
        Path home = Files.createTempDirectory("embedded");
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

    @Test
    void anEndOfLifeMajorIsRefusedByAGoalAndNothingStarts() throws Exception {
        Path home = Files.createTempDirectory("eol");
        MavenRun run = MavenRun.run(Map.of(), "liquibase:status", "-Dpg.version=13", "-Dcnlearn.embedded.dir=" + home);
        assertNotEquals(0, run.exitCode, run.output);
        assertTrue(run.output.contains("-Dpg.version: PostgreSQL 13 is past its end of life and gets no more fixes. This project"
                + " supports PostgreSQL 15 to 18"), run.output);
        assertFalse(Files.exists(home.resolve("data")), "an embedded database was started");
    }

    @Test
    void ciWithoutUrlRefusesEveryGoalAndCommercialJarStaysOff() throws Exception {
        Path home = Files.createTempDirectory("ci");
        for (String goal : List.of("update", "status", "rollback")) {
            MavenRun run = MavenRun.run(Map.of("CI", "true"), "-X", "liquibase:" + goal, "-Dliquibase.rollbackCount=1",
                    "-Dcnlearn.embedded.dir=" + home);
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
