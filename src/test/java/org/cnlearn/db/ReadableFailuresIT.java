package org.cnlearn.db;

import org.cnlearn.db.connection.ConnectionSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each way a goal fails, through the real goal at Maven's default verbosity, read as an operator reads
 * it (MavenRun.assertReadableFailure): the reason first, once more at most, what the database holds
 * and what to do; no stack trace or class name. Elsewhere, the same check: a wrong password
 * (BadInputIT), a transaction-mode pooler (PoolerIT), a read-only target (ReadOnlyGoalsIT), drift
 * (DriftGoalIT).
 */
class ReadableFailuresIT {

    private static final String FAILING = "-Dcnlearn.changelog=src/test/resources/changelogs/failing-changeset.yaml";
    private static final String USER_CHANGESET = "db-changelog/changes/0001-create-user-table.yaml";

    @Test
    void aChangesetPostgresqlRefuses() throws Exception {
        try (TestDatabase db = TestServer.get().createDatabase("readable_failed")) {
            Map<String, String> env = MavenRun.envFor(db);
            MavenRun.run(env, "liquibase:update", FAILING, "-DfailingInTransaction=true", "-Dliquibase.changesToApply=1").assertSucceeded();
            MavenRun run = MavenRun.run(env, "liquibase:update", FAILING, "-DfailingInTransaction=true")
                    .assertReadableFailure("column \"nick_name\" of relation \"course\" does not exist");
            for (String line : List.of(
                    "[ERROR] Changeset typo (src/test/resources/changelogs/failing-changeset.yaml) failed, SQL state 42703:"
                            + " ERROR: column \"nick_name\" of relation \"course\" does not exist\n",
                    "[ERROR]     Statement: UPDATE course SET nick_name = 'x'\n",
                    "[ERROR]     State: nothing of this changeset was applied or recorded (its transaction was rolled back);"
                            + " the 1 changeset recorded before it stays applied.\n",
                    "[ERROR]     Next: fix the changeset in src/test/resources/changelogs/failing-changeset.yaml")) {
                assertTrue(run.output.contains(line), "missing «" + line + "» in:\n" + run.output);
            }
            assertEquals(List.of("course-table"), db.appliedChangesets());

            // -e shows everything, as Maven users expect: Liquibase's log and the stack traces, the server's exception included
            MavenRun errors = MavenRun.run(env, "-e", "liquibase:update", FAILING, "-DfailingInTransaction=true");
            assertTrue(errors.exitCode != 0, errors.output);
            assertTrue(errors.output.contains("Caused by: org.postgresql.util.PSQLException: ERROR: column \"nick_name\""), errors.output);
            assertTrue(errors.printedStackTrace(), errors.output);
            assertTrue(errors.output.contains("Caused by: liquibase.exception.MigrationFailedException"), errors.output);
            assertFalse(errors.output.contains("jdbc:cnlearn:from-environment"), errors.output);
        }
    }

    /** A changeset that may fail (failOnError: false) fails no run: the run's summary stays, with the rest of it. */
    @Test
    void aChangesetAllowedToFailLeavesTheRunAndItsSummary() throws Exception {
        try (TestDatabase db = TestServer.get().createDatabase("readable_may_fail")) {
            MavenRun run = MavenRun.run(MavenRun.envFor(db), "liquibase:update",
                    "-Dcnlearn.changelog=src/test/resources/changelogs/allowed-to-fail.yaml").assertSucceeded();
            assertTrue(run.output.contains("failed, but failOnError was false."), run.output);
            assertTrue(run.output.contains("[INFO] UPDATE SUMMARY\n"), run.output);
            assertTrue(run.output.contains("[INFO] Total change sets:            2\n"), run.output);
            assertTrue(db.objectsIn("public").stream().anyMatch(o -> o.startsWith("course")), db.objectsIn("public").toString());
        }
    }

    @Test
    void anUnknownHost() throws Exception {
        MavenRun.run(target("jdbc:postgresql://no-such-host.invalid:5432/cnlearn"), "liquibase:update")
                .assertReadableFailure("unknown host no-such-host.invalid");
    }

