package org.cnlearn.db.safety;

import org.cnlearn.db.Migrations;
import org.cnlearn.db.TestDatabase;
import org.cnlearn.db.TestServer;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import static org.cnlearn.db.Migrations.messages;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The guarantees that stock Liquibase 4.33 lacks, each on its own database, in this JVM. */
class SafetyTest {

    /** A database of its own for one test; SafetyThroughPgBouncerTest reaches it through a session-mode pooler. */
    TestDatabase database(String prefix) {
        return TestServer.get().createDatabase(prefix);
    }

    private static final List<String> ALEMBIC_SHAPE = Migrations.expectedLines("expected/user-table.txt");


    @Test
    void rollbackRefusesToDropNonEmptyUserTable() throws Exception {
        try (TestDatabase db = database("data_loss")) {
            Migrations.update(db);
            db.execute("INSERT INTO \"user\" (email) VALUES ('a@example.org'), ('b@example.org'), ('c@example.org')");

            Exception refused = assertThrows(Exception.class, () -> Migrations.rollbackCount(db, 1));
            assertTrue(messages(refused).contains("Refusing to drop table public.\"user\": it holds 3 rows"), messages(refused));
            assertTrue(messages(refused).contains("-DallowDataLoss=true"), messages(refused));
            assertEquals(ALEMBIC_SHAPE, db.userTableShape(), "the refused rollback dropped something (its indexes?)");
            assertEquals(3, db.count("SELECT count(*) FROM \"user\""));
            assertEquals(List.of("0001-create-user-table"), db.appliedChangesets());

            Migrations.rollbackCountAllowingDataLoss(db, 1); // as -DallowDataLoss=true
            assertEquals(List.of(), db.userTableShape());
            assertEquals(List.of(), db.appliedChangesets());
        }
    }

    @Test
    void rollbackOfEmptyUserTableNeedsNoFlag() throws Exception {
        try (TestDatabase db = database("no_data")) {
            Migrations.update(db);
            Migrations.rollbackCount(db, 1);
            assertEquals(List.of(), db.userTableShape());
        }
    }

    @Test
    void updateAdoptsTheTableBuiltByTheAlembicRevisionAndKeepsItsRows() throws Exception {
        try (TestDatabase db = database("adopt_alembic")) {
            db.execute(Migrations.resource("alembic/1b40d5775cd1-upgrade.sql"));
            db.execute("INSERT INTO \"user\" (full_name, email) VALUES ('Ada', 'ada@example.org'), ('Bo', 'bo@example.org')");
            Migrations.update(db);
            assertEquals(List.of("0001-create-user-table"), db.appliedChangesets());
            assertEquals(1, db.count("SELECT count(*) FROM databasechangelog WHERE exectype = 'MARK_RAN'"));
            assertEquals(2, db.count("SELECT count(*) FROM \"user\""));
            assertEquals(ALEMBIC_SHAPE, db.userTableShape());
            assertEquals(List.of(), db.objectsIn(TableAdoption.CHECK_SCHEMA), "the comparison left its scratch schema");
            Migrations.update(db); // and stays up to date
            assertEquals(List.of("0001-create-user-table"), db.appliedChangesets());
        }
    }

    @Test
    void updateAdoptsTheTableLeftByACrashBeforeItsRecord() throws Exception {
        try (TestDatabase db = database("adopt_crash")) {
            Migrations.update(db);
            db.execute("INSERT INTO \"user\" (email) VALUES ('kept@example.org')");
            db.execute("DELETE FROM databasechangelog"); // what a crash between DDL and record leaves
            Migrations.update(db);
            assertEquals(List.of("0001-create-user-table"), db.appliedChangesets());
            assertEquals(1, db.count("SELECT count(*) FROM \"user\" WHERE email = 'kept@example.org'"));
        }
    }

    @Test
    void updateRefusesAnExistingUserTableOfAnotherShapeAndChangesNothing() throws Exception {
        try (TestDatabase db = database("refuse_shape")) {
            db.execute("CREATE TABLE \"user\" (id SERIAL PRIMARY KEY, full_name VARCHAR, email VARCHAR(100) NOT NULL,"
                    + " hashed_password VARCHAR, is_active BOOLEAN); CREATE UNIQUE INDEX ix_user_email ON \"user\" (email);"
                    + " INSERT INTO \"user\" (email) VALUES ('x@example.org')");
            List<String> before = db.userTableShape();

            Exception refused = assertThrows(Exception.class, () -> Migrations.update(db));
            String message = messages(refused);
            assertTrue(message.contains("exist already in another shape"), message);
            assertTrue(message.contains("lacks [column email character varying null]"), message);
            assertTrue(message.contains("has [column email character varying(100) not null]"), message);
            assertTrue(message.contains("lacks [column is_superuser boolean null]"), message);
            assertTrue(message.contains("Nothing was changed"), message);
            assertEquals(before, db.userTableShape());
            assertEquals(1, db.count("SELECT count(*) FROM \"user\""));
            assertEquals(List.of(), db.appliedChangesets());
            assertEquals(List.of(), db.objectsIn(TableAdoption.CHECK_SCHEMA));
        }
    }

