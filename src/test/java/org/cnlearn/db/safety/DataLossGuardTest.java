package org.cnlearn.db.safety;

import org.cnlearn.db.Migrations;
import org.cnlearn.db.TestDatabase;
import org.cnlearn.db.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.cnlearn.db.Migrations.messages;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The data-loss guard on every path that destroys rows (issue 22): raw SQL in changes and in
 * rollbacks, updateTestingRollback, and dropAll. Each destructive case is refused over rows and
 * changes nothing; the same statement runs where nothing would be lost, or with the flag.
 */
class DataLossGuardTest {

    private static final String DROP_IN_ROLLBACK = "src/test/resources/changelogs/raw-sql-drop-in-rollback.yaml";
    private static final String STATEMENT = "src/test/resources/changelogs/raw-sql-statement.yaml";
    private static final Map<String, Object> ALLOW = Map.of(DataLossGuard.ALLOW_DATA_LOSS, true);
    private static final String WAIVER = "lint-waiver(unparseable-sql): the block only reads the catalog";

    @Test
    void aRawDropInARollbackIsRefusedOverARowAndRunsWithTheFlag() throws Exception {
        try (TestDatabase db = TestServer.get().createDatabase("raw_rollback")) {
            Migrations.update(db, DROP_IN_ROLLBACK);
            db.execute("INSERT INTO \"user\" (email) VALUES ('learner@example.org')");

            Exception refused = assertThrows(Exception.class, () -> Migrations.rollbackCount(db, DROP_IN_ROLLBACK, 1));
            assertTrue(messages(refused).contains("Refusing to drop table \"user\" (sql: DROP TABLE \"user\"): it holds 1 row of data,"
                    + " which would be lost. Nothing was changed. To drop them anyway, run again with -DallowDataLoss=true."), messages(refused));
            assertEquals(1, db.count("SELECT count(*) FROM \"user\""));
            assertEquals(1, db.count("SELECT count(*) FROM pg_tables WHERE tablename = 'course'"), "the rollback's first statement ran");
            assertEquals(List.of("0001-create-user-table", "0002-add-course"), db.appliedChangesets());

            Migrations.command(db, DROP_IN_ROLLBACK, "rollbackCount", Map.of("count", 1), ALLOW, Map.of());
            assertEquals(List.of("0001-create-user-table"), db.appliedChangesets());
            assertEquals(List.of(), db.userTableShape());
        }
    }

    @Test
    void anUpdateRunIsCheckedWholeSoNothingOfItAppliesBeforeARefusedDrop() throws Exception {
        String changelog = "src/test/resources/changelogs/whole-run.yaml";
        try (TestDatabase db = TestServer.get().createDatabase("whole_run")) {
            Migrations.updateCount(db, changelog, 1);
            db.execute("INSERT INTO \"user\" (email, hashed_password) VALUES ('learner@example.org', 'x')");
            // a run that stops before the drop, or leaves it out by its label, is not refused for it
            Migrations.updateCount(db, changelog, 1);
            assertEquals(List.of("0001-create-user-table", "0002-add-display-name"), db.appliedChangesets());
            Migrations.rollbackCount(db, changelog, 1);
            Migrations.command(db, changelog, "update", Map.of("labelFilter", "expand"), Map.of(), Map.of());
            assertEquals(List.of("0001-create-user-table", "0002-add-display-name", "0003-index-display-name"), db.appliedChangesets());
            Migrations.rollbackCount(db, changelog, 2);

            Exception refused = assertThrows(Exception.class, () -> Migrations.update(db, changelog));
            assertTrue(messages(refused).contains("Refusing to drop column hashed_password of public.\"user\": it holds 1 row of data,"
                    + " which would be lost. Nothing of this run was applied: its changeset 0004-drop-hashed-password would have been"
                    + " refused after 2 others, so none of them ran. To drop them anyway, run again with -DallowDataLoss=true."),
                    messages(refused));
            assertEquals(List.of("0001-create-user-table"), db.appliedChangesets());
            assertFalse(db.userTableShape().toString().contains("display_name"), db.userTableShape().toString());

            Migrations.command(db, changelog, "update", Map.of(), ALLOW, Map.of());
            assertEquals(4, db.appliedChangesets().size());
        }
    }

    @Test
    void theWholeRunCheckStopsWhereAChangeMovesRowsAndRaisesNoFalseAlarm() throws Exception {
        String changelog = "src/test/resources/changelogs/whole-run-emptied-first.yaml";
        try (TestDatabase db = TestServer.get().createDatabase("whole_run_emptied")) {
            Migrations.updateCount(db, changelog, 1);
            db.execute("INSERT INTO \"user\" (email, hashed_password) VALUES ('learner@example.org', 'x')");
            Migrations.update(db, changelog);
            assertEquals(List.of("0001-create-user-table", "0002-forget-passwords", "0003-drop-hashed-password"), db.appliedChangesets());
            assertEquals(1, db.count("SELECT count(*) FROM \"user\""));
        }
    }

