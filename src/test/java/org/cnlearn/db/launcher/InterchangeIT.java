package org.cnlearn.db.launcher;

import org.cnlearn.db.MavenRun;
import org.cnlearn.db.Migrations;
import org.cnlearn.db.TestDatabase;
import org.cnlearn.db.TestServer;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * bin/cnlearn-db and ./mvnw liquibase:… on one database, as a team that migrates production from the
 * image and develops with Maven does: the same history rows, each up to date after the other, each
 * rolling back what the other applied, and exactly once when both run at once (as processes; one after
 * the other, the launcher's commands run on the suite's warm launcher, {@link Distribution#launch}).
 */
class InterchangeIT {

    private static final List<String> ALEMBIC_SHAPE = Migrations.expectedLines("expected/user-table.txt");
    private static final String PENDING = "1 changeset has not been applied to ";

    @Test
    void eachSeesWhatTheOtherAppliedAndRollsItBack() throws Exception {
        try (TestDatabase db = TestServer.get().createDatabase("interchange")) {
            Map<String, String> env = Distribution.envFor(db);
            Distribution.launch(Distribution.BUILT, env, "update").assertSucceeded();
            MavenRun goals = MavenRun.run(env, "liquibase:status", "liquibase:rollback", "-Dliquibase.rollbackCount=1").assertSucceeded();
            assertTrue(goals.goal("status").contains(" is up to date"), "the goals do not see the launcher's update:\n" + goals.output);
            assertEquals(List.of(), db.userTableShape(), "the goals did not roll back the launcher's update");

            Distribution.Run pending = Distribution.launch(Distribution.BUILT, env, "status").assertSucceeded();
            assertTrue(pending.out().contains(PENDING), "the launcher does not see the goals' rollback:\n" + pending.all());

            MavenRun.run(env, "liquibase:update").assertSucceeded();
            Distribution.Run current = Distribution.launch(Distribution.BUILT, env, "status").assertSucceeded();
            assertTrue(current.out().endsWith(" is up to date\n"), "the launcher does not see the goals' update:\n" + current.all());
            Distribution.Run noOp = Distribution.launch(Distribution.BUILT, env, "update").assertSucceeded();
            assertTrue(noOp.out().contains("Database is up to date, no changesets to execute"), noOp.all());

            Distribution.launch(Distribution.BUILT, env, "rollback-count", "--count=1").assertSucceeded();
            assertEquals(List.of(), db.userTableShape(), "the launcher did not roll back the goals' update");
            MavenRun status = MavenRun.run(env, "liquibase:status").assertSucceeded();
            assertTrue(status.output.contains(PENDING), "the goals do not see the launcher's rollback:\n" + status.output);
        }
    }

    @Test
    void theHistoryRowsAreTheGoalsOwn() throws Exception {
        try (TestDatabase byLauncher = TestServer.get().createDatabase("rows_launcher");
             TestDatabase byGoals = TestServer.get().createDatabase("rows_goals")) {
            Distribution.launch(Distribution.BUILT, Distribution.envFor(byLauncher), "update").assertSucceeded();
            MavenRun.run(MavenRun.envFor(byGoals), "liquibase:update").assertSucceeded();
            List<String> launcherRows = historyRows(byLauncher);
            assertEquals(1, launcherRows.size(), launcherRows.toString());
            assertTrue(launcherRows.get(0).startsWith("0001-create-user-table|cnlearn|db-changelog/changes/0001-create-user-table.yaml|9:"),
                    launcherRows.toString());
            assertEquals(historyRows(byGoals), launcherRows);
        }
    }

    /** Two launcher runs and two Maven runs at once, on an empty database: every run succeeds, the changeset is applied once. */
    @Test
    void bothAtOnceApplyTheChangesetExactlyOnce() throws Exception {
        try (TestDatabase db = TestServer.get().createDatabase("interchange_crowd")) {
            Map<String, String> env = Distribution.envFor(db);
            List<Process> runs = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                runs.add(Distribution.builder(Distribution.BUILT, env, "update").redirectErrorStream(true).start());
                runs.add(MavenRun.builder(env, "liquibase:update").start());
            }
            Distribution.allSucceed(runs, "launcher and Maven runs at once");
            assertEquals(1, db.count("SELECT count(*) FROM databasechangelog"));
            assertEquals(ALEMBIC_SHAPE, db.userTableShape());
        }
    }

    /** Every column of databasechangelog but those of the moment (when, which deployment). */
    private static List<String> historyRows(TestDatabase db) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection connection = db.connect(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT id, author, filename, md5sum, description, comments, exectype, contexts,"
                     + " labels, liquibase, tag, orderexecuted FROM databasechangelog ORDER BY orderexecuted")) {
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int column = 1; column <= 12; column++) {
                    row.add(String.valueOf(rs.getString(column)));
                }
                rows.add(String.join("|", row));
            }
        }
        return rows;
    }
}
