package org.cnlearn.db.authoring;

import org.cnlearn.db.Migrations;
import org.cnlearn.db.TestDatabase;
import org.cnlearn.db.TestServer;
import org.cnlearn.db.catalog.CatalogComparison;
import org.cnlearn.db.catalog.CatalogObject;
import org.cnlearn.db.catalog.Difference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

import static org.cnlearn.db.Migrations.messages;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A column renamed by expand and contract on "user" holding 20,000 rows, under a live workload: the old
 * application version writes full_name while expand applies, the new version then writes display_name beside
 * it, and contract applies while only the new version writes. Neither sees an error or waits 2 s for a
 * statement, every value written ends in display_name, and the whole file rolls back, without the flag, to
 * 0001's schema with every value in full_name. A copy that differs is refused by the data-loss guard.
 */
class ExpandContractIT {

    private static final String FILE = "0002-rename-full-name-to-display-name.yaml";
    private static final int ROWS = 20_000;

    @Test
    void bothVersionsWriteThroughTheRolloutAndNothingIsLostEitherWay(@TempDir Path dir) throws Exception {
        Authoring project = Authoring.copy(dir);
        String renamedSql = renamed(project);
        project.run("revision", "message", "Rename full_name to display_name", "author", "cnlearn", "desired", renamedSql,
                "rename", "user.full_name:display_name");
        String written = project.file(FILE);
        // docs/authoring.md shows this very file
        Authoring.assertAuthoringShows("rename", written, "Renamed while both versions run");
        int changesets = Authoring.changesets(written);

        try (TestDatabase db = TestServer.get().createDatabase("expand_contract");
             TestDatabase wanted = TestServer.get().createDatabase("expand_contract_wanted")) {
            Authoring.buildFromDdl(wanted, Files.readString(project.project.resolve(renamedSql)));
            Migrations.runIn(dir, db, "updateCount", Map.of("count", 1));
            List<CatalogObject> atFirst = Authoring.catalog(db);
            seed(db, "full_name", "'Seed ' || g");

            Map<String, String> displayed = rollout(dir, db, wanted, "full_name", "display_name", i -> "written " + i);

            Migrations.runIn(dir, db, "rollbackCount", Map.of("count", changesets));
            assertEquals(List.of(), CatalogComparison.compare(atFirst, Authoring.catalog(db)).stream().map(Difference::line).toList(),
                    "the rollback does not return to 0001's schema");
            assertEquals(displayed, values(db, "full_name"), "after the rollback, full_name does not hold every value");
        }
    }

    @Test
    void aCopyThatDiffersIsRefusedNamingHowManyRows(@TempDir Path dir) throws Exception {
        Authoring project = Authoring.copy(dir);
        project.run("revision", "message", "Rename full_name to display_name", "author", "cnlearn", "desired", renamed(project),
                "rename", "user.full_name:display_name");
        try (TestDatabase db = TestServer.get().createDatabase("expand_contract_differs")) {
            Migrations.runIn(dir, db, "updateCount", Map.of("count", 1));
            seed(db, "full_name", "'Seed ' || g");
            Migrations.runIn(dir, db, "update", Map.of("labelFilter", "expand"));
            // three rows changed behind the trigger's back
            db.execute("ALTER TABLE \"user\" DISABLE TRIGGER cnlearn_sync_user_full_name;"
                    + " UPDATE \"user\" SET full_name = 'changed' WHERE id <= 3;"
                    + " ALTER TABLE \"user\" ENABLE TRIGGER cnlearn_sync_user_full_name");

            Exception contract = assertThrows(Exception.class, () -> Migrations.runIn(dir, db, "update"));
            assertTrue(messages(contract).contains("Refusing to drop column full_name of public.\"user\": in 3 rows it holds a value that"
                    + " its copy, column display_name, does not (verified-copy(full_name, display_name) in the changeset's comment),"
                    + " which would be lost."), messages(contract));
            // the run checked whole before its first changeset: the contract's two changesets before the drop did not run either
            assertTrue(messages(contract).contains(" Nothing of this run was applied: its changeset 0002-rename-full-name-to-display-name-6"
                    + " would have been refused after 2 others, so none of them ran. Make those rows agree, or, to drop their values"
                    + " anyway, run again with -DallowDataLoss=true."), messages(contract));
            assertEquals(4, db.appliedChangesets().size(), db.appliedChangesets().toString());
            assertEquals(1, db.count("SELECT count(*) FROM pg_indexes WHERE indexname = 'ix_user_full_name'"));
            assertEquals(3, db.count("SELECT count(*) FROM \"user\" WHERE full_name = 'changed'"));

            // rolling back expand drops display_name: refused the same way, the values of both columns kept
            Exception rollback = assertThrows(Exception.class, () -> Migrations.runIn(dir, db, "rollbackCount",
                    Map.of("count", db.appliedChangesets().size() - 1)));
            assertTrue(messages(rollback).contains("Refusing to drop column display_name of public.\"user\": in 3 rows it holds a value"
                    + " that its copy, column full_name, does not (verified-copy(full_name, display_name) in the changeset's comment)"), messages(rollback));
            assertEquals(ROWS, db.count("SELECT count(*) FROM \"user\" WHERE display_name IS NOT NULL AND full_name IS NOT NULL"));
        }
    }

