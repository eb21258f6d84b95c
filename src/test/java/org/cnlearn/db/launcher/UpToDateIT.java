package org.cnlearn.db.launcher;

import org.cnlearn.db.Migrations;
import org.cnlearn.db.TestDatabase;
import org.cnlearn.db.TestServer;
import org.cnlearn.db.safety.SessionLockService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * "Nothing to do", answered without Liquibase (UpToDate): it says what Liquibase says, and leaves
 * every other case to Liquibase: an edited changeset, an old checksum, a migration in flight, a
 * Liquibase setting in the environment. What needs no process of its own (a database brought up to
 * date first, an edited copy, an old checksum, a wait given up on) runs on the suite's warm launcher.
 */
class UpToDateIT {

    private static Map<String, String> withLiquibaseDeciding(Map<String, String> env) {
        Map<String, String> slow = new HashMap<>(env);
        slow.put("JAVA_OPTS", "-D" + UpToDate.ENABLED_PROPERTY + "=false");
        return slow;
    }

    @Test
    void itSaysWhatLiquibaseSaysWithoutLoadingLiquibase(@TempDir Path temp) throws Exception {
        try (TestDatabase db = TestServer.get().createDatabase("up_to_date")) {
            Map<String, String> env = Distribution.envFor(db);
            Distribution.launch(Distribution.BUILT, env, "update").assertSucceeded();
            for (String command : List.of("update", "status")) {
                Path classes = temp.resolve(command + "-classes.log");
                Map<String, String> logged = new HashMap<>(env);
                logged.put("JAVA_OPTS", "-Xlog:class+load=info:file=" + classes);
                Distribution.Run fast = Distribution.run(Distribution.BUILT, logged, command).assertSucceeded();
                Distribution.Run liquibase = Distribution.run(Distribution.BUILT, withLiquibaseDeciding(env), command).assertSucceeded();
                assertEquals(liquibase.out(), fast.out(), command + ": the answer without Liquibase is not Liquibase's");
                assertEquals(liquibase.err(), fast.err(), command);
                String loaded = Files.readString(classes);
                assertTrue(loaded.contains("org.cnlearn.db.launcher.UpToDate "), "the log of loaded classes proves nothing:\n" + loaded);
                assertFalse(loaded.contains(" liquibase."), command + " loaded Liquibase: the check was not made without it");
            }
            assertTrue(Distribution.run(Distribution.BUILT, env, "update").out().contains("Database is up to date, no changesets to execute"));
        }
    }

    @Test
    void anEditedAppliedChangesetIsLeftToLiquibaseWhichRefusesIt(@TempDir Path temp) throws Exception {
        Path edited = Distribution.copy(temp);
        Path changeset = edited.resolve("lib/db-changelog/changes/0001-create-user-table.yaml");
        Files.writeString(changeset, Files.readString(changeset).replace("indexName: ix_user_id", "indexName: ix_user_id_edited"));
        try (TestDatabase db = TestServer.get().createDatabase("up_to_date_edited")) {
            Map<String, String> env = Distribution.envFor(db);
            Distribution.launch(Distribution.BUILT, env, "update").assertSucceeded();
            for (String command : List.of("update", "status")) {
                Distribution.Run run = Distribution.launch(edited, env, command);
                if (command.equals("update")) {
                    run.assertFailed();
                    assertTrue(run.err().contains("[cnlearn-db] ERROR: An applied changeset was edited since it was applied, so nothing"
                            + " was run"), run.all());
                    assertTrue(run.err().contains("0001-create-user-table::cnlearn: its checksum was 9:"), run.all());
                } else {
                    assertFalse(run.out().contains(" is up to date"), "status called an edited changeset up to date:\n" + run.all());
                }
            }
        }
    }

    /** A database that Liquibase 4.23 or older migrated holds version 8 checksums, which Liquibase 4.33 rewrites as it reads them. */
    @Test
    void anOldChecksumIsLeftToLiquibaseWhichUpgradesIt() throws Exception {
        String v8 = Migrations.changesets().get(0).generateCheckSum(liquibase.ChecksumVersion.V8).toString();
        assertTrue(v8.startsWith("8:"), v8);
        try (TestDatabase db = TestServer.get().createDatabase("up_to_date_v8")) {
            Map<String, String> env = Distribution.envFor(db);
            Distribution.launch(Distribution.BUILT, env, "update").assertSucceeded();
            db.execute("UPDATE databasechangelog SET md5sum = '" + v8 + "'");
            Distribution.Run run = Distribution.launch(Distribution.BUILT, env, "update").assertSucceeded();
            assertTrue(run.out().contains("Upgrading checksum for Changeset db-changelog/changes/0001-create-user-table.yaml::"
                    + "0001-create-user-table::cnlearn from " + v8 + " to 9:"), run.all());
            assertTrue(run.out().contains("Run:                          0\n"), run.all());
            assertEquals(1, db.count("SELECT count(*) FROM databasechangelog WHERE md5sum LIKE '9:%'"), "Liquibase did not upgrade the checksum");
        }
    }

