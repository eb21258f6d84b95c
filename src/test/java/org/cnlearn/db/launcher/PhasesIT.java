package org.cnlearn.db.launcher;

import org.cnlearn.db.MavenRun;
import org.cnlearn.db.Migrations;
import org.cnlearn.db.TestDatabase;
import org.cnlearn.db.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A deploy in two phases, through Liquibase's labels: the changesets labelled expand run before the rollout
 * (with those that have no label), those labelled contract after it, and a plain update runs them all in order.
 * The same with the launcher's --label-filter and the goals' -Dliquibase.labelFilter.
 */
class PhasesIT {

    private static final String EXPAND = "0002-add-display-name";
    private static final String CONTRACT = "0003-drop-hashed-password";

    /** Two phases of one change: a column added before the rollout, an old one dropped after it. */
    private static Map<String, String> phases() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put(EXPAND, """
                  - changeSet:
                      id: 0002-add-display-name
                      author: cnlearn
                      labels: expand
                      comment: The new column, which the new version writes; the old version does not see it.
                      changes:
                        - addColumn:
                            tableName: user
                            columns:
                              - column:
                                  name: display_name
                                  type: VARCHAR
                      rollback:
                        - dropColumn:
                            tableName: user
                            columnName: display_name
                """);
        files.put(CONTRACT, """
                  - changeSet:
                      id: 0003-drop-hashed-password
                      author: cnlearn
                      labels: contract
                      comment: The old column, which no version running after the rollout reads.
                      changes:
                        - dropColumn:
                            tableName: user
                            columnName: hashed_password
                      rollback:
                        - addColumn:
                            tableName: user
                            columns:
                              - column:
                                  name: hashed_password
                                  type: VARCHAR
                """);
        return files;
    }

    @Test
    void theLauncherRunsExpandBeforeTheRolloutAndContractAfterIt(@TempDir Path temp) throws Exception {
        Path distribution = Distribution.withChangesets(temp, phases());
        try (TestDatabase db = TestServer.get().createDatabase("phases_launcher")) {
            Map<String, String> env = Distribution.envFor(db);
            Distribution.Run allPending = Distribution.launch(distribution, env, "status").assertSucceeded();
            assertTrue(allPending.out().contains("3 changesets have not been applied to "), allPending.all());
            assertTrue(allPending.out().contains("     db-changelog/changes/0001-create-user-table.yaml::0001-create-user-table::cnlearn\n"
                    + "     db-changelog/changes/" + EXPAND + ".yaml::" + EXPAND + "::cnlearn  (label: expand)\n"
                    + "     db-changelog/changes/" + CONTRACT + ".yaml::" + CONTRACT + "::cnlearn  (label: contract)\n"), allPending.all());

            Distribution.Run expandPending = Distribution.launch(distribution, env, "status", "--label-filter=expand").assertSucceeded();
            assertTrue(expandPending.out().contains("2 changesets have not been applied to "), expandPending.all());
            assertFalse(expandPending.out().contains(CONTRACT), expandPending.all());

            Distribution.launch(distribution, env, "update", "--label-filter=expand").assertSucceeded();
            assertEquals(List.of("0001-create-user-table", EXPAND), db.appliedChangesets());
            assertTrue(db.userTableShape().stream().anyMatch(column -> column.startsWith("column display_name ")), db.userTableShape().toString());
            assertTrue(db.userTableShape().stream().anyMatch(column -> column.startsWith("column hashed_password ")), db.userTableShape().toString());

            Distribution.Run contractPending = Distribution.launch(distribution, env, "status").assertSucceeded();
            assertTrue(contractPending.out().contains("1 changeset has not been applied to "), contractPending.all());
            assertTrue(contractPending.out().contains(CONTRACT + ".yaml::" + CONTRACT + "::cnlearn  (label: contract)\n"), contractPending.all());

            Distribution.launch(distribution, env, "update", "--label-filter=expand").assertSucceeded();
            assertEquals(List.of("0001-create-user-table", EXPAND), db.appliedChangesets(), "expand again ran the contract phase");

            Distribution.launch(distribution, env, "update", "--label-filter=contract").assertSucceeded();
            assertEquals(List.of("0001-create-user-table", EXPAND, CONTRACT), db.appliedChangesets());
            assertFalse(db.userTableShape().stream().anyMatch(column -> column.startsWith("column hashed_password ")), db.userTableShape().toString());

            Distribution.launch(distribution, env, "rollback-count", "--count=1", "--label-filter=contract").assertSucceeded();
            assertEquals(List.of("0001-create-user-table", EXPAND), db.appliedChangesets());
        }
    }

    @Test
    void anEmptyLabelFilterIsRefusedBeforeAnythingRuns() throws Exception {
        Distribution.Run refused = Distribution.launch(Distribution.BUILT, Map.of("LIQUIBASE_COMMAND_URL", "jdbc:postgresql://127.0.0.1:1/x"),
                "update", "--label-filter=");
        assertEquals(2, refused.exitCode(), refused.all());
        assertTrue(refused.err().contains("--label-filter needs the labels of the changesets to run: --label-filter=expand, say."), refused.all());
        Distribution.Run elsewhere = Distribution.launch(Distribution.BUILT, Map.of("LIQUIBASE_COMMAND_URL", "jdbc:postgresql://127.0.0.1:1/x"),
                "history", "--label-filter=expand");
        assertEquals(2, elsewhere.exitCode(), elsewhere.all());
        assertTrue(elsewhere.err().contains("--label-filter is not an option of history."), elsewhere.all());
    }

    @Test
    void theGoalsRunTheSamePhasesWithLiquibasesLabelFilter(@TempDir Path temp) throws Exception {
        Path project = MavenRun.projectCopy(temp.resolve("project"));
        for (Map.Entry<String, String> file : phases().entrySet()) {
            Files.writeString(project.resolve("db-changelog/changes/" + file.getKey() + ".yaml"), "databaseChangeLog:\n" + file.getValue());
            Files.writeString(project.resolve(Migrations.CHANGELOG), "  - include:\n      file: changes/" + file.getKey() + ".yaml\n"
                    + "      relativeToChangelogFile: true\n", StandardOpenOption.APPEND);
        }
        try (TestDatabase db = TestServer.get().createDatabase("phases_goals")) {
            Map<String, String> env = MavenRun.envFor(db);
            MavenRun.runIn(project, env, "liquibase:update", "-Dliquibase.labelFilter=expand").assertSucceeded();
            assertEquals(List.of("0001-create-user-table", EXPAND), db.appliedChangesets());
            MavenRun status = MavenRun.runIn(project, env, "liquibase:status").assertSucceeded();
            assertTrue(status.output.contains("1 changeset has not been applied to "), status.output);
            assertTrue(status.output.contains("db-changelog/changes/" + CONTRACT + ".yaml::" + CONTRACT + "::cnlearn  (label: contract)"),
                    status.output);
            MavenRun.runIn(project, env, "liquibase:update").assertSucceeded();
            assertEquals(List.of("0001-create-user-table", EXPAND, CONTRACT), db.appliedChangesets(), "a plain update runs both phases, in order");
        }
    }
}
