package org.cnlearn.db;

import org.cnlearn.db.connection.ConnectionSettings;
import org.cnlearn.db.connection.PostgresVersions;
import org.cnlearn.db.connection.ThrowawayServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad passwords through the real Maven goals: they fail with the server's reason and print no
 * secret. Wrong passwords need a server that checks them, so this class starts one of its own
 * (scram-sha-256 for every role but postgres). The other bad inputs are in BadInputTest, in this JVM.
 */
class BadInputIT {

    private static final String CANARY = "Canary-Secret-77";
    private static ThrowawayServer passwordServer;

    @BeforeAll
    static void startServerThatChecksPasswords() throws Exception {
        passwordServer = ThrowawayServer.start(PostgresVersions.requested(System.getProperties()), dir -> {
            try {
                Files.writeString(dir.toPath().resolve("pg_hba.conf"), "local all all trust\n"
                        + "host all postgres 127.0.0.1/32 trust\nhost all postgres ::1/128 trust\n"
                        + "host all all 127.0.0.1/32 scram-sha-256\nhost all all ::1/128 scram-sha-256\n");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        try (Connection connection = ConnectionSettings.explicit(passwordServer.jdbcUrl("postgres", "postgres"), "postgres", null).open();
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE ROLE migrator LOGIN PASSWORD 'the-right-one'");
        }
    }

    @AfterAll
    static void stop() {
        passwordServer.close();
    }

    private static String passwordServerUrl() {
        return "jdbc:postgresql://localhost:" + passwordServer.port() + "/postgres";
    }

    /** In this JVM, through the settings every goal uses: the password from LIQUIBASE_COMMAND_PASSWORD. */
    @Test
    void wrongPasswordFailsWithoutEchoingIt() throws Exception {
        java.sql.SQLException refused = org.junit.jupiter.api.Assertions.assertThrows(java.sql.SQLException.class,
                () -> ConnectionSettings.explicit(passwordServerUrl(), "migrator", CANARY).open());
        assertTrue(refused.getMessage().contains("password authentication failed for user \"migrator\""), refused.getMessage());
        assertTrue(refused.getMessage().contains("Check the URL, user and password"), refused.getMessage());
        assertFalse(Migrations.messages(refused).contains(CANARY), Migrations.messages(refused));
    }

    /** Through the real goal, the riskier case: the password inside the URL, which messages show. */
    @Test
    void passwordInsideTheUrlIsNeverEchoed() throws Exception {
        MavenRun run = refused(Map.of("LIQUIBASE_COMMAND_URL", passwordServerUrl() + "?user=migrator&password=" + CANARY + "&ssl=false"),
                "password authentication failed for user \"migrator\"");
        assertTrue(run.output.contains("Check the URL, user and password"), run.output);
    }

    /** Runs update, which must fail, say the expected words and print no secret. */
    private static MavenRun refused(Map<String, String> env, String expected) throws Exception {
        MavenRun run = MavenRun.run(env, "liquibase:update").assertReadableFailure(expected);
        assertFalse(run.output.contains(CANARY), "a password was printed:\n" + run.output);
        return run;
    }
}