    @Test
    void aTypeChangeThatRewritesKeepsBothVersionsWritingAndLosesNothingEitherWay(@TempDir Path dir) throws Exception {
        Authoring project = Authoring.copy(dir);
        // a NOT NULL integer column that is not the key, then the model's change: bigint
        Path model = addedThenModelled(project, "login_count", "\"How many times the user logged in."
                + " lint-waiver(adding-required-field): this test's table is empty then.\"",
                "{name: login_count, type: INTEGER, constraints: {nullable: false}}", "bigint.sql", "login_count BIGINT NOT NULL");
        project.run("revision", "message", "Make login_count a bigint", "author", "cnlearn", "desired", "target/bigint.sql");
        String written = project.file("0003-make-login-count-a-bigint.yaml");
        assertTrue(written.contains("- renameColumn:\n            tableName: user\n            oldColumnName: login_count_new\n"), written);
        // the copy made NOT NULL by a validated check, in contract
        assertTrue(written.contains("VALIDATE CONSTRAINT user_login_count_new_not_null_check"), written);
        int changesets = Authoring.changesets(written);

        try (TestDatabase db = TestServer.get().createDatabase("expand_contract_type");
             TestDatabase wanted = TestServer.get().createDatabase("expand_contract_type_wanted")) {
            Authoring.buildFromDdl(wanted, Files.readString(model));
            Migrations.runIn(dir, db, "updateCount", Map.of("count", 2));
            List<CatalogObject> atFirst = Authoring.catalog(db);
            seed(db, "login_count", "g");
            long storage = db.count("SELECT pg_relation_filenode('\"user\"')");

            Map<String, String> counts = rollout(dir, db, wanted, "login_count", "login_count", i -> i);
            assertEquals(storage, db.count("SELECT pg_relation_filenode('\"user\"')"), "the table was rewritten");

            Migrations.runIn(dir, db, "rollbackCount", Map.of("count", changesets));
            assertEquals(List.of(), CatalogComparison.compare(atFirst, Authoring.catalog(db)).stream().map(Difference::line).toList(),
                    "the rollback does not return to 0002's schema");
            assertEquals(counts, values(db, "login_count"), "after the rollback, login_count does not hold every value");
        }
    }

