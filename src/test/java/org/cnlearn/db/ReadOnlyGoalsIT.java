package org.cnlearn.db;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Goals that only read work where nothing may be written, and never write: "what is pending on
 * production?" is asked of replicas and with read-only roles. Goals that write are still refused
 * there before any change. (The launcher's commands: SafetyThroughTheLauncherIT; a real standby:
 * SessionCheckTest.)
 */
class ReadOnlyGoalsIT {

    private static final String READING_GOALS = "liquibase:status liquibase:history liquibase:updateSQL liquibase:validate";

    @Test
    void onAReadOnlyDatabaseTheReadingGoalsWorkAndUpdateIsRefused() throws Exception {
        try (TestDatabase db = TestServer.get().createDatabase("goals_read_only")) {
            db.execute("ALTER DATABASE " + db.name() + " SET default_transaction_read_only = on");
            MavenRun reading = MavenRun.run(MavenRun.envFor(db), (READING_GOALS + " -Dliquibase.migrationSqlOutputFile=target/read-only-"
                    + db.name() + ".sql").split(" ")).assertSucceeded();
            assertTrue(reading.goal("status").contains("1 changeset has not been applied to "), reading.output);
            assertTrue(reading.goal("status").contains("db-changelog/changes/0001-create-user-table.yaml::0001-create-user-table::cnlearn"),
                    reading.output);
            assertEquals(List.of(), db.objectsIn("public"), "a goal that reads created something");

            MavenRun update = MavenRun.run(MavenRun.envFor(db), "liquibase:update")
                    .assertReadableFailure(" is read-only (default_transaction_read_only is on): a migration writes, so it needs the primary.");
            assertEquals(List.of(), db.objectsIn("public"), "update changed a read-only database");
        }
    }

    /** A migrated database put in read-only mode: diff compares it, status says it is current, update is refused. */
    @Test
    void onAMigratedReadOnlyDatabaseDiffAndStatusWorkAndUpdateIsRefused() throws Exception {
        try (TestDatabase db = TestServer.get().createDatabase("goals_read_only_current")) {
            Migrations.update(db);
            db.execute("ALTER DATABASE " + db.name() + " SET default_transaction_read_only = on");
            MavenRun reading = MavenRun.run(MavenRun.envFor(db), "liquibase:diff", "liquibase:status").assertSucceeded();
            assertTrue(reading.goal("diff").contains("No drift: the database matches its 1 applied changeset."), reading.output);
            assertTrue(reading.goal("status").contains(" is up to date"), reading.output);
            MavenRun update = MavenRun.run(MavenRun.envFor(db), "liquibase:update");
            assertNotEquals(0, update.exitCode, update.output);
            assertTrue(update.output.contains(" is read-only (default_transaction_read_only is on)"), update.output);
        }
    }

    @Test
    void onAnEmptyDatabaseTheReadingGoalsLeaveNoTableBehind() throws Exception {
        try (TestDatabase db = TestServer.get().createDatabase("goals_read_empty")) {
            MavenRun reading = MavenRun.run(MavenRun.envFor(db), (READING_GOALS + " -Dliquibase.migrationSqlOutputFile=target/read-empty-"
                    + db.name() + ".sql").split(" ")).assertSucceeded();
            assertTrue(reading.goal("status").contains("1 changeset has not been applied to "), reading.output);
            assertEquals(List.of(), db.objectsIn("public"), "a goal that reads left a table behind");
        }
    }

    /** A role that may only SELECT: the reading goals work on a migrated database. */
    @Test
    void aRoleThatMayOnlySelectCanAskWhatIsApplied() throws Exception {
        String role = "cnlearn_reader_" + ProcessHandle.current().pid();
        try (TestDatabase db = TestServer.get().createDatabase("goals_reader")) {
            Migrations.update(db);
            db.execute("CREATE ROLE " + role + " LOGIN PASSWORD 'Reader-Pw-1'");
            try {
                db.execute("REVOKE ALL ON SCHEMA public FROM PUBLIC");
                db.execute("GRANT USAGE ON SCHEMA public TO " + role);
                db.execute("GRANT SELECT ON ALL TABLES IN SCHEMA public TO " + role);
                java.util.Map<String, String> env = new java.util.HashMap<>(MavenRun.envFor(db));
                env.put("LIQUIBASE_COMMAND_USERNAME", role);
                env.put("LIQUIBASE_COMMAND_PASSWORD", "Reader-Pw-1");
                MavenRun reading = MavenRun.run(env, (READING_GOALS + " -Dliquibase.migrationSqlOutputFile=target/reader-"
                        + db.name() + ".sql").split(" ")).assertSucceeded();
                assertTrue(reading.goal("status").contains(" is up to date"), reading.output);
                assertTrue(reading.goal("history").contains("0001-create-user-table"), reading.output);
            } finally {
                db.close();
                TestServer.get().dropRole(role);
            }
        }
    }
}
