package org.cnlearn.db.authoring;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** cnlearn:check: the lint, then each changeset up, down and up again on a throwaway database. */
class CheckTest {

    @Test
    void theProjectsChangelogPasses(@TempDir Path dir) throws Exception {
        Authoring project = Authoring.copy(dir);
        project.run("check");
        assertEquals("Lint: nothing to say about the 1 changeset.", project.info.get(0));
        assertTrue(project.info.get(project.info.size() - 1).startsWith("Checked in "), project.info.toString());
    }

    @Test
    void aRollbackThatLeavesAColumnBehindIsNamedWithTheDifference(@TempDir Path dir) throws Exception {
        Authoring project = Authoring.copy(dir);
        project.run("revision", "message", "add nickname and bio", "author", "ana");
        Files.writeString(project.changes().resolve("0002-add-nickname-and-bio.yaml"), "databaseChangeLog:\n  - changeSet:\n"
                + "      id: 0002-add-nickname-and-bio\n      author: ana\n      comment: two columns, one rolled back\n      changes:\n"
                + "        - addColumn:\n            tableName: user\n            columns:\n"
                + "              - column: {name: nickname, type: VARCHAR(50)}\n              - column: {name: bio, type: TEXT}\n"
                + "      rollback:\n        - dropColumn: {tableName: user, columnName: bio}\n");
        AuthoringFailure failure = assertThrows(AuthoringFailure.class, () -> project.run("check"));
        assertTrue(failure.getMessage().contains("the stairway stopped at changeset 0002-add-nickname-and-bio"
                + " (db-changelog/changes/0002-add-nickname-and-bio.yaml), whose rollback leaves a different schema"), failure.getMessage());
        assertEquals("changeset 0002-add-nickname-and-bio (db-changelog/changes/0002-add-nickname-and-bio.yaml) does not roll back to the"
                + " schema before it, in 1 place:", project.errors.get(0));
        assertEquals("  column public.\"user\".nickname: before it: none; after its rollback: character varying(50) null", project.errors.get(1));
    }

    @Test
    void aChangesetThatFailsIsNamedWithPostgresReason(@TempDir Path dir) throws Exception {
        Authoring project = Authoring.copy(dir);
        project.run("revision", "message", "typo", "author", "ana");
        Files.writeString(project.changes().resolve("0002-typo.yaml"), "databaseChangeLog:\n  - changeSet:\n      id: 0002-typo\n"
                + "      author: ana\n      comment: a typo\n      changes:\n        - sql: {sql: UPDATE \"user\" SET nick_name = 'x'}\n"
                + "      rollback:\n        - sql: {sql: SELECT 1}\n");
        assertThrows(AuthoringFailure.class, () -> project.run("check"));
        assertTrue(project.errors.get(0).startsWith("changeset 0002-typo (db-changelog/changes/0002-typo.yaml) does not apply on an empty"
                + " database with the changesets before it: Changeset 0002-typo (db-changelog/changes/0002-typo.yaml) failed, SQL state 42703:"
                + " ERROR: column \"nick_name\" of relation \"user\" does not exist"), project.errors.get(0));
    }

    @Test
    void twoFilesOfOneNumberAndAFileLeftOutOfTheMasterAreRefusedByName(@TempDir Path dir) throws Exception {
        Authoring project = Authoring.copy(dir);
        project.run("revision", "message", "add course", "author", "ana");
        String table = "databaseChangeLog:\n  - changeSet:\n      id: %s\n      author: ana\n      comment: c\n      changes:\n"
                + "        - createTable: {tableName: %s, columns: [{column: {name: id, type: INTEGER}}]}\n"
                + "      rollback:\n        - dropTable: {tableName: %s}\n";
        Files.writeString(project.changes().resolve("0002-add-course.yaml"), String.format(table, "0002-add-course", "course", "course"));
        // the other branch's 0002, merged, and a file nobody included
        Files.writeString(project.changes().resolve("0002-add-lesson.yaml"), String.format(table, "0002-add-lesson", "lesson", "lesson"));
        Files.writeString(project.project.resolve("db-changelog/db.changelog-master.yaml"), project.master()
                + "  - include:\n      file: changes/0002-add-lesson.yaml\n      relativeToChangelogFile: true\n");
        Files.writeString(project.changes().resolve("0003-forgotten.yaml"), String.format(table, "0003-forgotten", "word", "word"));

        AuthoringFailure failure = assertThrows(AuthoringFailure.class, () -> project.run("check"));
        assertTrue(failure.getMessage().contains("the lint found 2 problems"), failure.getMessage());
        assertTrue(project.errors.stream().anyMatch(e -> e.startsWith("db-changelog/changes/0002-add-lesson.yaml: duplicate-changeset-number: has number 0002,"
                + " as db-changelog/changes/0002-add-course.yaml does: two branches each added a changeset with that number.")),
                project.errors.toString());
        assertTrue(project.errors.stream().anyMatch(e -> e.startsWith("db-changelog/changes/0003-forgotten.yaml: changelog-file-not-included:"
                + " is not included by db-changelog/db.changelog-master.yaml, so it never runs.")), project.errors.toString());
    }
}
