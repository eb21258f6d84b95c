package org.cnlearn.db.launcher;

import org.cnlearn.db.Migrations;
import org.cnlearn.db.PgBouncer;
import org.cnlearn.db.TestDatabase;
import org.cnlearn.db.TestServer;
import org.cnlearn.db.connection.ConnectionSettings;
import org.cnlearn.db.connection.ThrowawayServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The goals' guarantees, through bin/cnlearn-db: it runs the same code (the session lock, the atomic
 * changeset, adoption, the data-loss guard, the lock timeout, the session checks, the password
 * handling), so each is proven here once, as a deploy meets it. A kill, a signal and a crowd meet
 * launcher processes; the rest are commands of the launcher on the suite's warm JVM ({@link Distribution#launch}).
 */
class SafetyThroughTheLauncherIT {

    private static final List<String> ALEMBIC_SHAPE = Migrations.expectedLines("expected/user-table.txt");

    private static final String SLOW = """
              - changeSet:
                  id: 0002-slow
                  author: cnlearn-tests
                  comment: Creates table marker, then sleeps.
                  changes:
                    - createTable:
                        tableName: marker
                        columns:
                          - column: {name: id, type: INTEGER}
                    - sql:
                        sql: SELECT pg_sleep(%d)
                  rollback:
                    - dropTable: {tableName: marker}
            """;

    /**
     * The launcher killed with SIGKILL mid-changeset, holding the lock: it is the JVM doing the work
     * (bin/cnlearn-db execs Java), so nothing goes on behind the caller's back, and the next run goes
     * ahead. (When the launcher ran Java as a child, the child went on and applied the changeset.)
     */
    @Test
    void aKilledRunLeavesNothingThatBlocksTheNext(@TempDir Path temp) throws Exception {
        Path killed = Distribution.withChangeset(temp.resolve("killed"), "0002-slow", SLOW.formatted(600));
        Path next = Distribution.withChangeset(temp.resolve("next"), "0002-slow", SLOW.formatted(0));
        try (TestDatabase db = TestServer.get().createDatabase("launcher_kill")) {
            Map<String, String> env = Distribution.envFor(db);
            env.put("CNLEARN_DB_STARTUP_CACHE", "auto"); // the default, on a machine with no cache yet: the launcher ran Java as a child there
            Process victim = Distribution.builder(killed, env, "update").redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            db.awaitActiveQuery("pg_sleep", 120);
            assertEquals(List.of(), victim.descendants().map(ProcessHandle::pid).toList(), "the launcher left a child to do the work");
            assertTrue(victim.info().command().orElse("").endsWith("/java"), "the launcher is not the JVM: " + victim.info());
            victim.destroyForcibly(); // SIGKILL, to the launcher alone
            victim.waitFor();
            assertEquals(List.of(), ProcessHandle.allProcesses().filter(p -> p.info().arguments().map(List::of).orElse(List.of())
                    .contains("-Dcnlearn.home=" + killed)).map(ProcessHandle::pid).toList(), "a process of the killed run goes on");
            long killedAt = System.nanoTime();
            Distribution.Run run = Distribution.run(next, Distribution.envFor(db), "update").assertSucceeded();
            double seconds = (System.nanoTime() - killedAt) / 1e9;
            System.out.printf("[cnlearn-db tests] launcher kill-to-next-success: %.1f s (a whole run included; killed statement: 600 s)%n", seconds);
            assertTrue(seconds < 30, "the next update needed " + seconds + " s:\n" + run.all());
            assertEquals(List.of("0001-create-user-table", "0002-slow"), db.appliedChangesets());
            assertEquals(0, db.count("SELECT count(*) FROM pg_tables WHERE tablename = 'databasechangeloglock'"));
        }
    }