    /** Through ./mvnw itself: the wrapper loads the output extension that makes a failure read at a glance. */
    @Test
    void aRefusedConnection() throws Exception {
        MavenRun.process(target("jdbc:postgresql://127.0.0.1:1/cnlearn"), "liquibase:update")
                .assertReadableFailure("Connection to 127.0.0.1:1 refused");
    }

    /** A paid goal, through ./mvnw itself: refused before it runs, with what to use instead (docs/goals.md). */
    @Test
    void aPaidGoal() throws Exception {
        MavenRun.process(target("jdbc:postgresql://127.0.0.1:1/cnlearn"), "liquibase:connect")
                .assertReadableFailure("liquibase:connect is a Liquibase Pro goal, not in the open-source plugin this project uses;"
                        + " instead, use ./mvnw liquibase:status");
    }

    @Test
    void aDatabaseThatDoesNotExist() throws Exception {
        try (TestDatabase db = TestServer.get().createDatabase("readable_server")) {
            Map<String, String> env = new java.util.HashMap<>(MavenRun.envFor(db));
            env.put(ConnectionSettings.URL_VARIABLE, db.url().replace("/" + db.name(), "/no_such_database"));
            MavenRun.run(env, "liquibase:update").assertReadableFailure("database \"no_such_database\" does not exist");
        }
    }

    @Test
    void anAppliedChangesetEditedSince(@TempDir Path copy) throws Exception {
        Path project = MavenRun.projectCopy(copy);
        try (TestDatabase db = TestServer.get().createDatabase("readable_edited")) {
            Map<String, String> env = MavenRun.envFor(db);
            MavenRun.runIn(project, env, "liquibase:update").assertSucceeded();
            List<String> shape = db.userTableShape();
            Path changeset = project.resolve(USER_CHANGESET);
            Files.writeString(changeset, Files.readString(changeset).replace("name: email\n", "name: email_address\n"));
            MavenRun run = MavenRun.runIn(project, env, "liquibase:update").assertReadableFailure("An applied changeset was edited since it was applied");
            assertTrue(run.output.contains("Next: put the file back as it was (git log -p " + USER_CHANGESET + ")"), run.output);
            assertEquals(shape, db.userTableShape());
        }
    }

    @Test
    void aRollbackOverData() throws Exception {
        try (TestDatabase db = TestServer.get().createDatabase("readable_data_loss")) {
            Map<String, String> env = MavenRun.envFor(db);
            MavenRun.run(env, "liquibase:update").assertSucceeded();
            db.execute("INSERT INTO \"user\" (email) VALUES ('learner@example.org')");
            MavenRun.run(env, "liquibase:rollback", "-Dliquibase.rollbackCount=1")
                    .assertReadableFailure("Refusing to drop table \"user\": it holds 1 row of data, which would be lost.");
            assertEquals(1, db.count("SELECT count(*) FROM \"user\""));
        }
    }

    @Test
    void theLockTimeout() throws Exception {
        try (TestDatabase db = TestServer.get().createDatabase("readable_lock_timeout")) {
            Map<String, String> env = MavenRun.envFor(db);
            MavenRun.run(env, "liquibase:update").assertSucceeded();
            try (Connection holder = db.connect(); Statement statement = holder.createStatement()) {
                holder.setAutoCommit(false);
                statement.execute("LOCK TABLE \"user\" IN ACCESS SHARE MODE"); // as a long report query holds it
                MavenRun run = MavenRun.run(env, "liquibase:rollback", "-Dliquibase.rollbackCount=1", "-Dcnlearn.lockTimeout=1s")
                        .assertReadableFailure("canceling statement due to lock timeout");
                assertTrue(run.output.contains("State: nothing of this rollback was applied (its transaction was rolled back):"
                        + " the changeset stays applied and recorded."), run.output);
                holder.rollback();
            }
            assertEquals(List.of("0001-create-user-table"), db.appliedChangesets());
            assertEquals(4, db.count("SELECT count(*) FROM pg_indexes WHERE tablename = 'user'"));
        }
    }

