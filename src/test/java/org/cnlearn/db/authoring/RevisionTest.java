package org.cnlearn.db.authoring;

import liquibase.resource.DirectoryResourceAccessor;
import org.cnlearn.db.Migrations;
import org.cnlearn.db.lint.ChangelogLint;
import org.cnlearn.db.lint.Finding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** cnlearn:revision without -Ddesired: the next file, empty, included last; refused by the lint until it is written. */
class RevisionTest {

    @Test
    void theSlugIsTheMessagesAsciiWordsAtMostFiftyCharacters() {
        assertEquals("add-nickname-to-user", Revision.slug("Add nickname to user!"));
        assertEquals("cafe-creme-for-the-course-table", Revision.slug("Café crème for the «course» table"));
        String slug = Revision.slug("add a very long description to every single course so that nobody needs to ask");
        assertTrue(slug.length() <= 50 && !slug.endsWith("-"), slug);
        assertEquals("add-a-very-long-description-to-every-single-course", slug);
        assertEquals("", Revision.slug("添加昵称"));
    }

    @Test
    void writesTheNextFileEmptyIncludesItLastAndTheLintRefusesItUntilWritten(@TempDir Path dir) throws Exception {
        Authoring project = Authoring.copy(dir);
        String master = project.master();
        project.run("revision", "message", "Add nickname to user!", "author", "ana");

        assertEquals(List.of("0001-create-user-table.yaml", "0002-add-nickname-to-user.yaml"), project.changeFiles());
        String written = project.file("0002-add-nickname-to-user.yaml");
        assertTrue(written.contains("      id: 0002-add-nickname-to-user\n      author: ana\n      comment: \"Add nickname to user!\"\n"
                + "      changes: []\n      rollback: []\n"), written);
        // the master as it was, comments and all, with the include last
        assertEquals(master + "  - include:\n      file: changes/0002-add-nickname-to-user.yaml\n      relativeToChangelogFile: true\n",
                project.master());
        assertTrue(project.info.get(0).equals("Wrote db-changelog/changes/0002-add-nickname-to-user.yaml and included it last in "
                + Migrations.CHANGELOG + "."), project.info.toString());

        List<Finding> findings = ChangelogLint.lint(Migrations.CHANGELOG, new DirectoryResourceAccessor(dir));
        assertEquals(1, findings.size(), findings.toString());
        assertTrue(findings.get(0).line().startsWith("db-changelog/changes/0002-add-nickname-to-user.yaml, changeset"
                + " 0002-add-nickname-to-user: empty-changeset: has no changes"), findings.get(0).line());

        // written by hand, it passes the lint, and check applies it, rolls it back and applies it again
        Files.writeString(project.changes().resolve("0002-add-nickname-to-user.yaml"), written.replace("      changes: []\n      rollback: []\n",
                "      changes:\n        - addColumn:\n            tableName: user\n            columns:\n              - column:\n"
                        + "                  name: nickname\n                  type: VARCHAR(50)\n"
                        + "      rollback:\n        - dropColumn:\n            tableName: user\n            columnName: nickname\n"));
        assertEquals(List.of(), ChangelogLint.lint(Migrations.CHANGELOG, new DirectoryResourceAccessor(dir)));
        project.run("check");
        assertTrue(project.info.contains("Lint: nothing to say about the 2 changesets."), project.info.toString());
        assertTrue(project.info.stream().anyMatch(l -> l.startsWith("Stairway on a throwaway PostgreSQL ") && l.endsWith(
                ": each of the 2 changesets applies, rolls back to exactly the schema before it, and applies again.")), project.info.toString());

        project.run("revision", "message", "add course", "author", "ana");
        assertEquals("0003-add-course.yaml", project.changeFiles().get(2));
    }

    @Test
    void theNextNumberIsFreeWhenTwoBranchesBothAddedOne(@TempDir Path dir) throws Exception {
        Authoring project = Authoring.copy(dir);
        Files.writeString(project.changes().resolve("0002-from-branch-a.yaml"), "databaseChangeLog: []\n");
        Files.writeString(project.changes().resolve("0002-from-branch-b.yaml"), "databaseChangeLog: []\n");
        project.run("revision", "message", "next", "author", "ana");
        assertTrue(project.changeFiles().contains("0003-next.yaml"), project.changeFiles().toString());
    }