    /**
     * A supervisor's SIGTERM mid-changeset: the JVM closes its connection, so PostgreSQL rolls the changeset
     * back, asks the database what stayed, says it in one line, and exits 143 (it said nothing before).
     */
    @Test
    void aRunStoppedBySigtermSaysTheChangesetInFlightWasRolledBack(@TempDir Path temp) throws Exception {
        Path stopped = Distribution.withChangeset(temp, "0002-slow", SLOW.formatted(600));
        try (TestDatabase db = TestServer.get().createDatabase("launcher_sigterm")) {
            Path errors = temp.resolve("stderr");
            Map<String, String> env = Distribution.envFor(db);
            env.put("CNLEARN_DB_STARTUP_CACHE", "auto"); // the default, on a machine with no cache yet
            Process run = Distribution.builder(stopped, env, "update").redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(errors.toFile()).start();
            db.awaitActiveQuery("pg_sleep", 120);
            run.destroy(); // SIGTERM
            assertTrue(run.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "the stopped run did not end");
            assertEquals(143, run.exitValue(), Files.readString(errors));
            assertEquals(List.of("[cnlearn-db] Stopped by SIGTERM in the middle of changeset 0002-slow: PostgreSQL rolled it back with"
                    + " its transaction, so nothing of it is applied or recorded; the changeset this run applied before it stays applied."
                    + " Run update again to apply the rest."), Files.readAllLines(errors));
            assertEquals(List.of("0001-create-user-table"), db.appliedChangesets());
            assertEquals(0, db.count("SELECT count(*) FROM pg_tables WHERE tablename = 'marker'"));
        }
    }

