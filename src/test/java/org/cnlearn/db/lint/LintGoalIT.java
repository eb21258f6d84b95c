package org.cnlearn.db.lint;

import org.cnlearn.db.MavenRun;
import org.cnlearn.db.Migrations;
import org.cnlearn.db.TestDatabase;
import org.cnlearn.db.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ./mvnw liquibase:validate, the goal users know, fails on the dangerous fixture and names every finding. */
class LintGoalIT {

    @Test
    void validateFailsOnEveryDangerousChangeAndNamesItsChangesetAndRule(@TempDir Path copy) throws Exception {
        Path project = MavenRun.projectCopyWith(copy, "src/test/resources/lint/dangerous");
        try (TestDatabase db = TestServer.get().createDatabase("lint_goal")) {
            MavenRun run = MavenRun.runIn(project, MavenRun.envFor(db), "liquibase:validate");
            assertNotEquals(0, run.exitCode, run.output);
            List<String> expected = Migrations.expectedLines("lint/dangerous/expected-findings.txt");
            for (String finding : expected) {
                String line = finding.replace("src/test/resources/lint/dangerous/", "db-changelog/");
                assertTrue(run.output.contains("[ERROR] " + line), "missing «" + line + "» in:\n" + run.output);
            }
            assertTrue(run.output.contains("The changelog lint found " + expected.size() + " problems (listed above)"), run.output);
        }
    }

    /** Two branches that each added 0002, merged, and a file nobody included: validate and cnlearn:check refuse both, by name. */
    @Test
    void validateAndCheckRefuseTwoFilesOfOneNumberAndAForgottenFile(@TempDir Path copy) throws Exception {
        Path project = MavenRun.projectCopy(copy);
        Path changes = project.resolve("db-changelog/changes");
        String table = "databaseChangeLog:\n  - changeSet:\n      id: %s\n      author: ana\n      comment: c\n      changes:\n"
                + "        - createTable: {tableName: %s, columns: [{column: {name: id, type: INTEGER}}]}\n"
                + "      rollback:\n        - dropTable: {tableName: %s}\n";
        Files.writeString(changes.resolve("0002-add-course.yaml"), String.format(table, "0002-add-course", "course", "course"));
        Files.writeString(changes.resolve("0002-add-lesson.yaml"), String.format(table, "0002-add-lesson", "lesson", "lesson"));
        Files.writeString(changes.resolve("0003-forgotten.yaml"), String.format(table, "0003-forgotten", "word", "word"));
        Path master = project.resolve("db-changelog/db.changelog-master.yaml");
        Files.writeString(master, Files.readString(master)
                + "  - include:\n      file: changes/0002-add-course.yaml\n      relativeToChangelogFile: true\n"
                + "  - include:\n      file: changes/0002-add-lesson.yaml\n      relativeToChangelogFile: true\n");
        try (TestDatabase db = TestServer.get().createDatabase("collisions")) {
            for (MavenRun run : List.of(MavenRun.runIn(project, MavenRun.envFor(db), "liquibase:validate"),
                    MavenRun.runIn(project, java.util.Map.of(), "cnlearn:check"))) {
                assertNotEquals(0, run.exitCode, run.output);
                assertTrue(run.output.contains("[ERROR] db-changelog/changes/0002-add-lesson.yaml: duplicate-changeset-number: has number 0002,"
                        + " as db-changelog/changes/0002-add-course.yaml does"), run.output);
                assertTrue(run.output.contains("[ERROR] db-changelog/changes/0003-forgotten.yaml: changelog-file-not-included: is not included"
                        + " by db-changelog/db.changelog-master.yaml, so it never runs"), run.output);
            }
        }
    }
}
