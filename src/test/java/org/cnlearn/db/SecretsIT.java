package org.cnlearn.db;

import org.cnlearn.db.connection.ConnectionSettings;
import org.cnlearn.db.connection.ThrowawayServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A distinct canary password through each channel (the property, the environment, the URL, the
 * password file), with and without Maven's debug output, against a server that checks passwords
 * (scram-sha-256). The password shows nowhere; the command line's channels warn once a run; the
 * password file logs in, and a wrong one fails with the server's reason.
 */
class SecretsIT {

    private static final String PROPERTY = "Canary-Property-91";
    private static final String ENVIRONMENT = "Canary-Environment-92";
    private static final String URL = "Canary-Url-93";
    private static final String FILE = "Canary-File-94";
    private static final String WRONG_IN_FILE = "Canary-Wrong-95";
    /** The application's own URL form, postgresql://user:password@host:port/db (issue 27). */
    private static final String APPLICATION_URL = "Canary-Application-Url-96";
    private static final String WARNING = "[cnlearn-db] Warning: the database password is on the command line (";

    private static ThrowawayServer server;
    private static Path files;
    private static final List<String> outputs = new ArrayList<>();

    @BeforeAll
    static void startServerThatChecksPasswords() throws Exception {
        files = Files.createDirectories(Migrations.PROJECT_DIR.resolve("target/secrets-it"));
        server = TestServer.checkingPasswords(files.resolve("server.log"));
        try (Connection connection = ConnectionSettings.explicit(server.jdbcUrl("postgres", "postgres"), "postgres", null).open();
             Statement statement = connection.createStatement()) {
            for (String[] role : new String[][] {{"via_property", PROPERTY}, {"via_environment", ENVIRONMENT}, {"via_url", URL},
                    {"via_file", FILE}, {"via_app_url", APPLICATION_URL}}) {
                statement.execute("CREATE ROLE " + role[0] + " LOGIN PASSWORD '" + role[1] + "'");
                statement.execute("CREATE DATABASE " + role[0] + " OWNER " + role[0]);
            }
        }
    }

    /** Last: no canary in any file under target/ (reports, logs, the server's log). */
    @AfterAll
    static void noPasswordIsLeftInTarget() throws IOException {
        server.close();
        List<String> canaries = List.of(PROPERTY, ENVIRONMENT, URL, FILE, WRONG_IN_FILE, APPLICATION_URL);
        // not this test's own constants, nor what its earlier runs reported
        Path testClasses = Migrations.PROJECT_DIR.resolve("target/test-classes");
        // other test classes still run: a file or folder gone meanwhile (a scratch file, a cache being recorded) is passed over
        List<Path> found = new java.util.ArrayList<>();
        Files.walkFileTree(Migrations.PROJECT_DIR.resolve("target"), new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult visitFile(Path file, java.nio.file.attribute.BasicFileAttributes attributes) {
                found.add(file);
                return java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFileFailed(Path file, IOException e) {
                return java.nio.file.FileVisitResult.CONTINUE;
            }
        });
        for (Path file : (Iterable<Path>) found.stream().filter(f -> Files.isRegularFile(f) && !f.startsWith(testClasses)
                && !f.getFileName().toString().contains("SecretsIT"))::iterator) {
            String text;
            try {
                text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
            } catch (IOException e) {
                continue; // gone meanwhile (another test's scratch file)
            }
            for (String canary : canaries) {
                assertFalse(text.contains(canary), "canary " + canaries.indexOf(canary) + " is in " + file);
            }
        }
        assertTrue(Files.readString(files.resolve("server.log")).contains("database system is ready to accept connections"),
                "the server's log was not written, so it proves nothing");
    }

    private static String urlOf(String database) {
        return "jdbc:postgresql://localhost:" + server.port() + "/" + database;
    }

    private static MavenRun status(Map<String, String> env, String... arguments) throws Exception {
        List<String> args = new ArrayList<>(List.of(arguments));
        args.add("liquibase:status");
        MavenRun run = MavenRun.run(env, args.toArray(String[]::new));
        synchronized (outputs) {
            outputs.add(run.output);
        }
        return run;
    }

