package org.cnlearn.db.authoring;

import org.cnlearn.db.Migrations;
import org.cnlearn.db.TestDatabase;
import org.cnlearn.db.catalog.CatalogComparison;
import org.cnlearn.db.catalog.CatalogObject;
import org.cnlearn.db.catalog.Difference;
import org.cnlearn.db.catalog.SchemaCatalog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The cnlearn: goals run in the test JVM on a copy of the project's changelog, as the goals run them; what they said. */
final class Authoring {

    final Path project;
    final List<String> info = new ArrayList<>();
    final List<String> errors = new ArrayList<>();

    private Authoring(Path project) {
        this.project = project;
    }

    /** A folder holding a copy of db-changelog/, where a goal may write. */
    static Authoring copy(Path folder) throws IOException {
        Path source = Migrations.PROJECT_DIR.resolve("db-changelog");
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path target = folder.resolve("db-changelog").resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
        return new Authoring(folder);
    }

    /** A folder that holds a project's db-changelog/ already. */
    static Authoring at(Path folder) {
        return new Authoring(folder);
    }

    /** A goal with -Dname=value settings, given as "name", "value", …; the messages of earlier goals are forgotten. */
    void run(String goal, String... settings) throws Exception {
        info.clear();
        errors.clear();
        Map<String, String> values = new LinkedHashMap<>();
        values.put("basedir", project.toString());
        values.put("changelog", Migrations.CHANGELOG);
        for (int i = 0; i < settings.length; i += 2) {
            values.put(settings[i], settings[i + 1]);
        }
        AuthoringGoals.run(goal, values, info::add, errors::add);
    }

    Path changes() {
        return project.resolve("db-changelog/changes");
    }

    String file(String name) throws IOException {
        return Files.readString(changes().resolve(name));
    }

    String master() throws IOException {
        return Files.readString(project.resolve(Migrations.CHANGELOG));
    }

    List<String> changeFiles() throws IOException {
        try (Stream<Path> files = Files.list(changes())) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    /** A DDL file of the tests (src/test/resources/…) copied into the project, as an author keeps a model's dump. */
    String desired(String resource) throws IOException {
        return desired(resource, Path.of(resource).getFileName().toString());
    }

    /** The same, under a name of the test's. */
    String desired(String resource, String name) throws IOException {
        Path file = project.resolve("target/" + name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, Migrations.resource(resource));
        return "target/" + file.getFileName();
    }

    /** The differences between two databases' catalogs (empty: the same schema). */
    static List<String> differences(TestDatabase expected, TestDatabase actual) throws Exception {
        try (Connection a = expected.connect(); Connection b = actual.connect()) {
            return CatalogComparison.compare(SchemaCatalog.read(a), SchemaCatalog.read(b)).stream().map(Difference::line).toList();
        }
    }

    /** How many changesets a file the goal wrote holds. */
    static int changesets(String written) {
        return written.split("- changeSet:", -1).length - 1;
    }

    /** A database built from a DDL file of the tests (create_all's, say). */
    static void build(TestDatabase db, String resource) throws Exception {
        buildFromDdl(db, Migrations.resource(resource));
    }

    /** A database built from DDL, statement by statement as the desired schema is read. */
    static void buildFromDdl(TestDatabase db, String ddl) throws Exception {
        try (Connection connection = db.connect(); var statement = connection.createStatement()) {
            for (String sql : DesiredSchema.statements(ddl)) {
                statement.execute(sql);
            }
        }
    }

    /**
     * The file a goal wrote is the one docs/authoring.md shows between {@code <!-- generated-NAME:start} and
     * {@code <!-- generated-NAME:end -->}, but for its date; {@code section} names where, for the failure.
     */
    static void assertAuthoringShows(String name, String written, String section) throws IOException {
        String authoring = Files.readString(Migrations.PROJECT_DIR.resolve("docs/authoring.md"));
        int start = authoring.indexOf("```yaml\n", authoring.indexOf("<!-- generated-" + name + ":start")) + "```yaml\n".length();
        String shown = authoring.substring(start, authoring.indexOf("```\n<!-- generated-" + name + ":end -->"));
        assertEquals(shown.replaceAll(" on \\d{4}-\\d{2}-\\d{2}:", " on DATE:"), written.replaceAll(" on \\d{4}-\\d{2}-\\d{2}:", " on DATE:"),
                "docs/authoring.md, \"" + section + "\", does not show what the goal writes");
    }

    static List<CatalogObject> catalog(TestDatabase db) throws Exception {
        try (Connection connection = db.connect()) {
            return SchemaCatalog.read(connection);
        }
    }
}