    @Test
    void aChangesetCreatingTwoTablesAppliesAndIsAdoptedWhole() throws Exception {
        String changelog = "src/test/resources/changelogs/two-tables.yaml";
        try (TestDatabase db = database("two_tables")) {
            Migrations.update(db, changelog); // the check once ran after the first table existed, and refused
            assertEquals(List.of("two-tables"), db.appliedChangesets());
            db.execute("DELETE FROM databasechangelog"); // both tables there, no record: adopted
            Migrations.update(db, changelog);
            assertEquals(1, db.count("SELECT count(*) FROM databasechangelog WHERE exectype = 'MARK_RAN'"));
            db.execute("DELETE FROM databasechangelog; DROP TABLE lesson"); // one of the two: refused
            Exception refused = assertThrows(Exception.class, () -> Migrations.update(db, changelog));
            assertTrue(messages(refused).contains("creates tables [course, lesson], but only [course] exist already"), messages(refused));
        }
    }

    @Test
    void changesetDdlAndItsHistoryRowCommitTogether() throws Exception {
        try (TestDatabase db = database("atomic")) {
            Migrations.update(db); // DATABASECHANGELOG, empty after the rollback
            Migrations.rollbackCount(db, 1);
            // Make writing the history row fail, after the DDL has run.
            db.execute("CREATE FUNCTION refuse_record() RETURNS trigger LANGUAGE plpgsql AS"
                    + " $$BEGIN RAISE EXCEPTION 'simulated crash before the record'; END$$;"
                    + " CREATE TRIGGER refuse_record BEFORE INSERT ON databasechangelog FOR EACH ROW EXECUTE FUNCTION refuse_record()");
            Exception crashed = assertThrows(Exception.class, () -> Migrations.update(db));
            assertTrue(messages(crashed).contains("simulated crash before the record"), messages(crashed));
            assertEquals(List.of(), db.userTableShape(), "the DDL was committed without its history row");

            db.execute("DROP TRIGGER refuse_record ON databasechangelog");
            Migrations.update(db);
            assertEquals(ALEMBIC_SHAPE, db.userTableShape());
            assertEquals(List.of("0001-create-user-table"), db.appliedChangesets());
        }
    }

    @Test
    void aFailedChangesetSaysWhatFailedWhatTheDatabaseHoldsAndWhatToDo() throws Exception {
        try (TestDatabase db = database("failed")) {
            String message = failedUpdate(db, true);
            assertTrue(message.contains("Changeset typo (src/test/resources/changelogs/failing-changeset.yaml) failed, SQL state 42703:"
                    + " ERROR: column \"nick_name\" of relation \"course\" does not exist"), message);
            assertTrue(message.contains("\n  Statement: UPDATE course SET nick_name = 'x'\n"), message);
            assertTrue(message.contains("\n  State: nothing of this changeset was applied or recorded (its transaction was rolled"
                    + " back); the 1 changeset recorded before it stays applied.\n"), message);
            assertTrue(message.contains("\n  Next: fix the changeset in src/test/resources/changelogs/failing-changeset.yaml"), message);
            // what it says is so
            assertEquals(List.of("course-table"), db.appliedChangesets());
            assertEquals(List.of(), db.objectsIn("public").stream().filter(o -> o.startsWith("lesson")).toList());
        }
        try (TestDatabase db = database("failed_outside")) {
            String message = failedUpdate(db, false);
            assertTrue(message.contains("\n  State: it runs outside a transaction (runInTransaction: false), so its statements before"
                    + " this one stay applied, unrecorded; the 1 changeset recorded before it stays applied.\n"), message);
            assertEquals(List.of("course-table"), db.appliedChangesets());
            assertTrue(db.objectsIn("public").stream().anyMatch(o -> o.startsWith("lesson")), db.objectsIn("public").toString());
        }
    }

    /** What an update of changelogs/failing-changeset.yaml failed with, all its messages. */
    private static String failedUpdate(TestDatabase db, boolean inTransaction) {
        return messages(assertThrows(Exception.class, () -> Migrations.update(db, "src/test/resources/changelogs/failing-changeset.yaml",
                Map.of("failingInTransaction", String.valueOf(inTransaction)))));
    }

