package org.cnlearn.db.drift;

import org.cnlearn.db.Migrations;
import org.cnlearn.db.Migrations.DiffRun;
import org.cnlearn.db.TestDatabase;
import org.cnlearn.db.TestServer;
import org.cnlearn.db.catalog.CatalogComparison;
import org.cnlearn.db.catalog.CatalogObject;
import org.cnlearn.db.catalog.SchemaCatalog;
import org.cnlearn.db.lint.ChangelogLint;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;

import static org.cnlearn.db.Migrations.messages;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Drift detection in this JVM, through the diff command's own pipeline. The reference is an empty
 * database on the test server (so of the target's major), standing in for the scratch server the
 * goal starts; DriftGoalIT runs the real goal.
 */
class DriftTest {

    /** Hand changes of every kind drift covers, each with the start of the line that must name it and a piece of what it says. */
    private static final String[][] HAND_CHANGES = {
            {"ALTER TABLE \"user\" ALTER COLUMN full_name TYPE varchar(200)",
                    "column public.\"user\".full_name: the changelog builds character varying null; the database has character varying(200) null"},
            {"ALTER TABLE \"user\" ALTER COLUMN email SET NOT NULL",
                    "column public.\"user\".email: the changelog builds character varying null; the database has character varying not null"},
            {"ALTER TABLE \"user\" ALTER COLUMN is_active SET DEFAULT true",
                    "column public.\"user\".is_active: the changelog builds boolean null; the database has boolean null default true"},
            {"ALTER TABLE \"user\" ADD COLUMN nickname text",
                    "column public.\"user\".nickname: the changelog builds none; the database has text null"},
            {"DROP INDEX ix_user_full_name",
                    "index public.ix_user_full_name: the changelog builds CREATE INDEX ix_user_full_name ON public.\"user\" USING btree (full_name); the database has none"},
            {"CREATE INDEX ix_user_is_active ON \"user\" (is_active)",
                    "index public.ix_user_is_active: the changelog builds none; the database has CREATE INDEX ix_user_is_active ON public.\"user\" USING btree (is_active)"},
            {"ALTER TABLE \"user\" RENAME CONSTRAINT user_pkey TO pk_user",
                    "primary key public.\"user\".user_pkey: the changelog builds PRIMARY KEY (id); the database has none",
                    "primary key public.\"user\".pk_user: the changelog builds none; the database has PRIMARY KEY (id)"},
            {"ALTER TABLE \"user\" ADD CONSTRAINT uq_user_hashed_password UNIQUE (hashed_password)",
                    "unique constraint public.\"user\".uq_user_hashed_password: the changelog builds none; the database has UNIQUE (hashed_password)"},
            {"ALTER TABLE \"user\" ADD CONSTRAINT ck_user_email CHECK (email LIKE '%@%')",
                    "check constraint public.\"user\".ck_user_email: the changelog builds none; the database has CHECK (email::text ~~ '%@%'::text)"},
            {"CREATE TABLE team (id integer PRIMARY KEY, name text NOT NULL)",
                    "table public.team: the changelog builds none; the database has a table with 2 columns, 1 primary key"},
            {"ALTER TABLE \"user\" ADD COLUMN team_id integer;"
                    + " ALTER TABLE \"user\" ADD CONSTRAINT fk_user_team FOREIGN KEY (team_id) REFERENCES team (id)",
                    "column public.\"user\".team_id: the changelog builds none; the database has integer null",
                    "foreign key public.\"user\".fk_user_team: the changelog builds none; the database has FOREIGN KEY (team_id) REFERENCES team(id)"},
            {"CREATE SEQUENCE invoice_number_seq",
                    "sequence public.invoice_number_seq: the changelog builds none; the database has bigint start 1 increment 1 min 1 max 9223372036854775807 cache 1"},
            {"CREATE VIEW active_user AS SELECT id, email FROM \"user\" WHERE is_active",
                    "view public.active_user: the changelog builds none; the database has SELECT "},
            {"CREATE FUNCTION touch_user() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$",
                    "function public.touch_user(): the changelog builds none; the database has CREATE OR REPLACE FUNCTION public.touch_user() RETURNS trigger LANGUAGE plpgsql AS $function$BEGIN RETURN NEW; END$function$"},
            {"CREATE TRIGGER trg_user_touch BEFORE UPDATE ON \"user\" FOR EACH ROW EXECUTE FUNCTION touch_user()",
                    "trigger public.\"user\".trg_user_touch: the changelog builds none; the database has CREATE TRIGGER trg_user_touch BEFORE UPDATE ON \"user\" FOR EACH ROW EXECUTE FUNCTION touch_user()"},
    };

    @Test
    void aFreshlyUpdatedDatabaseHasNoDrift() throws Exception {
        try (TestDatabase db = TestServer.get().createDatabase("drift_fresh"); TestDatabase reference = TestServer.get().createDatabase("reference")) {
            Migrations.update(db);
            DiffRun run = Migrations.drift(db, reference, null);
            assertNull(run.failure(), run.output());
            assertTrue(run.output().contains("No drift: the database matches its 1 applied changeset.\n"), run.output());
            assertTrue(run.output().startsWith("Reference: a scratch PostgreSQL "), run.output());
            assertFalse(run.output().contains("pending"), run.output());
        }
    }

    @Test
    void anAdoptedAlembicDatabaseHasNoDriftSerialAndIdentityAlike() throws Exception {
        try (TestDatabase db = TestServer.get().createDatabase("drift_alembic"); TestDatabase reference = TestServer.get().createDatabase("reference")) {
            db.execute(Migrations.resource("alembic/1b40d5775cd1-upgrade.sql"));
            Migrations.update(db); // adopts the table
            assertEquals(1, db.count("SELECT count(*) FROM pg_sequences WHERE sequencename = 'user_id_seq'"), "no SERIAL sequence to ignore");
            DiffRun run = Migrations.drift(db, reference, null);
            assertNull(run.failure(), run.output());
            assertTrue(run.output().contains("No drift: the database matches its 1 applied changeset."), run.output());
        }
    }

    @Test
    void pendingChangesetsAreNotDrift() throws Exception {
        try (TestDatabase db = TestServer.get().createDatabase("drift_pending"); TestDatabase reference = TestServer.get().createDatabase("reference")) {
            Migrations.update(db); // the project's changeset, not the one more of with-pending.yaml
            DiffRun run = Migrations.drift(db, reference, null, "src/test/resources/changelogs/with-pending.yaml");
            assertNull(run.failure(), run.output());
            assertTrue(run.output().contains("No drift: the database matches its 1 applied changeset.\n"
                    + "1 changeset is pending (not applied yet, so not drift): ./mvnw liquibase:status lists them.\n"), run.output());
        }
    }

    @Test
    void everyKindOfHandChangeIsNamedOnALineOfItsOwn() throws Exception {
        try (TestDatabase db = TestServer.get().createDatabase("drift_kinds"); TestDatabase reference = TestServer.get().createDatabase("reference")) {
            Migrations.update(db);
            int expectedLines = 0;
            for (String[] change : HAND_CHANGES) {
                db.execute(change[0]);
                expectedLines += change.length - 1;
            }
            DiffRun run = Migrations.drift(db, reference, null);
            assertNotNull(run.failure(), "drift did not fail the command:\n" + run.output());
            assertTrue(messages(run.failure()).contains("Drift found in "), messages(run.failure()));
            List<String> lines = run.output().lines().toList();
            assertTrue(lines.contains("Drift: the database differs from what its 1 applied changeset builds, in " + expectedLines + " places:"),
                    run.output());
            for (String[] change : HAND_CHANGES) {
                for (int i = 1; i < change.length; i++) {
                    String expected = "  " + change[i];
                    assertEquals(1, lines.stream().filter(l -> l.startsWith(expected)).count(),
                            "no line (or more than one) for «" + change[0] + "»: " + expected + "\n" + run.output());
                }
            }
            assertEquals(expectedLines, lines.stream().filter(l -> l.startsWith("  ")).count(), "lines that name no hand change:\n" + run.output());
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("  view public.active_user:") && l.contains("WHERE") && l.contains("is_active")),
                    run.output());
            assertTrue(run.output().contains("capture them as a changeset: ./mvnw liquibase:diff -Dliquibase.diffChangeLogFile="), run.output());
        }
    }

    @Test
    void aChangedFunctionIsShownWhereItDiffers() throws Exception {
        try (TestDatabase db = TestServer.get().createDatabase("drift_function"); TestDatabase reference = TestServer.get().createDatabase("reference")) {
            Path changelog = projectFile("target/drift-tests/function.yaml", "databaseChangeLog:\n"
                    + "  - include: {file: db-changelog/db.changelog-master.yaml}\n"
                    + "  - changeSet:\n      id: add-function\n      author: cnlearn-tests\n      comment: a long function\n"
                    + "      changes:\n        - sql:\n            splitStatements: false\n            sql: |\n"
                    + "              CREATE FUNCTION greeting(name text) RETURNS text LANGUAGE sql IMMUTABLE AS $$\n"
                    + "                SELECT 'Hello, ' || name || '! Welcome back to CNLearn, where every character counts and every lesson builds on the last.'\n"
                    + "              $$\n"
                    + "      rollback:\n        - sql: {sql: DROP FUNCTION greeting(text)}\n");
            Migrations.update(db, relative(changelog));
            db.execute("CREATE OR REPLACE FUNCTION greeting(name text) RETURNS text LANGUAGE sql IMMUTABLE AS $$"
                    + " SELECT 'Hello, ' || name || '! Welcome back to CNLearn, where every character counts and every lesson builds on the next.' $$");
            DiffRun run = Migrations.drift(db, reference, null, relative(changelog));
            String line = run.output().lines().filter(l -> l.startsWith("  function public.greeting(name text):")).findFirst().orElseThrow(
                    () -> new AssertionError(run.output()));
            assertTrue(line.contains("builds on the last") && line.contains("builds on the next"), line);
            assertTrue(line.length() < 400, "not a line a person reads in seconds: " + line);
        }
    }

    /** A database that works in another schema (?currentSchema=app) is compared in that schema: no drift, until a hand change there. */
    @Test
    void aDatabaseInAnotherSchemaIsComparedInThatSchema() throws Exception {
        try (TestDatabase db = TestServer.get().createDatabase("drift_schema"); TestDatabase reference = TestServer.get().createDatabase("reference");
             TestDatabase again = TestServer.get().createDatabase("reference_again")) {
            db.execute("CREATE SCHEMA app");
            db.execute("ALTER DATABASE " + db.name() + " SET search_path TO app"); // what ?currentSchema=app gives each session
            Migrations.update(db);
            assertEquals(1, db.count("SELECT count(*) FROM pg_tables WHERE schemaname = 'app' AND tablename = 'user'"));
            DiffRun clean = Migrations.drift(db, reference, null);
            assertNull(clean.failure(), clean.output());
            assertTrue(clean.output().contains("No drift: the database matches its 1 applied changeset."), clean.output());

            db.execute("CREATE INDEX ix_user_is_active ON app.\"user\" (is_active)");
            DiffRun drifted = Migrations.drift(db, again, null);
            assertNotNull(drifted.failure(), drifted.output());
            assertTrue(drifted.output().contains("in 1 place:\n  index app.ix_user_is_active: the changelog builds none"), drifted.output());
        }
    }

    /** A reference of the user's: stock Liquibase's report, and a difference fails the goal, as drift does; none passes. */
    @Test
    void aReferenceOfTheUsersOwnIsReportedAsStockLiquibaseDoesAndADifferenceFails() throws Exception {
        try (TestDatabase db = TestServer.get().createDatabase("drift_stock"); TestDatabase other = TestServer.get().createDatabase("other")) {
            Migrations.update(db);
            Migrations.update(other);
            DiffRun same = Migrations.diff(db, other, null);
            assertNull(same.failure(), "two equal databases:\n" + same.output());
            assertFalse(same.output().contains("differs from the reference"), same.output());

            other.execute("CREATE INDEX ix_user_is_active ON \"user\" (is_active)");
            DiffRun run = Migrations.diff(db, other, null);
            assertTrue(run.output().contains("Missing Index(s): \n     ix_user_is_active"), run.output());
            assertTrue(run.output().contains("The database differs from the reference database (-Dliquibase.referenceUrl) in 1 place:\n"
                    + "  index public.ix_user_is_active: the reference has "), run.output());
            assertNotNull(run.failure(), "a difference must fail the goal, so that a pipeline sees it:\n" + run.output());
            assertTrue(run.failure().getMessage().contains("differs from the reference database (-Dliquibase.referenceUrl) in 1 place"),
                    run.failure().getMessage());
            assertFalse(run.output().contains("Drift"), run.output());

            // the same step feeds diffChangelog, which writes the differences down and succeeds
            Path capture = Migrations.PROJECT_DIR.resolve("target/drift-tests/stock-diff-changelog.yaml");
            Files.deleteIfExists(capture);
            DiffRun captured = Migrations.diff(db, other, capture.toString());
            assertNull(captured.failure(), captured.output());
            assertTrue(Files.readString(capture).contains("ix_user_is_active"), Files.readString(capture));
        }
    }

    @Test
    void capturedDriftRebuildsTheDatabaseAndIsRecordedWhereItWasCaptured() throws Exception {
        try (TestDatabase drifted = TestServer.get().createDatabase("drifted"); TestDatabase fresh = TestServer.get().createDatabase("fresh");
             TestDatabase reference = TestServer.get().createDatabase("reference")) {
            Migrations.update(drifted);
            for (String[] change : HAND_CHANGES) {
                drifted.execute(change[0]);
            }
            Path capture = Migrations.PROJECT_DIR.resolve("target/drift-tests/0002-captured-drift.yaml");
            Files.deleteIfExists(capture);
            DiffRun run = Migrations.drift(drifted, reference, capture.toString());
            assertNull(run.failure(), run.output());
            String yaml = Files.readString(capture);
            assertTrue(yaml.contains("id: \"0002-captured-drift-1\"") && yaml.contains("comment: \"Captured from drift: "), yaml);
            // the capture passes the lint as written: the lock-safety rules it breaks are waived, with the reason
            assertEquals(List.of(), ChangelogLint.lintAlone(capture.getFileName().toString(),
                    new liquibase.resource.DirectoryResourceAccessor(capture.getParent())));
            assertTrue(yaml.contains("lint-waiver(require-concurrent-index-creation): captured from drift: its objects already exist"), yaml);

            // never overwritten
            try (TestDatabase again = TestServer.get().createDatabase("reference")) {
                DiffRun second = Migrations.drift(drifted, again, capture.toString());
                assertNotNull(second.failure());
                assertTrue(messages(second.failure()).contains("exists already and was left as it is"), messages(second.failure()));
                assertEquals(yaml, Files.readString(capture));
            }

            Path master = projectFile("target/drift-tests/master.yaml", "databaseChangeLog:\n"
                    + "  - include: {file: db-changelog/db.changelog-master.yaml}\n"
                    + "  - include: {file: target/drift-tests/0002-captured-drift.yaml}\n");
            List<CatalogObject> drift = schema(drifted);

            Migrations.update(drifted, relative(master)); // the objects are there: recorded, not run
            assertEquals(schema(drifted), drift, "the capture changed the database it was captured from");
            long captured = yaml.lines().filter(l -> l.startsWith("  - changeSet:")).count();
            assertEquals(captured, drifted.count("SELECT count(*) FROM databasechangelog WHERE exectype = 'MARK_RAN'"));
            try (TestDatabase afterwards = TestServer.get().createDatabase("reference")) {
                DiffRun clean = Migrations.drift(drifted, afterwards, null, relative(master));
                assertNull(clean.failure(), clean.output());
                assertTrue(clean.output().contains("No drift: the database matches its " + (captured + 1) + " applied changesets."), clean.output());
            }

            Migrations.update(fresh, relative(master)); // elsewhere the capture builds what the drifted database has
            assertEquals(drift, schema(fresh));
            assertEquals(0, fresh.count("SELECT count(*) FROM databasechangelog WHERE exectype = 'MARK_RAN'"));

            Migrations.rollbackCount(fresh, relative(master), (int) captured); // and its rollback undoes it
            try (TestDatabase plain = TestServer.get().createDatabase("plain")) {
                Migrations.update(plain);
                assertEquals(schema(plain), schema(fresh));
            }
        }
    }

    /** The database's schema, as drift compares it (Liquibase's tables left out). */
    private static List<CatalogObject> schema(TestDatabase db) throws Exception {
        try (Connection connection = db.connect()) {
            return SchemaCatalog.read(connection).stream().filter(o -> !CatalogComparison.isHistory(o)).toList();
        }
    }

    private static Path projectFile(String path, String text) throws Exception {
        Path file = Migrations.PROJECT_DIR.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        return file;
    }

    private static String relative(Path file) {
        return Migrations.PROJECT_DIR.relativize(file).toString();
    }
}