    /**
     * A column with a default, renamed: through expand the old version's rows take the old column's default and the
     * new version's the same, written or not, in both columns; after contract the new column has the default itself;
     * rolled back, every value is in the old column, which has its default again.
     */
    @Test
    void aDefaultStaysTheColumnsThroughThePhasesAndNoValueWrittenIsLost(@TempDir Path dir) throws Exception {
        Authoring project = Authoring.copy(dir);
        Path model = addedThenModelled(project, "locale", "The user's locale.", "{name: locale, type: VARCHAR(10), defaultValue: en}",
                "language.sql", "language VARCHAR(10) DEFAULT 'en'");
        project.run("revision", "message", "Rename locale to language", "author", "cnlearn", "desired", "target/language.sql",
                "rename", "user.locale:language");
        String written = project.file("0003-rename-locale-to-language.yaml");
        assertTrue(written.contains("ALTER COLUMN language SET DEFAULT 'en'::character varying"), written);
        int changesets = Authoring.changesets(written);

        try (TestDatabase db = TestServer.get().createDatabase("expand_contract_default");
             TestDatabase wanted = TestServer.get().createDatabase("expand_contract_default_wanted")) {
            Authoring.buildFromDdl(wanted, Files.readString(model));
            Migrations.runIn(dir, db, "updateCount", Map.of("count", 2));
            db.execute("INSERT INTO \"user\" (email, locale) VALUES ('before@example.org', 'fr')");
            Migrations.runIn(dir, db, "update", Map.of("labelFilter", "expand"));
            db.execute("INSERT INTO \"user\" (email, locale) VALUES ('old-written@example.org', 'de')");
            db.execute("INSERT INTO \"user\" (email) VALUES ('old-defaulted@example.org')");
            db.execute("INSERT INTO \"user\" (email, language) VALUES ('new-written@example.org', 'pt')");
            db.execute("INSERT INTO \"user\" (email) VALUES ('new-defaulted@example.org')");
            Map<String, String> expected = Map.of("before@example.org", "fr", "old-written@example.org", "de",
                    "old-defaulted@example.org", "en", "new-written@example.org", "pt", "new-defaulted@example.org", "en");
            assertEquals(expected, values(db, "locale"), "through expand, the old column");
            assertEquals(expected, values(db, "language"), "through expand, the new column");

            Migrations.runIn(dir, db, "update", Map.of("labelFilter", "contract"));
            db.execute("INSERT INTO \"user\" (email) VALUES ('after@example.org')");
            assertEquals(List.of(), Authoring.differences(wanted, db), "after contract, the schema is not exactly the desired one");
            Map<String, String> all = new HashMap<>(expected);
            all.put("after@example.org", "en");
            assertEquals(all, values(db, "language"), "after contract");

            Migrations.runIn(dir, db, "rollbackCount", Map.of("count", changesets));
            assertEquals(all, values(db, "locale"), "after the rollback");
            assertEquals(1, db.count("SELECT count(*) FROM information_schema.columns WHERE table_name = 'user'"
                    + " AND column_name = 'locale' AND column_default = '''en''::character varying'"));
        }
    }

    /**
     * The rollout, on a table holding the seed's rows: the old version writes {@code oldColumn} while expand applies;
     * the new version then writes {@code newColumn} beside it for a second; the old one stops, and contract applies
     * while the new one writes. Neither may see an error or wait 2 s for a statement; the schema must then be
     * {@code wanted}'s, and every value written in {@code newColumn}, which this returns by email.
     */
    private static Map<String, String> rollout(Path dir, TestDatabase db, TestDatabase wanted, String oldColumn, String newColumn,
                                               java.util.function.LongFunction<Object> value) throws Exception {
        Version old = Version.start(db, "old", oldColumn, 1, value);
        Migrations.runIn(dir, db, "update", Map.of("labelFilter", "expand"));
        Version current = Version.start(db, "new", newColumn, 0, value);
        Thread.sleep(1000);
        old.stop();
        Migrations.runIn(dir, db, "update", Map.of("labelFilter", "contract"));
        Thread.sleep(300);
        current.stop();

        for (Version version : List.of(old, current)) {
            System.out.printf("%s version, writing %s: %d statements, the slowest %d ms%n", version.name, version.column, version.operations,
                    version.worstMillis);
            assertEquals(List.of(), version.errors, version.name + " version's errors");
            assertTrue(version.operations > 100, version.name + " version ran " + version.operations + " statements");
            assertTrue(version.worstMillis < 2000, version.name + " version waited " + version.worstMillis + " ms for one statement");
        }
        assertEquals(List.of(), Authoring.differences(wanted, db), "after contract, the schema is not exactly the desired one");
        Map<String, String> values = values(db, newColumn);
        for (Version version : List.of(old, current)) {
            version.written.forEach((email, written) -> assertEquals(written, values.get(email),
                    "the " + version.name + " version wrote «" + written + "» for " + email));
        }
        assertEquals(ROWS + old.inserted + current.inserted, values.size());
        return values;
    }

    /**
     * A column of "user" that changeset 0002-add-NAME adds ({@code column}, as Liquibase's YAML writes one), and the model's
     * change to it: 0001's schema as create_all wrote it, with {@code modelled} as the column's line, in target/{@code file}.
     */
    private static Path addedThenModelled(Authoring project, String name, String comment, String column, String file, String modelled)
            throws Exception {
        project.run("revision", "message", "Add " + name, "author", "cnlearn");
        String id = "0002-add-" + name.replace('_', '-');
        Files.writeString(project.changes().resolve(id + ".yaml"), """
                databaseChangeLog:
                  - changeSet:
                      id: %s
                      author: cnlearn
                      comment: %s
                      changes:
                        - addColumn:
                            tableName: user
                            columns:
                              - column: %s
                      rollback:
                        - dropColumn: {tableName: user, columnName: %s}
                """.formatted(id, comment, column, name));
        Path model = project.project.resolve("target/" + file);
        Files.createDirectories(model.getParent());
        Files.writeString(model, Migrations.resource("sqlalchemy/v1.sql").replace("\tis_superuser BOOLEAN, \n",
                "\tis_superuser BOOLEAN, \n\t" + modelled + ", \n"));
        return model;
    }