    /** Four deploys at once, on an empty and then on a current database: all succeed, each changeset is applied once. */
    @Test
    void fourRunsAtOnceApplyEachChangesetExactlyOnce() throws Exception {
        try (TestDatabase db = TestServer.get().createDatabase("launcher_crowd")) {
            for (String state : List.of("empty", "current")) {
                List<Process> runs = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    runs.add(Distribution.builder(Distribution.BUILT, Distribution.envFor(db), "update").redirectErrorStream(true).start());
                }
                Distribution.allSucceed(runs, "updates at once on the " + state + " database");
                assertEquals(1, db.count("SELECT count(*) FROM databasechangelog"), state);
                assertEquals(ALEMBIC_SHAPE, db.userTableShape(), state);
            }
        }
    }

    /** On a read-only database the commands that read work and create nothing; update is refused before anything is created. */
    @Test
    void aReadOnlyTargetServesTheCommandsThatReadAndRefusesUpdate() throws Exception {
        try (TestDatabase db = TestServer.get().createDatabase("launcher_read_only")) {
            db.execute("ALTER DATABASE " + db.name() + " SET default_transaction_read_only = on");
            Map<String, String> env = Distribution.envFor(db);
            for (String command : List.of("status", "history", "update-sql", "validate")) {
                Distribution.Run run = Distribution.launch(Distribution.BUILT, env, command).assertSucceeded();
                if (command.equals("status")) {
                    assertTrue(run.out().contains("1 changeset has not been applied to "), run.all());
                }
            }
            assertEquals(List.of(), db.objectsIn("public"), "a command that reads created something");
            Distribution.Run run = Distribution.launch(Distribution.BUILT, env, "update").assertFailed();
            assertEquals(1, run.exitCode());
            assertTrue(run.err().contains(" is read-only (default_transaction_read_only is on): a migration writes, so it needs the"
                    + " primary. Point LIQUIBASE_COMMAND_URL at the primary database. Nothing was changed."), run.all());
            assertEquals(List.of(), db.objectsIn("public"));
        }
    }

    @Test
    void aTransactionModePoolerIsRefusedBeforeAnythingIsCreated() throws Exception {
        try (TestDatabase db = TestServer.get().createDatabase("launcher_txn_pool")) {
            TestDatabase pooled = db.through(PgBouncer.get(PgBouncer.Mode.TRANSACTION).address());
            Distribution.Run run = Distribution.launch(Distribution.BUILT, Distribution.envFor(pooled), "update").assertFailed();
            assertTrue(run.err().contains(" is a connection pooler in transaction mode: "), run.all());
            assertEquals(List.of(), db.objectsIn("public"), "something was created through the transaction pool");
        }
    }

    @Test
    void aRollbackOverDataIsRefusedUnlessAllowed() throws Exception {
        try (TestDatabase db = TestServer.get().createDatabase("launcher_data_loss")) {
            Map<String, String> env = Distribution.envFor(db);
            Distribution.launch(Distribution.BUILT, env, "update").assertSucceeded();
            db.execute("INSERT INTO \"user\" (email) VALUES ('learner@example.org')");
            Distribution.Run refused = Distribution.launch(Distribution.BUILT, env, "rollback-count", "--count=1").assertFailed();
            assertTrue(refused.err().contains("Refusing to drop table public.\"user\": it holds 1 row of data, which would be lost."
                    + " Nothing was changed. To drop them anyway, run again with --allow-data-loss."), refused.all());
            assertEquals(1, db.count("SELECT count(*) FROM \"user\""));
            assertEquals(List.of("0001-create-user-table"), db.appliedChangesets());

            Distribution.launch(Distribution.BUILT, env, "rollback-count", "--count=1", "--allow-data-loss").assertSucceeded();
            assertEquals(List.of(), db.userTableShape());
            assertEquals(List.of(), db.appliedChangesets());
        }
    }

    /** Issue 22: raw SQL in a rollback is read by the same guard, and refused over a row the same way. */
    @Test
    void aRawSqlDropInARollbackIsRefusedOverARowUnlessAllowed(@TempDir Path temp) throws Exception {
        Path distribution = Distribution.withChangeset(temp, "0002-add-course", """
                  - changeSet:
                      id: 0002-add-course
                      author: cnlearn-tests
                      comment: Creates course in raw SQL; its rollback drops "user" too, by mistake.
                      changes:
                        - sql: CREATE TABLE course (id integer PRIMARY KEY, title text)
                      rollback:
                        - sql: DROP TABLE course; DROP TABLE "user"
                """);
        try (TestDatabase db = TestServer.get().createDatabase("launcher_raw_loss")) {
            Map<String, String> env = Distribution.envFor(db);
            Distribution.launch(distribution, env, "update").assertSucceeded();
            db.execute("INSERT INTO \"user\" (email) VALUES ('learner@example.org')");
            Distribution.Run refused = Distribution.launch(distribution, env, "rollback-count", "--count=1").assertFailed();
            assertTrue(refused.err().contains("ERROR: Refusing to drop table \"user\" (sql: DROP TABLE \"user\"): it holds 1 row of data,"
                    + " which would be lost. Nothing was changed. To drop them anyway, run again with --allow-data-loss."), refused.all());
            assertEquals(1, db.count("SELECT count(*) FROM \"user\""));
            assertEquals(List.of("0001-create-user-table", "0002-add-course"), db.appliedChangesets());

            Distribution.launch(distribution, env, "rollback-count", "--count=1", "--allow-data-loss").assertSucceeded();
            assertEquals(List.of("0001-create-user-table"), db.appliedChangesets());
            assertEquals(List.of(), db.userTableShape());
        }
    }

    @Test
    void aFailedChangesetIsReportedOnceWithWhatTheDatabaseHoldsAndWhatToDo(@TempDir Path temp) throws Exception {
        Path distribution = Distribution.withChangeset(temp, "0002-typo", """
                  - changeSet:
                      id: 0002-typo
                      author: cnlearn
                      changes:
                        - sql: {sql: "UPDATE \\"user\\" SET nick_name = 'x'"}
                      rollback:
                        - empty: {}
                """);
        try (TestDatabase db = TestServer.get().createDatabase("launcher_failed")) {
            Distribution.Run failed = Distribution.launch(distribution, Distribution.envFor(db), "update").assertFailed();
            List<String> errors = failed.err().lines().toList();
            assertEquals("[cnlearn-db] ERROR: Changeset 0002-typo (db-changelog/changes/0002-typo.yaml) failed, SQL state 42703:"
                    + " ERROR: column \"nick_name\" of relation \"user\" does not exist", errors.get(0), failed.all());
            assertTrue(failed.err().contains("  State: nothing of this changeset was applied or recorded (its transaction was rolled"
                    + " back); the 1 changeset recorded before it stays applied.\n"), failed.all());
            assertTrue(failed.err().contains("  Next: fix the changeset in db-changelog/changes/0002-typo.yaml"), failed.all());
            assertEquals(1, failed.all().split("does not exist", -1).length - 1, "the reason, once:\n" + failed.all());
            assertFalse(failed.all().matches("(?s).*\\b(liquibase\\.exception|java\\.|org\\.postgresql)\\..*"), failed.all());
            assertEquals(List.of("0001-create-user-table"), db.appliedChangesets());
        }
    }

    /** Liquibase 4.33 read it until its stack overflowed: "ERROR: StackOverflowError, without a message". */
    @Test
    void aChangelogThatIncludesItselfIsRefusedInOneLine(@TempDir Path temp) throws Exception {
        Path distribution = Distribution.copy(temp);
        Files.writeString(distribution.resolve("lib/db-changelog/db.changelog-master.yaml"), "  - include:\n"
                + "      file: db.changelog-master.yaml\n      relativeToChangelogFile: true\n", java.nio.file.StandardOpenOption.APPEND);
        try (TestDatabase db = TestServer.get().createDatabase("launcher_circular")) {
            Distribution.Run refused = Distribution.launch(distribution, Distribution.envFor(db), "update").assertFailed();
            assertEquals(List.of("[cnlearn-db] ERROR: db-changelog/db.changelog-master.yaml includes itself, and Liquibase would read it"
                    + " again and again. Remove the include of db-changelog/db.changelog-master.yaml from"
                    + " db-changelog/db.changelog-master.yaml. Nothing was changed."), refused.err().lines().toList(), refused.all());
            assertEquals(List.of(), db.projectObjects());
        }
    }

    @Test
    void aDatabaseBuiltByTheAlembicRevisionIsAdoptedWithItsRows() throws Exception {
        try (TestDatabase db = TestServer.get().createDatabase("launcher_adopt")) {
            db.execute(Migrations.resource("alembic/1b40d5775cd1-upgrade.sql"));
            db.execute("INSERT INTO \"user\" (email) VALUES ('learner@example.org')");
            Distribution.Run run = Distribution.launch(Distribution.BUILT, Distribution.envFor(db), "update").assertSucceeded();
            assertTrue(run.out().contains("already exists exactly as changeset 0001-create-user-table builds it: recording the"
                    + " changeset as applied and keeping its 1 row."), run.all());
            assertFalse(run.all().contains(" created"), "an adopted changeset created nothing:\n" + run.all());
            assertEquals(1, db.count("SELECT count(*) FROM \"user\""));
            assertEquals(1, db.count("SELECT count(*) FROM databasechangelog WHERE exectype = 'MARK_RAN'"));
        }
    }

    /**
     * Baselining: changelog-sync records 0001 on a database the application's Alembic built, keeping its rows, and
     * builds nothing; on a table of another shape, or none, it is refused and records nothing.
     */
    @Test
    void changelogSyncRecordsAnExistingUserTableAndRefusesOneThatDiffers() throws Exception {
        try (TestDatabase db = TestServer.get().createDatabase("launcher_sync")) {
            db.execute(Migrations.resource("alembic/1b40d5775cd1-upgrade.sql"));
            db.execute("INSERT INTO \"user\" (email) VALUES ('learner@example.org')");
            Map<String, String> env = Distribution.envFor(db);
            assertTrue(Distribution.launch(Distribution.BUILT, env, "status").assertSucceeded().out()
                    .contains("1 changeset has not been applied to "));
            Distribution.Run sync = Distribution.launch(Distribution.BUILT, env, "changelog-sync").assertSucceeded();
            assertTrue(sync.out().contains("already exists exactly as changeset 0001-create-user-table builds it: recording the"
                    + " changeset as applied and keeping its 1 row."), sync.all());
            assertFalse(sync.all().contains(" created"), "changelog-sync built something:\n" + sync.all());
            assertEquals(List.of("0001-create-user-table"), db.appliedChangesets());
            assertEquals(1, db.count("SELECT count(*) FROM databasechangelog WHERE exectype = 'MARK_RAN'"));
            assertEquals(ALEMBIC_SHAPE, db.userTableShape());
            assertEquals(1, db.count("SELECT count(*) FROM \"user\""));
            Distribution.Run status = Distribution.launch(Distribution.BUILT, env, "status").assertSucceeded();
            assertTrue(status.out().endsWith(" is up to date\n"), status.all());
        }
        try (TestDatabase db = TestServer.get().createDatabase("launcher_sync_differs")) {
            db.execute(Migrations.resource("alembic/1b40d5775cd1-upgrade.sql"));
            db.execute("ALTER TABLE \"user\" ADD COLUMN nickname text");
            List<String> shape = db.userTableShape();
            Distribution.Run refused = Distribution.launch(Distribution.BUILT, Distribution.envFor(db), "changelog-sync").assertFailed();
            assertEquals(1, refused.exitCode());
            assertTrue(refused.err().contains("Changeset 0001-create-user-table would create [user], which exist already in another shape: user has [column nickname text null], which the changeset does not build."),
                    refused.all());
            assertTrue(refused.err().contains("Nothing was changed."), refused.all());
            assertEquals(List.of(), db.appliedChangesets());
            assertEquals(shape, db.userTableShape());
        }
        try (TestDatabase db = TestServer.get().createDatabase("launcher_sync_empty")) {
            Distribution.Run refused = Distribution.launch(Distribution.BUILT, Distribution.envFor(db), "changelog-sync").assertFailed();
            assertTrue(refused.err().contains("changelog-sync cannot record changeset 0001-create-user-table as applied: the tables it"
                    + " creates are not in the database. Nothing was changed. Apply it with update instead"), refused.all());
            assertEquals(List.of(), db.appliedChangesets());
            assertEquals(List.of(), db.projectObjects(), "changelog-sync built something");
        }
    }

    @Test
    void aStatementWaitsForATableLockNoLongerThanTheLockTimeout(@TempDir Path temp) throws Exception {
        Path distribution = Distribution.withChangeset(temp, "0002-add-column", """
                  - changeSet:
                      id: 0002-add-column
                      author: cnlearn-tests
                      comment: A column on a table that another session has locked.
                      changes:
                        - addColumn:
                            tableName: user
                            columns:
                              - column: {name: locale, type: VARCHAR}
                      rollback:
                        - dropColumn: {tableName: user, columnName: locale}
                """);
        try (TestDatabase db = TestServer.get().createDatabase("launcher_lock_timeout")) {
            Map<String, String> env = Distribution.envFor(db);
            Distribution.launch(Distribution.BUILT, env, "update").assertSucceeded();
            try (Connection holder = db.connect(); Statement statement = holder.createStatement()) {
                holder.setAutoCommit(false);
                statement.execute("LOCK TABLE \"user\" IN ACCESS SHARE MODE");
                long start = System.nanoTime();
                Distribution.Run run = Distribution.launch(distribution, env, "update", "--lock-timeout=1s").assertFailed();
                double seconds = (System.nanoTime() - start) / 1e9;
                assertTrue(run.err().contains("canceling statement due to lock timeout"), run.all());
                assertTrue(seconds < 20, "the run took " + seconds + " s");
                holder.rollback();
            }
            assertEquals(List.of("0001-create-user-table"), db.appliedChangesets(), "the failed changeset was recorded");
            assertEquals(0, db.count("SELECT count(*) FROM information_schema.columns WHERE table_name = 'user' AND column_name = 'locale'"));
        }
    }

    /**
     * The migrating role needs what the docs/deploying.md says, and no more: to connect, and to
     * create in the schema (PostgreSQL 15 and newer no longer let every role create in public). It owns
     * what it creates, so it can roll that back. Without CREATE it is refused, and nothing changes.
     */
    @Test
    void theMigratingRoleNeedsConnectAndCreateOnTheSchema() throws Exception {
        String role = "cnlearn_migrator_" + ProcessHandle.current().pid();
        String password = "Migrator-Pw-" + System.nanoTime();
        try (TestDatabase db = TestServer.get().createDatabase("launcher_role")) {
            db.execute("CREATE ROLE " + role + " LOGIN PASSWORD '" + password + "'");
            try {
                db.execute("REVOKE ALL ON DATABASE " + db.name() + " FROM PUBLIC");
                db.execute("REVOKE ALL ON SCHEMA public FROM PUBLIC");
                db.execute("GRANT CONNECT ON DATABASE " + db.name() + " TO " + role);
                db.execute("GRANT USAGE ON SCHEMA public TO " + role);
                Map<String, String> env = Map.of("LIQUIBASE_COMMAND_URL", db.url(), "LIQUIBASE_COMMAND_USERNAME", role,
                        "LIQUIBASE_COMMAND_PASSWORD", password);
                Distribution.Run refused = Distribution.launch(Distribution.BUILT, env, "update").assertFailed();
                // the role's lack first, and the grant (Liquibase led with "make sure that you have both read and write permissions")
                assertEquals(List.of("[cnlearn-db] ERROR: The history table public.databasechangelog cannot be created by the role " + role
                        + " (permission denied for schema public): it needs CREATE on the schema: GRANT CREATE ON SCHEMA public TO " + role
                        + " (docs/deploying.md#the-migrating-roles-credentials). Nothing was changed."), refused.err().lines().toList(),
                        refused.all());
                assertEquals(List.of(), db.objectsIn("public"), "something was created without CREATE on the schema");

                db.execute("GRANT CREATE ON SCHEMA public TO " + role);
                Distribution.launch(Distribution.BUILT, env, "update").assertSucceeded();
                assertEquals(ALEMBIC_SHAPE, db.userTableShape());
                Distribution.launch(Distribution.BUILT, env, "rollback-count", "--count=1").assertSucceeded();
                Distribution.launch(Distribution.BUILT, env, "update").assertSucceeded();
                assertEquals(ALEMBIC_SHAPE, db.userTableShape());

                // another role, which may connect but not read the history: once, in words (it said "ERROR: ERROR: permission denied")
                db.execute("CREATE ROLE " + role + "_reader LOGIN PASSWORD '" + password + "'");
                db.execute("GRANT CONNECT ON DATABASE " + db.name() + " TO " + role + "_reader");
                db.execute("GRANT USAGE ON SCHEMA public TO " + role + "_reader");
                Distribution.Run unreadable = Distribution.launch(Distribution.BUILT, Map.of("LIQUIBASE_COMMAND_URL", db.url(),
                        "LIQUIBASE_COMMAND_USERNAME", role + "_reader", "LIQUIBASE_COMMAND_PASSWORD", password), "status").assertFailed();
                assertEquals(List.of("[cnlearn-db] ERROR: The history table public.databasechangelog cannot be read by the role " + role
                        + "_reader (permission denied for table databasechangelog): run as the role that owns it, or GRANT SELECT ON"
                        + " public.databasechangelog TO " + role + "_reader (and INSERT, UPDATE, DELETE, for the commands that migrate)"
                        + " (docs/deploying.md#the-migrating-roles-credentials). Nothing was changed."), unreadable.err().lines().toList(),
                        unreadable.all());
            } finally {
                db.close();
                TestServer.get().dropRole(role + "_reader");
                TestServer.get().dropRole(role);
            }
        }
    }

    /** A canary password, through the environment and the command line, against a server that checks passwords. */
    @Test
    void noPasswordIsShownWhicheverWayItCame(@TempDir Path temp) throws Exception {
        String environment = "Canary-Launcher-Environment-81";
        String commandLine = "Canary-Launcher-Option-82";
        String wrong = "Canary-Launcher-Wrong-83";
        String inUrl = "Canary-Launcher-Url-84";
        try (ThrowawayServer server = TestServer.checkingPasswords(temp.resolve("server.log"))) {
            try (Connection connection = ConnectionSettings.explicit(server.jdbcUrl("postgres", "postgres"), "postgres", null).open();
                 Statement statement = connection.createStatement()) {
                statement.execute("CREATE ROLE via_env LOGIN PASSWORD '" + environment + "'");
                statement.execute("CREATE DATABASE via_env OWNER via_env");
                statement.execute("CREATE ROLE via_option LOGIN PASSWORD '" + commandLine + "'");
                statement.execute("CREATE DATABASE via_option OWNER via_option");
                statement.execute("CREATE ROLE via_url LOGIN PASSWORD '" + inUrl + "'");
                statement.execute("CREATE DATABASE via_url OWNER via_url");
            }
            String url = "jdbc:postgresql://localhost:" + server.port() + "/";
            List<Distribution.Run> runs = new ArrayList<>();

            Distribution.Run viaEnvironment = Distribution.launch(Distribution.BUILT, Map.of("LIQUIBASE_COMMAND_URL", url + "via_env",
                    "LIQUIBASE_COMMAND_USERNAME", "via_env", "LIQUIBASE_COMMAND_PASSWORD", environment), "update").assertSucceeded();
            assertFalse(viaEnvironment.all().contains("Warning: the database password is on the command line"), viaEnvironment.all());
            runs.add(viaEnvironment);

            Distribution.Run viaOption = Distribution.launch(Distribution.BUILT, Map.of(), "update", "--url=" + url + "via_option",
                    "--username=via_option", "--password=" + commandLine).assertSucceeded();
            assertEquals(1, viaOption.err().split("Warning: the database password is on the command line \\(--password\\)", -1).length - 1,
                    viaOption.all());
            runs.add(viaOption);

            Distribution.Run wrongPassword = Distribution.launch(Distribution.BUILT, Map.of("LIQUIBASE_COMMAND_URL", url + "via_env",
                    "LIQUIBASE_COMMAND_USERNAME", "via_env", "LIQUIBASE_COMMAND_PASSWORD", wrong), "status").assertFailed();
            assertTrue(wrongPassword.err().contains("password authentication failed for user \"via_env\""), wrongPassword.all());
            runs.add(wrongPassword);

            // the application's own URL form (libpq's), as it is and with jdbc: in front (issue 27)
            String userInfo = "via_url:" + inUrl + "@localhost:" + server.port();
            Distribution.Run viaApplicationUrl = Distribution.launch(Distribution.BUILT, Map.of("LIQUIBASE_COMMAND_URL",
                    "postgresql://" + userInfo + "/via_url"), "update").assertSucceeded();
            assertTrue(viaApplicationUrl.out().contains("[cnlearn-db] database: jdbc:postgresql://localhost:" + server.port()
                    + "/via_url as via_url,"), viaApplicationUrl.all());
            assertEquals(1, viaApplicationUrl.err().split("Warning: the database password is inside LIQUIBASE_COMMAND_URL: ", -1).length - 1,
                    viaApplicationUrl.all());
            runs.add(viaApplicationUrl);
            Distribution.Run viaJdbcOption = Distribution.launch(Distribution.BUILT, Map.of(), "status",
                    "--url=jdbc:postgresql://" + userInfo + "/via_url").assertSucceeded();
            assertTrue(viaJdbcOption.err().contains("Warning: the database password is on the command line (a password inside --url)"),
                    viaJdbcOption.all());
            runs.add(viaJdbcOption);
            Distribution.Run unknownHost = Distribution.launch(Distribution.BUILT, Map.of("LIQUIBASE_COMMAND_URL",
                    "jdbc:postgresql://via_url:" + inUrl + "@no-such-host.invalid:5432/via_url"), "status").assertFailed();
            assertTrue(unknownHost.err().startsWith("[cnlearn-db] Warning: the database password is inside LIQUIBASE_COMMAND_URL")
                    && unknownHost.err().contains("[cnlearn-db] ERROR: Cannot connect to jdbc:postgresql://no-such-host.invalid:5432/via_url"
                    + " as via_url: "), unknownHost.all());
            runs.add(unknownHost);

            for (Distribution.Run run : runs) {
                for (String canary : List.of(environment, commandLine, wrong, inUrl)) {
                    assertFalse(run.all().contains(canary), "a password was printed:\n" + run.all().replace(canary, "<CANARY>"));
                }
            }
            assertFalse(Files.readString(temp.resolve("server.log")).contains("Canary-Launcher"), "a password is in the server's log");
        }
    }
}