    /** A statement of changeset 0003, the rows there are before it, and the refusal's words (null: it runs). */
    record Case(String statement, String rows, String refusal) {
        @Override
        public String toString() {
            return statement + (refusal == null ? ": runs" : ": refused");
        }
    }

    static Stream<Case> statements() {
        String user = "INSERT INTO \"user\" (id, email) VALUES (1, 'learner@example.org');";
        return Stream.of(
                new Case("DROP TABLE \"user\" CASCADE", user, "Refusing to drop table \"user\" (sql: DROP TABLE \"user\" CASCADE): it holds 1 row"),
                new Case("ALTER TABLE \"user\" DROP COLUMN email", user,
                        "Refusing to drop column email of \"user\" (sql: ALTER TABLE \"user\" DROP COLUMN email): it holds 1 row"),
                new Case("TRUNCATE course", user + "INSERT INTO course VALUES (1, 1)", "Refusing to truncate course (sql: TRUNCATE course): it holds 1 row"),
                new Case("TRUNCATE \"user\" CASCADE", "INSERT INTO course VALUES (1, NULL)",
                        "Refusing to truncate \"user\" and, by CASCADE, the tables that reference it (sql: TRUNCATE \"user\" CASCADE):"
                                + " the rows of public.course (1 row) would be lost."),
                new Case("DROP SCHEMA archive CASCADE", "INSERT INTO archive.old_user VALUES (1), (2)",
                        "Refusing to drop schema archive and every table in it (sql: DROP SCHEMA archive CASCADE): the rows of"
                                + " archive.old_user (2 rows) would be lost."),
                new Case("DO $$ BEGIN EXECUTE 'TRUNCATE course'; END $$", user + "INSERT INTO course VALUES (1, 1)",
                        "Cannot tell whether this SQL of changeset 0003-statement destroys data, so it did not run: DO $$ BEGIN EXECUTE"
                                + " 'TRUNCATE course'; END $$ (unparseable-sql: a DO block runs statements no linter can see). Nothing was changed."),
                new Case("DROP TYPE mood CASCADE", "CREATE TYPE mood AS ENUM ('ok'); ALTER TABLE course ADD COLUMN feeling mood;"
                        + " INSERT INTO course VALUES (1, NULL, 'ok')", "Refusing to drop type mood and, by CASCADE, every column of it"
                        + " (sql: DROP TYPE mood CASCADE): the rows of column feeling of public.course (1 row) would be lost."),
                new Case("DROP EXTENSION citext CASCADE", "CREATE EXTENSION citext; ALTER TABLE course ADD COLUMN code citext;"
                        + " INSERT INTO course VALUES (1, NULL, 'A1')", "Refusing to drop extension citext and, by CASCADE, every column"
                        + " of its types (sql: DROP EXTENSION citext CASCADE): the rows of column code of public.course (1 row) would be lost."),
                // a column with a constant default: only values other than it are data (a NULL is one)
                new Case("ALTER TABLE course DROP COLUMN skill", user + "ALTER TABLE course ADD COLUMN skill text NOT NULL DEFAULT 'beginner';"
                        + " INSERT INTO course VALUES (1, 1, 'advanced')", "Refusing to drop column skill of course (sql: ALTER TABLE course"
                        + " DROP COLUMN skill): it holds 1 row"),
                new Case("ALTER TABLE course DROP COLUMN skill", user + "ALTER TABLE course ADD COLUMN skill text DEFAULT 'beginner';"
                        + " INSERT INTO course VALUES (1, 1, NULL)", "Refusing to drop column skill of course (sql: ALTER TABLE course"
                        + " DROP COLUMN skill): it holds 1 row"),
                // a default that is no constant: each row written since holds a value of its own
                new Case("ALTER TABLE course DROP COLUMN added_at", user + "ALTER TABLE course ADD COLUMN added_at timestamptz NOT NULL"
                        + " DEFAULT now(); INSERT INTO course VALUES (1, 1, now() - interval '1 day')", "Refusing to drop column added_at"
                        + " of course (sql: ALTER TABLE course DROP COLUMN added_at): it holds 1 row"),
                new Case("ALTER TABLE course DROP COLUMN added_at", user + "INSERT INTO course VALUES (1, 1); INSERT INTO course VALUES (2, 1);"
                        + " ALTER TABLE course ADD COLUMN added_at timestamptz NOT NULL DEFAULT now(); UPDATE course SET added_at ="
                        + " added_at - interval '1 day' WHERE id = 2", "Refusing to drop column added_at of course (sql: ALTER TABLE"
                        + " course DROP COLUMN added_at): it holds 1 row"),
                // where nothing would be lost, the same statements run
                new Case("ALTER TABLE course DROP COLUMN skill", user + "ALTER TABLE course ADD COLUMN skill text NOT NULL DEFAULT 'beginner';"
                        + " INSERT INTO course VALUES (1, 1); INSERT INTO course VALUES (2, 1, 'beginner')", null),
                new Case("ALTER TABLE course DROP COLUMN score", user + "ALTER TABLE course ADD COLUMN score numeric(4,1) NOT NULL DEFAULT -1.5;"
                        + " INSERT INTO course VALUES (1, 1)", null),
                // a type with no equality operator (json) is compared as text
                new Case("ALTER TABLE course DROP COLUMN prefs", user + "ALTER TABLE course ADD COLUMN prefs json NOT NULL DEFAULT '{}';"
                        + " INSERT INTO course VALUES (1, 1)", null),
                new Case("ALTER TABLE course DROP COLUMN prefs", user + "ALTER TABLE course ADD COLUMN prefs json NOT NULL DEFAULT '{}';"
                        + " INSERT INTO course VALUES (1, 1, '{\"dark\": true}')", "Refusing to drop column prefs of course (sql: ALTER TABLE"
                        + " course DROP COLUMN prefs): it holds 1 row"),
                new Case("DROP TYPE mood CASCADE", "CREATE TYPE mood AS ENUM ('ok'); ALTER TABLE course ADD COLUMN feeling mood;"
                        + " INSERT INTO course VALUES (1, NULL, NULL)", null),
                // the value ADD COLUMN filled the rows there with (a default such as now()) was written by no one
                new Case("ALTER TABLE course DROP COLUMN added_at", user + "INSERT INTO course VALUES (1, 1); INSERT INTO course VALUES (2, 1);"
                        + " ALTER TABLE course ADD COLUMN added_at timestamp NOT NULL DEFAULT now()", null),
                // a statement the parser cannot read, whose command drops no row
                new Case("DROP POLICY everyone ON course", user + "INSERT INTO course VALUES (1, 1); ALTER TABLE course ENABLE ROW LEVEL"
                        + " SECURITY; CREATE POLICY everyone ON course USING (true)", null),
                new Case("ALTER TABLE \"user\" DROP COLUMN full_name", user, null),
                new Case("TRUNCATE course", user, null),
                new Case("DROP TABLE course", user, null),
                new Case("DROP SCHEMA archive CASCADE", user, null),
                // a data change is the changeset's to make
                new Case("DELETE FROM course", user + "INSERT INTO course VALUES (1, 1)", null));
    }