    /** Eight revisions started at one instant in one project: eight numbers, eight includes (ConcurrentRevisionsIT: through the goal). */
    @Test
    void revisionsAtOnceTakeTurnsOnTheMaster(@TempDir Path dir) throws Exception {
        Authoring.copy(dir);
        int runs = 8;
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(runs);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(runs);
        try {
            List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
            for (int i = 1; i <= runs; i++) {
                Map<String, String> settings = Map.of("basedir", dir.toString(), "changelog", Migrations.CHANGELOG,
                        "message", "at once " + i, "author", "ana");
                done.add(pool.submit(() -> {
                    start.await();
                    AuthoringGoals.run("revision", settings, line -> { }, line -> { });
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> each : done) {
                each.get(2, java.util.concurrent.TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        List<String> numbers;
        try (java.util.stream.Stream<Path> files = Files.list(dir.resolve("db-changelog/changes"))) {
            numbers = files.map(p -> p.getFileName().toString().substring(0, 4)).sorted().toList();
        }
        assertEquals(List.of("0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008", "0009"), numbers);
        String master = Files.readString(dir.resolve(Migrations.CHANGELOG));
        for (int n = 2; n <= 9; n++) {
            assertTrue(master.contains("file: changes/000" + n + "-at-once-"), "the master lost an include:\n" + master);
        }
    }

    @Test
    void badInputIsRefusedAndWritesNothing(@TempDir Path dir) throws Exception {
        Authoring project = Authoring.copy(dir);
        String master = project.master();
        assertEquals("Say what the change does: ./mvnw cnlearn:revision -Dmessage=\"add nickname to user\". Nothing was written.",
                assertThrows(AuthoringFailure.class, () -> project.run("revision", "author", "ana")).getMessage());
        assertTrue(assertThrows(AuthoringFailure.class, () -> project.run("revision", "message", "添加昵称", "author", "ana"))
                .getMessage().startsWith("-Dmessage=\"添加昵称\" has no ASCII letter or digit to name the file with"));
        assertTrue(assertThrows(AuthoringFailure.class, () -> project.run("revision", "message", "x", "author", "ana",
                "desired", "no/such/model.sql")).getMessage().startsWith("-Ddesired=no/such/model.sql: no such file"));
        assertTrue(assertThrows(AuthoringFailure.class, () -> project.run("revision", "message", "x", "author", "ana",
                "desired", "jdbc:mysql://localhost/x")).getMessage().startsWith("-Ddesired must be a PostgreSQL URL"));
        assertTrue(assertThrows(AuthoringFailure.class, () -> project.run("revision", "message", "x", "author", "ana",
                "desired", project.desired("sqlalchemy/v2.sql"), "rename", "nickname")).getMessage().startsWith(
                "-Drename=nickname is neither TABLE.OLD:NEW"));
        assertTrue(assertThrows(AuthoringFailure.class, () -> project.run("revision", "message", "x", "author", "ana",
                "desired", project.desired("sqlalchemy/v2.sql"), "rename", "user:")).getMessage().startsWith(
                "-Drename=user: is neither TABLE.OLD:NEW"));
        // a folder, and bytes that are no text: said as such ("no such file", "Input length = 1")
        assertTrue(assertThrows(AuthoringFailure.class, () -> project.run("revision", "message", "x", "author", "ana",
                "desired", "db-changelog")).getMessage().startsWith("-Ddesired=db-changelog is a folder ("));
        Files.write(dir.resolve("model.bin"), new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, (byte) 0xc3, 0x28});
        assertTrue(assertThrows(AuthoringFailure.class, () -> project.run("revision", "message", "x", "author", "ana",
                "desired", dir.resolve("model.bin").toString())).getMessage().startsWith("-Ddesired=" + dir.resolve("model.bin")
                + " is not a text file of SQL (its bytes are not UTF-8 text)"));
        assertEquals(List.of("0001-create-user-table.yaml"), project.changeFiles());
        assertEquals(master, project.master());
    }
}