    /** As a failover or pg_terminate_backend does: the server ends the migration's session in the middle of a changeset. */
    @Test
    void aSessionEndedByTheServerMidChangesetLeavesNothingAndTheNextRunAppliesIt() throws Exception {
        String slow = "src/test/resources/changelogs/slow.yaml";
        try (TestDatabase db = database("terminated")) {
            java.util.concurrent.CompletableFuture<Void> run = java.util.concurrent.CompletableFuture.runAsync(() -> {
                try {
                    Migrations.update(db, slow, Map.of("slowSeconds", "120"));
                } catch (Exception e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            });
            long deadline = System.nanoTime() + 60_000_000_000L;
            String sleeping = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND state = 'active'"
                    + " AND query LIKE '%pg_sleep%' AND pid <> pg_backend_pid()";
            while (db.count(sleeping) == 0) {
                assertTrue(System.nanoTime() < deadline, "the slow changeset never started");
                Thread.sleep(50);
            }
            db.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database()"
                    + " AND query LIKE '%pg_sleep%' AND pid <> pg_backend_pid()");
            Exception lost = assertThrows(java.util.concurrent.CompletionException.class, run::join);
            String message = messages(lost);
            assertTrue(message.contains("The connection to the database was lost in the middle of changeset slow-create-marker ("),
                    message);
            assertTrue(message.contains("). PostgreSQL rolled the changeset back with its transaction: nothing of it is applied or"
                    + " recorded. Run update again."), message);
            assertEquals(List.of(), db.objectsIn("public").stream().filter(o -> o.startsWith("marker")).toList());
            assertEquals(List.of(), db.appliedChangesets());

            Migrations.update(db, slow, Map.of("slowSeconds", "0"));
            assertEquals(List.of("slow-create-marker"), db.appliedChangesets());
        }
    }

    @Test
    void lockWaitsAreBoundedByTheLockTimeout() throws Exception {
        try (TestDatabase db = database("lock_timeout")) {
            Migrations.update(db);
            try (Connection holder = db.connect(); Statement statement = holder.createStatement()) {
                holder.setAutoCommit(false);
                statement.execute("LOCK TABLE \"user\" IN ACCESS SHARE MODE"); // as a long report would
                long start = System.nanoTime();
                // as -Dcnlearn.lockTimeout=2s sets it
                Exception timedOut = assertThrows(Exception.class, () -> Migrations.rollbackCount(db.withLockTimeout("2s"), 1));
                double seconds = (System.nanoTime() - start) / 1e9;
                assertTrue(messages(timedOut).contains("lock timeout"), messages(timedOut));
                assertTrue(seconds >= 1.5 && seconds < 15, "waited " + seconds + " s");
                holder.rollback();
            }
            assertEquals(ALEMBIC_SHAPE, db.userTableShape());
            assertEquals(List.of("0001-create-user-table"), db.appliedChangesets());
        }
    }

    @Test
    void anInvalidLockTimeoutIsRefusedClearly() throws Exception {
        try (TestDatabase db = database("bad_lock_timeout")) {
            Exception refused = assertThrows(java.sql.SQLException.class, db.withLockTimeout("soon")::connect);
            assertTrue(refused.getMessage().startsWith("The lock timeout 'soon' (cnlearn.lockTimeout / CNLEARN_LOCK_TIMEOUT)"
                    + " is not valid"), refused.getMessage());
        }
    }

    @Test
    void defaultLockTimeoutIsThirtySeconds() throws Exception {
        try (TestDatabase db = database("lock_default");
             Connection connection = db.connect(); Statement statement = connection.createStatement();
             java.sql.ResultSet rs = statement.executeQuery("SHOW lock_timeout")) {
            rs.next();
            assertEquals("30s", rs.getString(1));
        }
    }

    @Test
    void theChangelogLockIsASessionLockNotATableRow() throws Exception {
        try (TestDatabase db = database("session_lock")) {
            Migrations.update(db);
            assertEquals(0, db.count("SELECT count(*) FROM pg_tables WHERE tablename = 'databasechangeloglock'"));
            // A lock held by a session that is gone does not exist: the next run needs no releaseLocks.
            try (Connection other = db.connect(); Statement statement = other.createStatement()) {
                statement.execute("SELECT pg_advisory_lock(" + SessionLockService.KEY + ")");
            }
            Migrations.rollbackCount(db, 1);
            assertEquals(List.of(), db.appliedChangesets());
        }
    }
}
