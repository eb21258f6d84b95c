package org.cnlearn.db;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChangelogLintTest {

    @Test
    void projectChangelogBreaksNoRule() throws Exception {
        List<String> problems = ChangelogLint.problems(Migrations.PROJECT_DIR.resolve(Migrations.CHANGELOG));
        assertEquals(List.of(), problems, "db-changelog/ breaks the changelog rules (README, \"Adding a changeset\")");
    }

    @Test
    void everyRuleNamesTheFileAndTheChangeset(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("changes"));
        Files.writeString(dir.resolve("master.yaml"), "databaseChangeLog:\n"
                + "  - include: {file: changes/0001-good.yaml, relativeToChangelogFile: true}\n"
                + "  - include: {file: changes/0002-bad.yaml, relativeToChangelogFile: true}\n");
        Files.writeString(dir.resolve("changes/0001-good.yaml"), changeSet("0001-good", "author: a", "comment: c",
                "rollback: [{dropTable: {tableName: t}}]"));
        Files.writeString(dir.resolve("changes/0002-bad.yaml"), changeSet("0001-good", "runOnChange: true",
                "changes: [{sql: {sql: 'DROP TABLE t'}}]"));
        Files.writeString(dir.resolve("changes/0003-forgotten.yaml"), changeSet("0003-forgotten", "author: a", "comment: c",
                "runAlways: true", "rollback: empty"));
        Files.writeString(dir.resolve("changes/0004-broken.yaml"), "databaseChangeLog:\n  - changeSet: {id: x\n");

        List<String> problems = ChangelogLint.problems(dir.resolve("master.yaml"));
        String all = String.join("\n", problems);
        for (String expected : List.of(
                "changes/0002-bad.yaml, changeset 0001-good: repeats the id of a changeset in changes/0001-good.yaml",
                "changes/0002-bad.yaml, changeset 0001-good: has no author",
                "changes/0002-bad.yaml, changeset 0001-good: has no comment",
                "changes/0002-bad.yaml, changeset 0001-good: has no rollback",
                "changes/0002-bad.yaml, changeset 0001-good: uses runOnChange",
                "changes/0002-bad.yaml, changeset 0001-good: drops a table or column in raw SQL",
                "changes/0003-forgotten.yaml: not included by master.yaml",
                "changes/0003-forgotten.yaml, changeset 0003-forgotten: uses runAlways",
                "changes/0004-broken.yaml: not valid YAML")) {
            assertTrue(all.contains(expected), "missing «" + expected + "» in:\n" + all);
        }
        assertTrue(problems.stream().noneMatch(p -> p.startsWith("changes/0001-good.yaml")), all);
    }

    private static String changeSet(String id, String... lines) {
        StringBuilder yaml = new StringBuilder("databaseChangeLog:\n  - changeSet:\n      id: " + id + "\n");
        for (String line : lines) {
            yaml.append("      ").append(line).append('\n');
        }
        return yaml.toString();
    }
}