    private static void noCanaryIn(MavenRun run) {
        for (String canary : List.of(PROPERTY, ENVIRONMENT, URL, FILE, WRONG_IN_FILE, APPLICATION_URL)) {
            assertFalse(run.output.contains(canary), "a password was printed (as <CANARY>):\n" + run.output.replace(canary, "<CANARY>"));
        }
    }

    private static int warnings(MavenRun run) {
        return run.output.split(java.util.regex.Pattern.quote(WARNING), -1).length - 1;
    }

    @Test
    void thePropertyWorksWarnsOnceAndShowsNowhereWithOrWithoutDebugOutput() throws Exception {
        Map<String, String> env = Map.of(ConnectionSettings.URL_VARIABLE, urlOf("via_property"), ConnectionSettings.USERNAME_VARIABLE, "via_property");
        for (boolean debug : List.of(true, false)) {
            MavenRun run = debug ? status(env, "-X", "-Dliquibase.password=" + PROPERTY) : status(env, "-Dliquibase.password=" + PROPERTY);
            if (debug) {
                run.assertExitedZero();
            } else {
                run.assertSucceeded();
            }
            noCanaryIn(run);
            assertEquals(1, warnings(run), run.output);
            assertTrue(run.output.contains(WARNING + "-Dliquibase.password): every user of this machine can read it in the process"
                    + " list, and your shell history keeps it. Give it in LIQUIBASE_COMMAND_PASSWORD from a secret store, or in"
                    + " PostgreSQL's password file (~/.pgpass, or PGPASSFILE) instead (docs/configuration.md#secrets)."), run.output);
            if (debug) {
                assertTrue(run.output.contains("(s) password = " + ConnectionSettings.HIDDEN_PASSWORD), "-X shows no stand-in:\n" + run.output);
            }
        }
    }

    @Test
    void theEnvironmentWorksAndNeitherWarnsNorShows() throws Exception {
        MavenRun run = status(Map.of(ConnectionSettings.URL_VARIABLE, urlOf("via_environment"), ConnectionSettings.USERNAME_VARIABLE,
                "via_environment", ConnectionSettings.PASSWORD_VARIABLE, ENVIRONMENT), "-X").assertExitedZero();
        noCanaryIn(run);
        assertEquals(0, warnings(run), run.output);
    }

    @Test
    void aPasswordInsideTheCommandLineUrlWorksWarnsOnceAndShowsNowhere() throws Exception {
        MavenRun run = status(Map.of(), "-X", "-Dliquibase.url=" + urlOf("via_url") + "?password=" + URL,
                "-Dliquibase.username=via_url").assertExitedZero();
        noCanaryIn(run);
        assertEquals(1, warnings(run), run.output);
        assertTrue(run.output.contains(WARNING + "a password inside -Dliquibase.url): "), run.output);
    }

    /**
     * The application's SQLAlchemy URL, pasted as it is and with jdbc: in front: pgJDBC alone takes its
     * user:password@host for a host name, and its error said the password back.
     */
    @Test
    void theApplicationsOwnUrlFormWorksForTheGoalsAndDesiredAndShowsNowhere() throws Exception {
        String userInfo = "via_app_url:" + APPLICATION_URL + "@localhost:" + server.port();
        String libpq = "postgresql://" + userInfo + "/via_app_url";
        String warning = WARNING.replace("on the command line (", "inside LIQUIBASE_COMMAND_URL: ");
        MavenRun update = MavenRun.run(Map.of(ConnectionSettings.URL_VARIABLE, libpq), "liquibase:update").assertSucceeded();
        noCanaryIn(update);
        assertTrue(update.output.contains("[cnlearn-db] database: jdbc:postgresql://localhost:" + server.port() + "/via_app_url as via_app_url,"),
                update.output);
        assertTrue(update.output.contains("Table user created"), update.output);
        assertEquals(1, update.output.split(java.util.regex.Pattern.quote(warning), -1).length - 1, update.output);

        MavenRun status = status(Map.of(ConnectionSettings.URL_VARIABLE, "jdbc:" + libpq), "-X").assertExitedZero();
        noCanaryIn(status);
        assertTrue(status.output.contains("is up to date"), status.output);

        MavenRun desired = MavenRun.run(Map.of(), "-X", "cnlearn:check", "-Ddesired=" + libpq).assertExitedZero();
        noCanaryIn(desired);
        assertTrue(desired.output.contains("The changelog builds exactly the desired schema, postgresql://***@localhost:" + server.port()
                + "/via_app_url."), desired.output);
        assertEquals(1, warnings(desired), desired.output); // -Ddesired is on the command line

        // a host the driver cannot find: its reason said the whole user-info back
        MavenRun unknownHost = status(Map.of(ConnectionSettings.URL_VARIABLE, "jdbc:postgresql://via_app_url:" + APPLICATION_URL
                + "@no-such-host.invalid:5432/via_app_url"));
        unknownHost.assertReadableFailure("Cannot connect to jdbc:postgresql://no-such-host.invalid:5432/via_app_url as via_app_url:");
        noCanaryIn(unknownHost);
        noCanaryIn(status(Map.of(ConnectionSettings.URL_VARIABLE, "jdbc:postgresql://via_app_url:" + APPLICATION_URL
                + "@no-such-host.invalid:5432/via_app_url"), "-X"));
    }

