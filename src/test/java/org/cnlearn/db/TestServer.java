package org.cnlearn.db;

import org.cnlearn.db.connection.ConnectionSettings;
import org.cnlearn.db.connection.ThrowawayServer;
import org.cnlearn.db.connection.PostgresVersions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The PostgreSQL server the tests run on, started once per test JVM. In order: the server named by
 * TEST_DATABASE_URL (TEST_DATABASE_USERNAME, TEST_DATABASE_PASSWORD), a Testcontainers PostgreSQL
 * when a Docker engine answers, else the embedded PostgreSQL. Tests never use LIQUIBASE_COMMAND_URL:
 * each gets a throwaway database of its own, created here.
 */
public final class TestServer {

    private static TestServer instance;
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final String adminUrl;
    private final String username;
    private final String password;

    private TestServer(String source, String adminUrl, String username, String password) {
        this.adminUrl = adminUrl;
        this.username = username;
        this.password = password;
        System.out.println("[cnlearn-db tests] database source: " + source + "; server: " + queryVersion());
    }

    public static synchronized TestServer get() {
        if (instance == null) {
            instance = start();
        }
        return instance;
    }

    private static TestServer start() {
        String url = System.getenv("TEST_DATABASE_URL");
        if (url != null && !url.isBlank()) {
            return new TestServer("TEST_DATABASE_URL (" + ConnectionSettings.redact(url) + ")", url,
                    System.getenv("TEST_DATABASE_USERNAME"), System.getenv("TEST_DATABASE_PASSWORD"));
        }
        if (dockerAnswers()) {
            PostgreSQLContainer container = new PostgreSQLContainer("postgres:" + System.getProperty(PostgresVersions.REQUESTED_PROPERTY));
            container.start();
            return new TestServer("Testcontainers", container.getJdbcUrl(), container.getUsername(), container.getPassword());
        }
        try {
            // test classes run in parallel, with pools and crowds of processes: more connections than the default 100
            ThrowawayServer embedded = ThrowawayServer.start(PostgresVersions.requested(System.getProperties()), dir -> {
                try {
                    java.nio.file.Files.writeString(dir.toPath().resolve("postgresql.conf"), "\nmax_connections = 300\n",
                            java.nio.file.StandardOpenOption.APPEND);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            return new TestServer("embedded PostgreSQL", "jdbc:postgresql://localhost:" + embedded.port() + "/postgres", "postgres", null);
        } catch (SQLException e) {
            throw new IllegalStateException("could not start the embedded PostgreSQL for the tests: " + e.getMessage(), e);
        }
    }

    private static boolean dockerAnswers() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    /** A new, empty database on this server; its name starts with the prefix. */
    public TestDatabase createDatabase(String prefix) {
        String name = (prefix + "_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet()).toLowerCase();
        execute("CREATE DATABASE " + name);
        return new TestDatabase(this, name);
    }

    void dropDatabase(String name) {
        execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    /** The server's URL, with its database replaced by the given one. */
    String urlOf(String database) {
        return adminUrl.replaceFirst("^(jdbc:postgresql://[^/?]*)(/[^?]*)?", "$1/" + database);
    }

    public String username() {
        return username;
    }

    /** The server's host and port, from its URL. */
    public String hostAndPort() {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^jdbc:postgresql://([^/?]+)").matcher(adminUrl);
        if (!m.find()) {
            throw new IllegalStateException("no host in " + ConnectionSettings.redact(adminUrl));
        }
        return m.group(1).contains(":") ? m.group(1) : m.group(1) + ":5432";
    }

    public String password() {
        return password;
    }

    private String queryVersion() {
        try (Connection connection = ConnectionSettings.explicit(adminUrl, username, password).open();
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT version()")) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException("the test server does not answer: " + e.getMessage(), e);
        }
    }

    private void execute(String sql) {
        try (Connection connection = ConnectionSettings.explicit(adminUrl, username, password).open();
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }
}