    /**
     * A migration holds the lock: update waits for it, as Liquibase does, instead of answering from a
     * history in flight; it goes on once the lock is released.
     */
    @Test
    void aMigrationInFlightIsWaitedFor(@TempDir Path temp) throws Exception {
        try (TestDatabase db = TestServer.get().createDatabase("up_to_date_in_flight")) {
            Map<String, String> env = Distribution.envFor(db);
            Distribution.launch(Distribution.BUILT, env, "update").assertSucceeded();
            Path output = temp.resolve("update.out");
            Process update;
            try (Connection holder = db.connect()) {
                try (PreparedStatement lock = holder.prepareStatement("SELECT pg_advisory_lock(?)")) {
                    lock.setLong(1, SessionLockService.KEY);
                    lock.execute();
                }
                // given up on, the wait is named as the launcher's option, not as the goals' property
                Distribution.Run impatient = Distribution.launch(Distribution.BUILT, env, "update", "--lock-wait-seconds=1").assertFailed();
                assertTrue(impatient.err().startsWith("[cnlearn-db] ERROR: Gave up after 1 s waiting for the migration lock, which PostgreSQL pid ")
                        && impatient.err().contains(", or wait longer with --lock-wait-seconds=N."), impatient.all());
                update = Distribution.builder(Distribution.BUILT, env, "update").redirectErrorStream(true)
                        .redirectOutput(output.toFile()).start();
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
                while (!Files.readString(output).contains("Waiting for the migration lock, which PostgreSQL pid ")) {
                    assertTrue(update.isAlive(), "update ended without waiting for the lock:\n" + Files.readString(output));
                    assertTrue(System.nanoTime() < deadline, "update did not say it waits:\n" + Files.readString(output));
                    Thread.sleep(100);
                }
            } // the lock goes with its session
            assertTrue(update.waitFor(2, TimeUnit.MINUTES));
            String printed = Files.readString(output);
            assertEquals(0, update.exitValue(), printed);
            assertTrue(printed.contains("Database is up to date"), printed);
        }
    }

    /**
     * A Liquibase setting may change what status and update decide (here, which table holds the
     * history), so wherever it is given the answer comes from Liquibase: as an environment variable,
     * or as a system property in JAVA_OPTS. The launcher reads no defaults file: a liquibase.properties
     * in the working folder changes neither answer. Settings that decide nothing (analytics) keep the
     * answer without Liquibase.
     */
    @Test
    void aLiquibaseSettingIsLeftToLiquibaseWhereverItIsGiven(@TempDir Path temp) throws Exception {
        try (TestDatabase db = TestServer.get().createDatabase("up_to_date_setting")) {
            Map<String, String> env = Distribution.envFor(db);
            Distribution.launch(Distribution.BUILT, env, "update").assertSucceeded();
            Map<String, String> analytics = new HashMap<>(env);
            analytics.put("LIQUIBASE_ANALYTICS_ENABLED", "false");
            analytics.put("JAVA_OPTS", "-Dliquibase.analytics.enabled=false -Xlog:class+load=info:file=" + temp.resolve("analytics-classes.log"));
            Distribution.run(Distribution.BUILT, analytics, "update").assertSucceeded();
            assertFalse(Files.readString(temp.resolve("analytics-classes.log")).contains(" liquibase."),
                    "a setting of analytics turned the answer without Liquibase off");

            Map<String, String> variable = new HashMap<>(env);
            variable.put("LIQUIBASE_DATABASE_CHANGELOG_TABLE_NAME", "other_changelog");
            Map<String, String> property = new HashMap<>(env);
            property.put("JAVA_OPTS", "-Dliquibase.databaseChangeLogTableName=other_changelog");
            for (Map<String, String> channel : List.of(variable, property)) {
                Distribution.Run status = Distribution.run(Distribution.BUILT, channel, "status").assertSucceeded();
                Map<String, String> liquibase = new HashMap<>(channel);
                liquibase.merge("JAVA_OPTS", "-D" + UpToDate.ENABLED_PROPERTY + "=false", (given, off) -> given + " " + off);
                assertEquals(Distribution.run(Distribution.BUILT, liquibase, "status").assertSucceeded().out(), status.out(), channel.toString());
                assertTrue(status.out().contains("1 changeset has not been applied"), "not Liquibase's answer, for " + channel + ":\n" + status.all());
                assertTrue(status.out().contains("0001-create-user-table"), status.all());
            }
            Distribution.Run update = Distribution.run(Distribution.BUILT, property, "update").assertSucceeded();
            assertFalse(update.out().contains("Database is up to date"), "the answer came from databasechangelog, not other_changelog:\n" + update.all());
            assertEquals(1, db.count("SELECT count(*) FROM other_changelog WHERE exectype = 'MARK_RAN'"), update.all());

            Path folder = Files.createDirectories(temp.resolve("with-defaults-file"));
            Files.writeString(folder.resolve("liquibase.properties"), "liquibase.databaseChangeLogTableName: third_changelog\n"
                    + "databaseChangeLogTableName: third_changelog\n");
            for (String command : List.of("status", "update")) {
                Distribution.Run fast = Distribution.run(Distribution.builder(Distribution.BUILT, env, command).directory(folder.toFile()));
                Distribution.Run slow = Distribution.run(Distribution.builder(Distribution.BUILT, withLiquibaseDeciding(env), command)
                        .directory(folder.toFile()));
                assertEquals(slow.assertSucceeded().out(), fast.assertSucceeded().out(), command + " with a liquibase.properties in the working folder");
                assertTrue(fast.out().contains("up to date"), fast.all());
            }
            assertEquals(0, db.count("SELECT count(*) FROM pg_tables WHERE tablename = 'third_changelog'"));
        }
    }
}
