package org.cnlearn.db.authoring;

import liquibase.resource.DirectoryResourceAccessor;
import org.cnlearn.db.Migrations;
import org.cnlearn.db.TestDatabase;
import org.cnlearn.db.TestServer;
import org.cnlearn.db.lint.ChangelogLint;
import org.cnlearn.db.lint.Finding;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.cnlearn.db.Migrations.messages;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * cnlearn:revision -Ddesired, one case per folder of src/test/resources/autogenerate/ (as migra keeps its
 * fixtures): a changelog that builds {@code before.sql}, and {@code after.sql} as the desired schema. The file
 * written is proven on PostgreSQL apart from the goal's own proof: applied over the rows of {@code rows.sql}
 * (if any) it builds exactly what after.sql builds, rolls back to exactly what before.sql builds, applies
 * again, and the lint finds nothing in it. Optionally, {@code expected.yaml} is the file, to the byte (its date
 * aside); {@code in-place.txt} names tables the change must not rewrite; {@code refused.txt} says the goal refuses the case, with that in its reason, and writes nothing;
 * {@code settings.txt} holds more -D settings of the goal, one name=value a line; {@code rollback-loses-data.txt} says the
 * data-loss guard refuses the rollback over rows.sql's rows with that in its reason, and the rollback is then run with
 * -DallowDataLoss=true.
 */
class AutogenerateFixturesTest {

    private static final String FILE = "0002-fixture.yaml";

