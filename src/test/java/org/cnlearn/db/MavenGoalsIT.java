package org.cnlearn.db;

import org.cnlearn.db.connection.ConnectionSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real Maven goals, against a separate server and the embedded default.
 * One Maven run carries several goals where their parameters allow, as a user's pipeline would.
 */
class MavenGoalsIT {

    private static final List<String> roles = new java.util.ArrayList<>();

    @org.junit.jupiter.api.AfterAll
    static void dropRoles() {
        roles.forEach(role -> TestServer.get().dropRole(role));
    }

    private static final List<String> ALEMBIC_SHAPE = Migrations.expectedLines("expected/user-table.txt");
    private static final String CHANGESET = "db-changelog/changes/0001-create-user-table.yaml::0001-create-user-table::cnlearn";

    /**
     * The first run also gives the database on the command line, with its password inside the URL,
     * over an environment that names another: -Dliquibase.url wins, and no password is printed.
     */
    @Test
    void everyGoalRoundTripsOnASeparateServer(@TempDir Path sql) throws Exception {
        try (TestDatabase db = TestServer.get().createDatabase("goals"); TestDatabase offline = TestServer.get().createDatabase("offline_sql")) {
            Map<String, String> env = MavenRun.envFor(db);
            Path updateSql = sql.resolve("update.sql");
            Path rollbackSql = sql.resolve("rollback.sql");

            // a role of its own, with a password no other text has: the server may check it (Testcontainers' does)
            String canary = "Canary-Secret-42";
            String role = "goals_" + ProcessHandle.current().pid();
            db.execute("CREATE ROLE " + role + " LOGIN PASSWORD '" + canary + "'; ALTER DATABASE " + db.name() + " OWNER TO " + role);
            roles.add(role);
            Map<String, String> otherEnv = new HashMap<>();
            otherEnv.put(ConnectionSettings.URL_VARIABLE, "jdbc:postgresql://127.0.0.1:1/not_this_one");
            otherEnv.put(ConnectionSettings.PASSWORD_VARIABLE, "not-this-one-either");
            String url = db.url() + (db.url().contains("?") ? "&" : "?") + "password=" + canary;
            List<String> args = List.of("-Dliquibase.url=" + url, "-Dliquibase.username=" + role, "liquibase:updateSQL",
                    "-Dliquibase.migrationSqlOutputFile=" + updateSql, "liquibase:status", "liquibase:tag", "-Dliquibase.tag=before-user",
                    "liquibase:update", "liquibase:status", "liquibase:history", "liquibase:validate", "liquibase:releaseLocks");
            MavenRun first = MavenRun.run(otherEnv, args.toArray(String[]::new));
            assertFalse(first.output.contains(canary), "the password was printed:\n" + first.output);
            first.assertSucceeded();
            // updateSQL ran first and applied nothing: status still sees the changeset pending
            assertTrue(first.goal("status").contains("1 changeset has not been applied"), first.output);
            assertTrue(first.goal("update").contains("Running Changeset: " + CHANGESET), first.output);
            assertEquals(1, first.goal("update").split("UPDATE SUMMARY", -1).length - 1, "the summary, once:\n" + first.output);
            assertFalse(first.output.contains("jdbc:cnlearn:from-environment"), "the plugin's placeholder URL:\n" + first.output);
            assertFalse(first.output.contains("Reading from databasechangelog"), "Liquibase's bookkeeping:\n" + first.output);
            assertEquals(1, first.goal("validate").split("No validation errors found", -1).length - 1, first.output);
            assertTrue(first.output.lastIndexOf("is up to date") > first.output.indexOf("Running Changeset"), first.output);
            assertTrue(first.goal("history").matches("(?s).*db-changelog/changes/0001-create-user-table.yaml \\| cnlearn +\\| 0001-create-user-table .*"), first.output);
            assertTrue(first.goal("validate").contains("No validation errors found"), first.output);
            assertTrue(first.goal("releaseLocks").contains("Successfully released all database change log locks"), first.output);
            assertEquals(ALEMBIC_SHAPE, db.userTableShape());

            // updateSQL, run before update, wrote the SQL that builds the same table as update
            String update = Files.readString(updateSql);
            assertTrue(update.contains("CREATE TABLE \"user\"") && update.contains("CREATE TABLE databasechangelog"), update);
            offline.execute(update); // as psql -f would
            assertEquals(ALEMBIC_SHAPE, offline.userTableShape());

            MavenRun second = MavenRun.run(env, "liquibase:rollbackSQL", "-Dliquibase.rollbackCount=1",
                    "-Dliquibase.migrationSqlOutputFile=" + rollbackSql, "liquibase:status", "liquibase:rollback", "liquibase:status").assertSucceeded();
            assertTrue(Files.readString(rollbackSql).contains("DROP TABLE \"user\""), Files.readString(rollbackSql));
            assertTrue(second.goal("status").contains("is up to date"), "rollbackSQL changed the database:\n" + second.output);
            assertTrue(second.goal("rollback").contains("Rolling Back Changeset: " + CHANGESET), second.output);
            assertTrue(second.output.lastIndexOf("1 changeset has not been applied") > second.output.indexOf("Rolling Back Changeset"), second.output);
            assertEquals(List.of(), db.userTableShape());

            MavenRun third = MavenRun.run(env, "liquibase:update", "liquibase:rollback", "-Dliquibase.rollbackTag=before-user",
                    "liquibase:status").assertSucceeded();
            assertTrue(third.goal("rollback").contains("Rolling Back Changeset: " + CHANGESET), third.output);
            assertTrue(third.goal("status").contains("1 changeset has not been applied"), third.output);
            assertEquals(List.of(), db.userTableShape());

            // its history row deleted by hand: adopted with its row, and said so, not "Table user created"
            Migrations.update(db);
            db.execute("DELETE FROM databasechangelog; INSERT INTO \"user\" (email) VALUES ('learner@example.org')");
            MavenRun adopted = MavenRun.run(env, "liquibase:update").assertSucceeded();
            assertTrue(adopted.output.contains("already exists exactly as changeset 0001-create-user-table builds it: recording the"
                    + " changeset as applied and keeping its 1 row."), adopted.output);
            assertFalse(adopted.output.contains(" created"), "an adopted changeset created nothing:\n" + adopted.output);
            assertEquals(1, db.count("SELECT count(*) FROM databasechangelog WHERE exectype = 'MARK_RAN'"));
        }
    }
}
