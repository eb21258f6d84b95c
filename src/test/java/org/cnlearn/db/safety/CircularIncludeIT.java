package org.cnlearn.db.safety;

import org.cnlearn.db.MavenRun;
import org.cnlearn.db.Migrations;
import org.cnlearn.db.TestDatabase;
import org.cnlearn.db.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import static org.cnlearn.db.Migrations.messages;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A changelog that includes itself, directly or through other files: Liquibase 4.33 read it until
 * the stack overflowed (liquibase:update printed 1,094 lines, cnlearn:check "java.lang.StackOverflowError").
 * Refused in one line naming the file and the chain, and nothing changes.
 */
class CircularIncludeIT {

    private static final String SELF = "db-changelog/db.changelog-master.yaml includes itself, and Liquibase would read it again"
            + " and again. Remove the include of db-changelog/db.changelog-master.yaml from db-changelog/db.changelog-master.yaml."
            + " Nothing was changed.";

    private static void include(Path changelog, String from, String file) throws Exception {
        Files.writeString(changelog.resolve(from), "  - include:\n      file: " + file + "\n      relativeToChangelogFile: true\n",
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Test
    void aMasterThatIncludesItselfIsRefusedByTheGoalsInOneLine(@TempDir Path copy) throws Exception {
        Path project = MavenRun.projectCopy(copy);
        include(project.resolve("db-changelog"), "db.changelog-master.yaml", "db.changelog-master.yaml");
        try (TestDatabase db = TestServer.get().createDatabase("circular_goal")) {
            MavenRun.runIn(project, MavenRun.envFor(db), "liquibase:update").assertReadableFailure(SELF);
            assertEquals(List.of(), db.projectObjects()); // (update creates its empty history table before it reads the includes)
        }
        MavenRun check = MavenRun.runIn(project, java.util.Map.of(), "cnlearn:check");
        assertTrue(check.exitCode != 0 && check.output.contains("The changelog cannot be read: " + SELF.replace(" Nothing was changed.",
                " Nothing was written.")), check.output);
        assertTrue(!check.printedStackTrace() && check.output.lines().count() <= MavenRun.MOST_FAILURE_LINES, check.output);
    }

    @Test
    void aLoopThroughOtherFilesIsNamedFromWhereItStarts(@TempDir Path copy) throws Exception {
        Path changelog = Files.createDirectories(copy.resolve("db-changelog/changes"));
        Files.copy(Migrations.PROJECT_DIR.resolve(Migrations.CHANGELOG), changelog.resolve("../db.changelog-master.yaml"));
        Files.copy(Migrations.PROJECT_DIR.resolve("db-changelog/changes/0001-create-user-table.yaml"),
                changelog.resolve("0001-create-user-table.yaml"));
        Files.writeString(changelog.resolve("0002-a.yaml"), "databaseChangeLog:\n");
        Files.writeString(changelog.resolve("0003-b.yaml"), "databaseChangeLog:\n");
        include(changelog.getParent(), "db.changelog-master.yaml", "changes/0002-a.yaml");
        include(changelog, "0002-a.yaml", "0003-b.yaml");
        include(changelog, "0003-b.yaml", "0002-a.yaml");
        try (TestDatabase db = TestServer.get().createDatabase("circular_chain")) {
            Exception refused = assertThrows(Exception.class, () -> Migrations.runIn(copy, db, "update"));
            assertTrue(messages(refused).contains("db-changelog/changes/0002-a.yaml includes itself, through 1 other file:"
                    + " db-changelog/changes/0002-a.yaml → db-changelog/changes/0003-b.yaml → db-changelog/changes/0002-a.yaml, and"
                    + " Liquibase would read it again and again. Remove the include of db-changelog/changes/0002-a.yaml from"
                    + " db-changelog/changes/0003-b.yaml. Nothing was changed."), messages(refused));
            assertEquals(List.of(), db.projectObjects()); // (update creates its empty history table before it reads the includes)
        }
    }
}