    @ParameterizedTest
    @MethodSource("statements")
    void aRawStatementIsRefusedOverRowsAndChangesNothing(Case each) throws Exception {
        try (TestDatabase db = TestServer.get().createDatabase("raw_statement")) {
            Map<String, String> parameters = Map.of("statement", each.statement(), "rollback", "DROP TABLE marker", "comment", "The statement.");
            Migrations.command(db, STATEMENT, "updateCount", Map.of("count", 2), Map.of(), parameters);
            db.execute(each.rows());
            String before = db.count("SELECT count(*) FROM \"user\"") + "/" + db.count("SELECT count(*) FROM course");
            if (each.refusal() == null) {
                Migrations.update(db, STATEMENT, parameters);
                assertEquals(3, db.appliedChangesets().size());
                return;
            }
            Exception refused = assertThrows(Exception.class, () -> Migrations.update(db, STATEMENT, parameters));
            assertTrue(messages(refused).contains(each.refusal()), messages(refused));
            assertEquals(List.of("0001-create-user-table", "0002-tables"), db.appliedChangesets());
            assertEquals(0, db.count("SELECT count(*) FROM pg_tables WHERE tablename = 'marker'"),
                    "the change before the refused one ran: the changeset is outside a transaction, so it is checked whole first");
            assertEquals(before, db.count("SELECT count(*) FROM \"user\"") + "/" + db.count("SELECT count(*) FROM course"));

            Migrations.command(db, STATEMENT, "update", Map.of(), ALLOW, parameters);
            assertEquals(3, db.appliedChangesets().size(), "the flag did not let it run");
        }
    }