    static Stream<String> cases() throws IOException, URISyntaxException {
        Path root = Path.of(AutogenerateFixturesTest.class.getClassLoader().getResource("autogenerate").toURI());
        try (Stream<Path> folders = Files.list(root)) {
            // -Dcnlearn.fixture=NAME runs that case alone, and shows the file it writes
            String only = System.getProperty("cnlearn.fixture");
            return folders.filter(Files::isDirectory).map(folder -> folder.getFileName().toString())
                    .filter(name -> only == null || name.equals(only)).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theFileWrittenBuildsAfterRollsBackToBeforeAndPassesTheLint(String name, @TempDir Path dir) throws Exception {
        Path folder = Path.of(AutogenerateFixturesTest.class.getClassLoader().getResource("autogenerate/" + name).toURI());
        Authoring project = project(dir, folder);
        String desired = project.desired("autogenerate/" + name + "/after.sql", "after.sql");
        String[] settings = settings(folder, desired);

        Path refused = folder.resolve("refused.txt");
        if (Files.exists(refused)) {
            String master = project.master();
            AuthoringFailure failure = assertThrows(AuthoringFailure.class, () -> project.run("revision", settings));
            String reason = Files.readString(refused).strip();
            assertTrue(failure.getMessage().contains(reason), "the refusal does not say «" + reason + "»:\n" + failure.getMessage());
            assertTrue(failure.getMessage().endsWith("Nothing was written."), failure.getMessage());
            assertEquals(List.of("0001-before.yaml"), project.changeFiles());
            assertEquals(master, project.master());
            return;
        }
        project.run("revision", settings);
        String written = project.file(FILE);
        if (System.getProperty("cnlearn.fixture") != null) {
            System.out.println(written);
        }
        Path expected = folder.resolve("expected.yaml");
        if (Files.exists(expected)) {
            assertEquals(Files.readString(expected), written.replaceAll(" on \\d{4}-\\d{2}-\\d{2}:", " on DATE:"), "the file written");
        }
        List<Finding> findings = ChangelogLint.lint(Migrations.CHANGELOG, new DirectoryResourceAccessor(dir)).stream()
                .filter(finding -> finding.line().contains(FILE)).toList();
        assertEquals(List.of(), findings.stream().map(Finding::line).toList(), "the lint, on the file written:\n" + written);
        int generated = (int) written.lines().filter(line -> line.startsWith("  - changeSet:")).count();
        assertTrue(generated > 0, written);

        try (TestDatabase db = TestServer.get().createDatabase("fixture");
             TestDatabase before = TestServer.get().createDatabase("fixture_before");
             TestDatabase after = TestServer.get().createDatabase("fixture_after")) {
            Authoring.build(before, "autogenerate/" + name + "/before.sql");
            Authoring.build(after, "autogenerate/" + name + "/after.sql");
            Migrations.runIn(dir, db, "updateCount", Map.of("count", 1));
            if (Files.exists(folder.resolve("rows.sql"))) {
                Authoring.build(db, "autogenerate/" + name + "/rows.sql");
            }
            List<String> inPlace = Files.exists(folder.resolve("in-place.txt")) ? Files.readAllLines(folder.resolve("in-place.txt")) : List.of();
            List<String> storageBefore = storage(db, inPlace);
            Migrations.runIn(dir, db, "update");
            assertEquals(List.of(), Authoring.differences(after, db), "update does not build what after.sql builds:\n" + written);
            assertEquals(storageBefore, storage(db, inPlace), "the change rewrote a table that it should have changed in place:\n" + written);
            Path losesData = folder.resolve("rollback-loses-data.txt");
            if (Files.exists(losesData)) {
                Exception refusal = assertThrows(Exception.class, () -> Migrations.runIn(dir, db, "rollbackCount", Map.of("count", generated)));
                String reason = Files.readString(losesData).strip();
                assertTrue(messages(refusal).contains(reason), "the rollback is not refused with «" + reason + "»:\n" + messages(refusal));
                Migrations.runIn(dir, db, "rollbackCount", Map.of("count", db.appliedChangesets().size() - 1), Map.of("allowDataLoss", true));
            } else {
                Migrations.runIn(dir, db, "rollbackCount", Map.of("count", generated));
            }
            assertEquals(List.of(), Authoring.differences(before, db), "the rollback does not return to what before.sql builds:\n" + written);
            Migrations.runIn(dir, db, "update");
            assertEquals(List.of(), Authoring.differences(after, db), "update after the rollback does not build what after.sql builds");
        }
    }

    /** Where each table's rows are stored (pg_relation_filenode): a rewrite moves them to a new file. */
    private static List<String> storage(TestDatabase db, List<String> tables) throws Exception {
        List<String> files = new java.util.ArrayList<>();
        for (String table : tables) {
            files.add(table + " " + db.count("SELECT pg_relation_filenode('" + table.strip() + "'::regclass)"));
        }
        return files;
    }

    /** A project whose changelog builds before.sql: one changeset, a statement a change. */
    private static Authoring project(Path dir, Path folder) throws IOException {
        Path changes = Files.createDirectories(dir.resolve("db-changelog/changes"));
        Files.writeString(dir.resolve(Migrations.CHANGELOG), "databaseChangeLog:\n  - include:\n      file: changes/0001-before.yaml\n"
                + "      relativeToChangelogFile: true\n");
        StringBuilder changeset = new StringBuilder("databaseChangeLog:\n  - changeSet:\n      id: 0001-before\n      author: fixtures\n"
                + "      changes:\n");
        for (String statement : DesiredSchema.statements(Files.readString(folder.resolve("before.sql")))) {
            changeset.append("        - sql:\n            splitStatements: false\n            sql: \"")
                    .append(statement.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")).append("\"\n");
        }
        changeset.append("      rollback: []\n");
        Files.writeString(changes.resolve("0001-before.yaml"), changeset.toString());
        return Authoring.at(dir);
    }

    private static String[] settings(Path folder, String desired) throws IOException {
        List<String> settings = new java.util.ArrayList<>(List.of("message", "fixture", "author", "fixtures", "desired", desired));
        Path more = folder.resolve("settings.txt");
        if (Files.exists(more)) {
            for (String line : Files.readAllLines(more)) {
                if (!line.isBlank()) {
                    settings.add(line.substring(0, line.indexOf('=')).strip());
                    settings.add(line.substring(line.indexOf('=') + 1).strip());
                }
            }
        }
        return settings.toArray(new String[0]);
    }
}
