package org.cnlearn.db.drift;

import org.cnlearn.db.MavenRun;
import org.cnlearn.db.Migrations;
import org.cnlearn.db.TestDatabase;
import org.cnlearn.db.TestServer;
import org.cnlearn.db.connection.ConnectionSettings;
import org.cnlearn.db.connection.ThrowawayServer;
import org.cnlearn.db.connection.PostgresVersions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ./mvnw liquibase:diff for real: its reference server, its exit status, and the capture round trip. */
class DriftGoalIT {

    /** The target runs another major than the suite's; the reference must follow the target. */
    @Test
    void theReferenceIsBuiltOnTheTargetsMajor() throws Exception {
        int suiteMajor = PostgresVersions.requested(System.getProperties());
        List<Integer> supported = PostgresVersions.supported(System.getProperties());
        int otherMajor = supported.get(0) != suiteMajor ? supported.get(0) : supported.get(1);
        try (ThrowawayServer other = ThrowawayServer.start(otherMajor, null)) {
            Map<String, String> env = Map.of(ConnectionSettings.URL_VARIABLE, other.jdbcUrl("postgres", "postgres"),
                    ConnectionSettings.USERNAME_VARIABLE, "postgres");
            MavenRun run = MavenRun.run(env, "liquibase:update", "liquibase:diff").assertSucceeded();
            String diff = run.goal("diff");
            assertTrue(diff.contains("Reference: a scratch PostgreSQL " + otherMajor + "."), run.output);
            assertTrue(diff.contains("No drift: the database matches its 1 applied changeset."), run.output);
        }
    }

    @Test
    void driftFailsTheGoalAndItsCaptureRebuildsItAndIsRecordedWhereItWasCaptured() throws Exception {
        try (TestDatabase drifted = TestServer.get().createDatabase("goal_drifted"); TestDatabase fresh = TestServer.get().createDatabase("goal_fresh")) {
            Migrations.update(drifted);
            drifted.execute("CREATE INDEX ix_user_is_active ON \"user\" (is_active);"
                    + " ALTER TABLE \"user\" ADD CONSTRAINT ck_user_email CHECK (email LIKE '%@%');"
                    + " ALTER TABLE \"user\" ALTER COLUMN full_name TYPE varchar(200)");

            MavenRun diff = MavenRun.run(MavenRun.envFor(drifted), "liquibase:diff");
            assertNotEquals(0, diff.exitCode, diff.output);
            for (String line : List.of("Drift: the database differs from what its 1 applied changeset builds, in 3 places:",
                    "  index public.ix_user_is_active: the changelog builds none; the database has CREATE INDEX ix_user_is_active",
                    "  check constraint public.\"user\".ck_user_email: the changelog builds none; the database has CHECK ",
                    "  column public.\"user\".full_name: the changelog builds character varying null; the database has character varying(200) null")) {
                assertTrue(diff.output.contains(line), "missing «" + line + "» in:\n" + diff.output);
            }
            diff.assertReadableFailure("Drift found in 3 places (listed above): keep the changes with -Dliquibase.diffChangeLogFile=…");

            // the real goal writes the capture; DriftTest follows a capture through update and diff in this JVM, as here
            Path capture = Migrations.PROJECT_DIR.resolve("target/drift-goal/0002-captured-drift.yaml");
            Files.deleteIfExists(capture);
            MavenRun.run(MavenRun.envFor(drifted), "liquibase:diff", "-Dliquibase.diffChangeLogFile=" + capture).assertSucceeded();
            assertTrue(Files.readString(capture).contains("comment: \"Captured from drift: "));
            Path master = Files.writeString(capture.resolveSibling("master.yaml"), "databaseChangeLog:\n"
                    + "  - include: {file: " + Migrations.CHANGELOG + "}\n"
                    + "  - include: {file: target/drift-goal/0002-captured-drift.yaml}\n");
            String changelog = Migrations.PROJECT_DIR.relativize(master).toString();
            List<String> driftedShape = drifted.userTableShape();

            Migrations.update(drifted, changelog);
            assertEquals(3, drifted.count("SELECT count(*) FROM databasechangelog WHERE exectype = 'MARK_RAN'"));
            assertEquals(driftedShape, drifted.userTableShape());
            try (TestDatabase reference = TestServer.get().createDatabase("reference")) {
                Migrations.DiffRun clean = Migrations.drift(drifted, reference, null, changelog);
                assertTrue(clean.output().contains("No drift: the database matches its 4 applied changesets."), clean.output());
            }

            Migrations.update(fresh, changelog);
            assertEquals(driftedShape, fresh.userTableShape(), "the capture does not rebuild the drifted table");
        }
    }
}