    @Test
    void thePasswordFileLogsInAndAWrongOneFailsWithTheServersReason() throws Exception {
        Path right = passwordFile("right", "localhost:" + server.port() + ":via_file:via_file:" + FILE);
        MavenRun run = status(Map.of(ConnectionSettings.URL_VARIABLE, urlOf("via_file"), ConnectionSettings.USERNAME_VARIABLE, "via_file",
                "PGPASSFILE", right.toString()), "-X").assertExitedZero();
        noCanaryIn(run);
        assertEquals(0, warnings(run), run.output);
        assertTrue(run.output.contains("1 changeset has not been applied to via_file@"), run.output);

        Path wrong = passwordFile("wrong", "localhost:" + server.port() + ":via_file:via_file:" + WRONG_IN_FILE);
        Map<String, String> env = new HashMap<>(Map.of(ConnectionSettings.URL_VARIABLE, urlOf("via_file"),
                ConnectionSettings.USERNAME_VARIABLE, "via_file", "PGPASSFILE", wrong.toString()));
        Process process = MigrateMain.start(env, "status");
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(2, TimeUnit.MINUTES));
        assertNotEquals(0, process.exitValue(), output);
        assertTrue(output.contains("password authentication failed for user \"via_file\""), output);
        assertFalse(output.contains(WRONG_IN_FILE) || output.contains(FILE),
                "a password was printed:\n" + output.replace(WRONG_IN_FILE, "<CANARY>").replace(FILE, "<CANARY>"));
    }

    /** A connection service file (PGSERVICEFILE, ?service=name) names the database; the password file gives the password. */
    @Test
    void aConnectionServiceFileAndThePasswordFileWorkTogether() throws Exception {
        Path services = Files.createTempFile("cnlearn-pg-service", ".conf");
        services.toFile().deleteOnExit();
        Files.writeString(services, "[cnlearn-secrets]\nhost=localhost\nport=" + server.port() + "\ndbname=via_file\nuser=via_file\n");
        Path right = passwordFile("service", "localhost:" + server.port() + ":via_file:via_file:" + FILE);
        Process process = MigrateMain.start(Map.of(ConnectionSettings.URL_VARIABLE, "jdbc:postgresql://?service=cnlearn-secrets",
                "PGSERVICEFILE", services.toString(), "PGPASSFILE", right.toString()), "status");
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(2, TimeUnit.MINUTES));
        assertEquals(0, process.exitValue(), output);
        assertFalse(output.contains(FILE), "a password was printed:\n" + output.replace(FILE, "<CANARY>"));
    }

    /** A password file outside target/ (it holds a password by design), readable by its owner only, as psql wants. */
    private static Path passwordFile(String name, String line) throws IOException {
        Path file = Files.createTempFile("cnlearn-pgpass-" + name, "");
        file.toFile().deleteOnExit();
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        Files.writeString(file, line + "\n");
        return file;
    }
}