    /** The desired schema: 0001's, as SQLAlchemy's create_all wrote it, with full_name renamed. */
    private static String renamed(Authoring project) throws Exception {
        Path file = project.project.resolve("target/renamed.sql");
        Files.createDirectories(file.getParent());
        Files.writeString(file, Migrations.resource("sqlalchemy/v1.sql").replace("full_name", "display_name"));
        return "target/renamed.sql";
    }

    /** The seed's rows, {@code column} holding {@code value} (of g, the row's number). */
    private static void seed(TestDatabase db, String column, String value) throws SQLException {
        db.execute("INSERT INTO \"user\" (" + column + ", email, hashed_password, is_active, is_superuser) SELECT " + value + ","
                + " 'seed' || g || '@example.org', 'x', true, false FROM generate_series(1, " + ROWS + ") AS g");
    }

    /** Every row's value of the column, by email. */
    private static Map<String, String> values(TestDatabase db, String column) throws SQLException {
        Map<String, String> values = new HashMap<>();
        try (Connection connection = db.connect(); var statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT email, " + column + " FROM \"user\"")) {
            while (rs.next()) {
                values.put(rs.getString(1), rs.getString(2));
            }
        }
        return values;
    }

    /**
     * One application version: its own connection, inserting a row and updating one of the seed's rows (odd ids
     * for one version, even for the other, so each row's last value is one version's) by turns, with no pause;
     * each statement timed, each error kept, each value written remembered by the row's email.
     */
    private static final class Version implements Runnable {

        final String name;
        final String column;
        final TestDatabase db;
        final int parity;
        final java.util.function.LongFunction<Object> value;
        final Map<String, String> written = new ConcurrentHashMap<>();
        final List<String> errors = Collections.synchronizedList(new ArrayList<>());
        volatile boolean stopped;
        volatile long operations;
        volatile long worstMillis;
        volatile long inserted;
        private Thread thread;

        private Version(String name, String column, TestDatabase db, int parity, java.util.function.LongFunction<Object> value) {
            this.value = value;
            this.name = name;
            this.column = column;
            this.db = db;
            this.parity = parity;
        }

        static Version start(TestDatabase db, String name, String column, int parity, java.util.function.LongFunction<Object> value) {
            Version version = new Version(name, column, db, parity, value);
            version.thread = new Thread(version, name + "-version");
            version.thread.start();
            return version;
        }

        void stop() throws InterruptedException {
            stopped = true;
            thread.join();
        }

        @Override
        public void run() {
            Random random = new Random(parity);
            try (Connection connection = db.connect();
                 PreparedStatement insert = connection.prepareStatement("INSERT INTO \"user\" (" + column + ", email) VALUES (?, ?)");
                 PreparedStatement update = connection.prepareStatement("UPDATE \"user\" SET " + column + " = ? WHERE id = ?")) {
                for (long i = 0; !stopped; i++) {
                    Object written = value.apply(i);
                    long start = System.nanoTime();
                    try {
                        if (i % 2 == 0) {
                            String email = name + i + "@example.org";
                            insert.setObject(1, written);
                            insert.setString(2, email);
                            insert.executeUpdate();
                            this.written.put(email, written.toString());
                            inserted++;
                        } else {
                            int id = 2 * random.nextInt(ROWS / 2) + 2 - parity;
                            update.setObject(1, written);
                            update.setInt(2, id);
                            update.executeUpdate();
                            this.written.put("seed" + id + "@example.org", written.toString());
                        }
                    } catch (SQLException e) {
                        errors.add(e.getMessage());
                    }
                    worstMillis = Math.max(worstMillis, (System.nanoTime() - start) / 1_000_000);
                    operations++;
                }
            } catch (SQLException e) {
                errors.add(e.getMessage());
            }
        }
    }
}
