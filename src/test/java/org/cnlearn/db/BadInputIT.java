package org.cnlearn.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.cnlearn.db.connection.EmbeddedServer;
import org.cnlearn.db.connection.PostgresVersions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input, through the real Maven goals: each fails with a clear message, prints no secret and
 * changes nothing. Wrong passwords need a server that checks them, so this class starts one of its
 * own (scram-sha-256 for every role but postgres).
 */
class BadInputIT {

    private static final String CANARY = "Canary-Secret-77";
    private static EmbeddedPostgres passwordServer;
    private static int tried;

    @BeforeAll
    static void startServerThatChecksPasswords() throws Exception {
        passwordServer = EmbeddedServer.throwaway(PostgresVersions.requested(System.getProperties()), dir -> {
            try {
                Files.writeString(dir.toPath().resolve("pg_hba.conf"), "local all all trust\n"
                        + "host all postgres 127.0.0.1/32 trust\nhost all postgres ::1/128 trust\n"
                        + "host all all 127.0.0.1/32 scram-sha-256\nhost all all ::1/128 scram-sha-256\n");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        try (Connection connection = passwordServer.getPostgresDatabase().getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE ROLE migrator LOGIN PASSWORD 'the-right-one'");
        }
    }

    @AfterAll
    static void stop() throws Exception {
        passwordServer.close();
        System.out.println("[cnlearn-db tests] bad inputs tried: " + tried);
    }

    private static String passwordServerUrl() {
        return "jdbc:postgresql://localhost:" + passwordServer.getPort() + "/postgres";
    }

    @Test
    void wrongPasswordFailsWithoutEchoingIt() throws Exception {
        MavenRun run = refused(Map.of("LIQUIBASE_COMMAND_URL", passwordServerUrl(), "LIQUIBASE_COMMAND_USERNAME", "migrator",
                "LIQUIBASE_COMMAND_PASSWORD", CANARY), "password authentication failed for user \"migrator\"");
        assertTrue(run.output.contains("Check the URL, user and password"), run.output);
    }

    @Test
    void passwordInsideTheUrlIsNeverEchoed() throws Exception {
        refused(Map.of("LIQUIBASE_COMMAND_URL", passwordServerUrl() + "?user=migrator&password=" + CANARY + "&ssl=false"),
                "password authentication failed for user \"migrator\"");
    }

    @Test
    void wrongRoleFails() throws Exception {
        try (TestDatabase db = TestServer.get().createDatabase("bad_role")) {
            Map<String, String> env = new HashMap<>(MavenRun.envFor(db));
            env.put("LIQUIBASE_COMMAND_USERNAME", "no_such_role");
            refused(env, "no_such_role");
            assertEquals(0, db.count("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"));
        }
    }

    @Test
    void unknownHostFailsFast() throws Exception {
        long start = System.nanoTime();
        refused(Map.of("LIQUIBASE_COMMAND_URL", "jdbc:postgresql://no-such-host.invalid:5432/cnlearn"), "no-such-host.invalid");
        assertTrue((System.nanoTime() - start) / 1e9 < 30, "took longer than 30 s");
    }

    @Test
    void portWithNothingListeningFailsFast() throws Exception {
        long start = System.nanoTime();
        refused(Map.of("LIQUIBASE_COMMAND_URL", "jdbc:postgresql://127.0.0.1:1/cnlearn"), "Connection to 127.0.0.1:1 refused");
        assertTrue((System.nanoTime() - start) / 1e9 < 30, "took longer than 30 s");
    }

    @Test
    void missingDatabaseFails() throws Exception {
        try (TestDatabase db = TestServer.get().createDatabase("exists")) {
            Map<String, String> env = new HashMap<>(MavenRun.envFor(db));
            env.put("LIQUIBASE_COMMAND_URL", db.url().replace("/" + db.url().replaceAll(".*/([^/?]+).*", "$1"), "/no_such_database"));
            refused(env, "database \"no_such_database\" does not exist");
        }
    }

    @Test
    void notAPostgresqlUrlFails() throws Exception {
        refused(Map.of("LIQUIBASE_COMMAND_URL", "jdbc:mysql://localhost/cnlearn?password=" + CANARY),
                "LIQUIBASE_COMMAND_URL must be a PostgreSQL JDBC URL");
    }

    @Test
    void rollbackToAMissingTagFailsAndChangesNothing() throws Exception {
        try (TestDatabase db = TestServer.get().createDatabase("bad_tag")) {
            MavenRun.run(MavenRun.envFor(db), "liquibase:update").assertSucceeded();
            refused(MavenRun.envFor(db), "no-such-tag", "liquibase:rollback", "-Dliquibase.rollbackTag=no-such-tag");
            assertEquals(List.of("0001-create-user-table"), db.appliedChangesets());
            assertFalse(db.userTableShape().isEmpty());
        }
    }

    @Test
    void editedAppliedChangesetIsNamedByUpdateAndValidate(@TempDir Path copy) throws Exception {
        try (TestDatabase db = TestServer.get().createDatabase("checksum")) {
            MavenRun.run(MavenRun.envFor(db), "liquibase:update").assertSucceeded();
            List<String> before = db.userTableShape();
            Path project = MavenRun.projectCopy(copy);
            Path changeset = project.resolve("db-changelog/changes/0001-create-user-table.yaml");
            Files.writeString(changeset, Files.readString(changeset).replaceFirst("name: hashed_password\n( +)type: VARCHAR",
                    "name: hashed_password\n$1type: VARCHAR(60)"));
            for (String goal : List.of("liquibase:update", "liquibase:validate")) {
                MavenRun run = refusedIn(project, MavenRun.envFor(db), "0001-create-user-table", goal);
                assertTrue(run.output.contains("check sum"), run.output);
            }
            assertEquals(before, db.userTableShape());
        }
    }

    @Test
    void brokenYamlIsNamedByItsFile(@TempDir Path copy) throws Exception {
        try (TestDatabase db = TestServer.get().createDatabase("broken_yaml")) {
            Path project = MavenRun.projectCopy(copy);
            Path changeset = project.resolve("db-changelog/changes/0001-create-user-table.yaml");
            Files.writeString(changeset, Files.readString(changeset).replace("      changes:", "     changes: [oops"));
            refusedIn(project, MavenRun.envFor(db), "0001-create-user-table.yaml", "liquibase:update");
            assertEquals(List.of(), db.userTableShape());
        }
    }

    private static MavenRun refused(Map<String, String> env, String expected, String... goals) throws Exception {
        return refusedIn(null, env, expected, goals);
    }

    /** Runs the goals (update by default), which must fail, say the expected words and print no secret. */
    private static MavenRun refusedIn(Path project, Map<String, String> env, String expected, String... goals) throws Exception {
        tried++;
        String[] arguments = goals.length == 0 ? new String[] {"liquibase:update"} : goals;
        MavenRun run = MavenRun.runIn(project != null ? project : Migrations.PROJECT_DIR, env, arguments);
        assertNotEquals(0, run.exitCode, run.output);
        assertTrue(run.output.contains(expected), "expected «" + expected + "» in:\n" + run.output);
        assertFalse(run.output.contains(CANARY), "a password was printed:\n" + run.output);
        return run;
    }
}