    @Test
    void theLintsFinding(@TempDir Path copy) throws Exception {
        Path project = MavenRun.projectCopy(copy);
        Files.writeString(project.resolve("db-changelog/changes/0002-index-is-active.yaml"), """
                databaseChangeLog:
                  - changeSet:
                      id: 0002-index-is-active
                      author: cnlearn
                      comment: An index built the way that blocks writes.
                      changes:
                        - createIndex:
                            indexName: ix_user_is_active
                            tableName: user
                            columns:
                              - column: {name: is_active}
                      rollback:
                        - dropIndex: {indexName: ix_user_is_active, tableName: user}
                """);
        Files.writeString(project.resolve("db-changelog/db.changelog-master.yaml"),
                "  - include:\n      file: changes/0002-index-is-active.yaml\n      relativeToChangelogFile: true\n", StandardOpenOption.APPEND);
        try (TestDatabase db = TestServer.get().createDatabase("readable_lint")) {
            // the finding is the reason; the verdict that ends the run counts them
            MavenRun run = MavenRun.runIn(project, MavenRun.envFor(db), "liquibase:validate")
                    .assertReadableFailure("changeset 0002-index-is-active: require-concurrent-index-creation:");
            assertTrue(run.output.contains("[ERROR] The changelog lint found 1 problem (listed above)"), run.output);
        }
    }

    /** Liquibase's "Validation Failed:" was the whole first line, and Maven's closing block. */
    @Test
    void twoChangesetsOfOneIdentifier(@TempDir Path copy) throws Exception {
        Path project = MavenRun.projectCopy(copy);
        String twice = """
                  - changeSet:
                      id: 0002-twice
                      author: cnlearn
                      changes:
                        - sql: {sql: "SELECT 1"}
                      rollback:
                        - sql: {sql: "SELECT 1"}
                """;
        Files.writeString(project.resolve("db-changelog/changes/0002-twice.yaml"), "databaseChangeLog:\n" + twice + twice);
        Files.writeString(project.resolve("db-changelog/db.changelog-master.yaml"),
                "  - include:\n      file: changes/0002-twice.yaml\n      relativeToChangelogFile: true\n", StandardOpenOption.APPEND);
        try (TestDatabase db = TestServer.get().createDatabase("readable_duplicate")) {
            MavenRun run = MavenRun.runIn(project, MavenRun.envFor(db), "liquibase:update").assertReadableFailure("Validation Failed: 1"
                    + " changesets had duplicate identifiers: db-changelog/changes/0002-twice.yaml::0002-twice::cnlearn. Nothing was"
                    + " changed: a changelog is validated before any changeset runs.");
            assertTrue(run.output.contains("on project cnlearn-db: Validation Failed: 1 changesets had duplicate identifiers:"), run.output);
            assertEquals(List.of(), db.projectObjects());
        }
    }

    /** Liquibase led with "make sure that you have both read and write permissions"; the server's reason came second. */
    @Test
    void aRoleThatMayNotCreateTheHistoryTable() throws Exception {
        String role = "readable_no_create_" + ProcessHandle.current().pid();
        try (TestDatabase db = TestServer.get().createDatabase("readable_no_create")) {
            String password = "No-Create-Pw-" + System.nanoTime();
            db.execute("CREATE ROLE " + role + " LOGIN PASSWORD '" + password + "'");
            try {
                db.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC");
                Map<String, String> env = new HashMap<>(MavenRun.envFor(db));
                env.put(ConnectionSettings.USERNAME_VARIABLE, role);
                env.put(ConnectionSettings.PASSWORD_VARIABLE, password);
                MavenRun.run(env, "liquibase:update").assertReadableFailure("The history table public.databasechangelog cannot be created"
                        + " by the role " + role + " (permission denied for schema public): it needs CREATE on the schema: GRANT CREATE"
                        + " ON SCHEMA public TO " + role + " (docs/deploying.md#the-migrating-roles-credentials). Nothing was changed.");
                assertEquals(List.of(), db.objectsIn("public"));
            } finally {
                db.close();
                TestServer.get().dropRole(role);
            }
        }
    }

    private static Map<String, String> target(String url) {
        return Map.of(ConnectionSettings.URL_VARIABLE, url, ConnectionSettings.USERNAME_VARIABLE, "cnlearn");
    }
}