    @Test
    void dropOwnedIsRefusedOverTheRowsOfTheTablesTheRoleOwns() throws Exception {
        String role = "guard_owner_" + ProcessHandle.current().pid();
        try {
            try (TestDatabase db = TestServer.get().createDatabase("raw_drop_owned")) {
                Map<String, String> parameters = Map.of("statement", "DROP OWNED BY " + role, "rollback", "DROP TABLE marker", "comment", "The statement.");
                Migrations.command(db, STATEMENT, "updateCount", Map.of("count", 2), Map.of(), parameters);
                db.execute("CREATE ROLE " + role + "; CREATE TABLE lesson (id integer); ALTER TABLE lesson OWNER TO " + role
                        + "; INSERT INTO lesson VALUES (1), (2)");
                Exception refused = assertThrows(Exception.class, () -> Migrations.update(db, STATEMENT, parameters));
                assertTrue(messages(refused).contains("Refusing to drop every table " + role + " owns (sql: DROP OWNED BY " + role
                        + "): the rows of public.lesson (2 rows) would be lost."), messages(refused));
                assertEquals(2, db.count("SELECT count(*) FROM lesson"));
                db.execute("DELETE FROM lesson");
                Migrations.update(db, STATEMENT, parameters); // nothing to lose: it runs
                assertEquals(0, db.count("SELECT count(*) FROM pg_tables WHERE tablename = 'lesson'"));
            }
        } finally {
            TestServer.get().dropRole(role);
        }
    }

    @Test
    void anUnreadableRollbackRunsOnlyWhereTheLintsFindingIsWaived() throws Exception {
        String block = "DO $$ BEGIN EXECUTE 'DROP TABLE marker'; END $$";
        for (String comment : List.of("Unwaived.", WAIVER)) {
            try (TestDatabase db = TestServer.get().createDatabase("raw_unreadable")) {
                Map<String, String> parameters = Map.of("statement", "SELECT 1", "rollback", block, "comment", comment);
                Migrations.update(db, STATEMENT, parameters);
                if (comment.equals(WAIVER)) {
                    Migrations.command(db, STATEMENT, "rollbackCount", Map.of("count", 1), Map.of(), parameters);
                    assertEquals(0, db.count("SELECT count(*) FROM pg_tables WHERE tablename = 'marker'"));
                    assertEquals(2, db.appliedChangesets().size());
                } else {
                    Exception refused = assertThrows(Exception.class,
                            () -> Migrations.command(db, STATEMENT, "rollbackCount", Map.of("count", 1), Map.of(), parameters));
                    assertTrue(messages(refused).contains("Cannot tell whether this SQL of changeset 0003-statement destroys data"
                            + ", so it did not run: " + block), messages(refused));
                    assertTrue(messages(refused).contains("lint-waiver(unparseable-sql): the reason; to run it anyway, run again with"
                            + " -DallowDataLoss=true."), messages(refused));
                    assertEquals(1, db.count("SELECT count(*) FROM pg_tables WHERE tablename = 'marker'"));
                    assertEquals(3, db.appliedChangesets().size());
                }
            }
        }
    }

    @Test
    void updateTestingRollbackKeepsTheRowsItsRollbackWouldDrop() throws Exception {
        try (TestDatabase db = TestServer.get().createDatabase("raw_testing_rollback")) {
            Migrations.update(db);
            db.execute("INSERT INTO \"user\" (email) VALUES ('learner@example.org')");
            Exception refused = assertThrows(Exception.class,
                    () -> Migrations.command(db, DROP_IN_ROLLBACK, "updateTestingRollback", Map.of(), Map.of(), Map.of()));
            assertTrue(messages(refused).contains("Refusing to drop table \"user\" (sql: DROP TABLE \"user\"): it holds 1 row of data, which"
                    + " would be lost. Nothing of this changeset was changed; the changeset this run applied before it stays applied."),
                    messages(refused));
            assertEquals(1, db.count("SELECT count(*) FROM \"user\""));
            // its update ran, and stays: the refused rollback changed nothing of it
            assertEquals(List.of("0001-create-user-table", "0002-add-course"), db.appliedChangesets());
        }
    }

    @Test
    void dropAllIsRefusedOverARowAndNamesTheTable() throws Exception {
        try (TestDatabase db = TestServer.get().createDatabase("drop_all")) {
            Migrations.update(db);
            Migrations.command(db, Migrations.CHANGELOG, "dropAll", Map.of(), Map.of(), Map.of()); // no rows: nothing to lose
            assertEquals(List.of(), db.userTableShape());

            Migrations.update(db);
            db.execute("INSERT INTO \"user\" (email) VALUES ('learner@example.org')");
            Exception refused = assertThrows(Exception.class,
                    () -> Migrations.command(db, Migrations.CHANGELOG, "dropAll", Map.of(), Map.of(), Map.of()));
            assertTrue(messages(refused).contains("Refusing to drop all: the rows of public.\"user\" (1 row) would be lost. Nothing was"
                    + " dropped. If this is the database you mean to empty, run again with -DallowDataLoss=true."), messages(refused));
            assertEquals(1, db.count("SELECT count(*) FROM \"user\""));
            assertEquals(List.of("0001-create-user-table"), db.appliedChangesets());

            Migrations.command(db, Migrations.CHANGELOG, "dropAll", Map.of(), ALLOW, Map.of());
            assertEquals(List.of(), db.objectsIn("public"));
        }
    }
}
