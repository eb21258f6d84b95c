package org.cnlearn.db;

import org.cnlearn.db.connection.ConnectionSettings;
import org.cnlearn.db.connection.ThrowawayServer;
import org.cnlearn.db.connection.PostgresVersions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.dockerclient.DockerClientProviderStrategy;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

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

    /** -Dcnlearn.testDatabase=testcontainers: the tests must run on a Testcontainers PostgreSQL, or fail. */
    static final String SOURCE_PROPERTY = "cnlearn.testDatabase";

    private static TestServer start() {
        String asked = System.getProperty(SOURCE_PROPERTY, "").trim();
        if (!asked.isEmpty() && !asked.equals("testcontainers")) {
            throw new IllegalStateException("-D" + SOURCE_PROPERTY + "=" + asked + " is not a test database source: give"
                    + " testcontainers, or leave it out (docs/architecture.md#tests)");
        }
        boolean containerRequired = asked.equals("testcontainers");
        String url = System.getenv("TEST_DATABASE_URL");
        if (!containerRequired && url != null && !url.isBlank()) {
            return new TestServer("TEST_DATABASE_URL (" + ConnectionSettings.redact(url) + ")", url,
                    System.getenv("TEST_DATABASE_USERNAME"), System.getenv("TEST_DATABASE_PASSWORD"));
        }
        String image = System.getenv().getOrDefault("TEST_POSTGRES_IMAGE", "postgres:" + System.getProperty(PostgresVersions.REQUESTED_PROPERTY));
        if (containerRequired || testcontainersFindsDocker()) {
            try {
                PostgreSQLContainer container = startContainer(image);
                return new TestServer("Testcontainers (" + image + ")", container.getJdbcUrl(), container.getUsername(), container.getPassword());
            } catch (RuntimeException | LinkageError e) {
                // the engine's own words, less the registry and resolver addresses it names
                String reason = firstLine(e).replaceAll("https?://[^\\s\"]+", "<registry>")
                        .replaceAll("\\b[a-z0-9-]+(\\.[a-z0-9-]+)+\\.[a-z]{2,}\\b", "<host>")
                        .replaceAll("\\b\\d{1,3}(\\.\\d{1,3}){3}(:\\d+)?\\b", "<address>");
                if (containerRequired) {
                    throw new IllegalStateException("-D" + SOURCE_PROPERTY + "=testcontainers, but no " + image + " container"
                            + " started: " + reason, e);
                }
                System.out.println("[cnlearn-db tests] a Docker engine answers, but no " + image + " container started ("
                        + reason + "): the tests use the embedded PostgreSQL instead");
            }
        } else if (dockerSocket() != null) {
            System.out.println("[cnlearn-db tests] a Docker engine is configured (" + dockerSocket() + "), but Testcontainers cannot"
                    + " use it (the socket's permissions, say, or an engine older than Testcontainers' API: add -Dapi.version=<the"
                    + " engine's API version>): the tests use the embedded PostgreSQL instead");
        }
        try {
            // test classes run in parallel, with pools and crowds of processes: more connections than the default 100
            ThrowawayServer embedded = ThrowawayServer.start(PostgresVersions.requested(System.getProperties()), dir -> {
                try {
                    java.nio.file.Files.writeString(dir.toPath().resolve("postgresql.conf"), "\nmax_connections = " + MAX_CONNECTIONS + "\n",
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

    private static final int MAX_CONNECTIONS = 300;
    private static final int PULL_SECONDS = 30;
    /** The whole attempt: Testcontainers' own set-up (its Ryuk container, its checks) pulls images too, and retries for minutes. */
    private static final int CONTAINER_SECONDS = 60;

    /**
     * The PostgreSQL container, started within {@value #CONTAINER_SECONDS} s, or an exception that says why. An attempt
     * given up on is interrupted, and a container it starts after all is stopped.
     */
    private static PostgreSQLContainer startContainer(String image) {
        java.util.concurrent.ExecutorService executor = java.util.concurrent.Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "cnlearn-db test container");
            thread.setDaemon(true);
            return thread;
        });
        java.util.concurrent.Future<PostgreSQLContainer> starting = executor.submit(() -> {
            DockerClientFactory.instance().client(); // Testcontainers' set-up: where a missing registry shows first
            requireImage(image);
            PostgreSQLContainer container = new PostgreSQLContainer(DockerImageName.parse(image).asCompatibleSubstituteFor("postgres"))
                    .withCommand("postgres", "-c", "fsync=off", "-c", "max_connections=" + MAX_CONNECTIONS);
            container.start();
            if (Thread.currentThread().isInterrupted()) {
                container.stop();
            }
            return container;
        });
        try {
            return starting.get(CONTAINER_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            starting.cancel(true);
            throw new IllegalStateException("nothing within " + CONTAINER_SECONDS + " s: Testcontainers pulls images of its own"
                    + " first; is a registry reachable?");
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the container", e);
        } finally {
            executor.shutdown();
        }
    }

    /** The image is on this machine, or pulled within 30 s (Testcontainers' own pull would retry for minutes). */
    private static void requireImage(String image) {
        com.github.dockerjava.api.DockerClient docker = DockerClientFactory.instance().client();
        try {
            docker.inspectImageCmd(image).exec();
            return;
        } catch (com.github.dockerjava.api.exception.NotFoundException e) {
            // not here yet: pull it
        }
        try {
            if (!docker.pullImageCmd(image).start().awaitCompletion(PULL_SECONDS, java.util.concurrent.TimeUnit.SECONDS)) {
                throw new IllegalStateException("the image is not on this machine, and pulling it took over " + PULL_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while pulling " + image, e);
        } catch (RuntimeException e) {
            throw new IllegalStateException("the image is not on this machine, and pulling it failed: " + firstLine(e), e);
        }
    }

    private static String firstLine(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() != null ? root.getMessage() : root.toString();
        return message.lines().findFirst().orElse(message).strip();
    }

    /** Where a Docker engine is configured (DOCKER_HOST, or the usual socket), or null when neither is. */
    private static String dockerSocket() {
        String host = System.getenv("DOCKER_HOST");
        if (host != null && !host.isBlank()) {
            return "DOCKER_HOST";
        }
        return java.nio.file.Files.exists(java.nio.file.Path.of("/var/run/docker.sock")) ? "/var/run/docker.sock" : null;
    }

    /**
     * Testcontainers finds an engine it can talk to: one ping per way it knows, no image pulled (its full set-up,
     * DockerClientFactory.isDockerAvailable, can take minutes where no registry answers).
     */
    private static boolean testcontainersFindsDocker() {
        try {
            java.util.List<DockerClientProviderStrategy> strategies = new java.util.ArrayList<>();
            java.util.ServiceLoader.load(DockerClientProviderStrategy.class).forEach(strategies::add);
            DockerClientProviderStrategy.getFirstValidStrategy(strategies);
            return true;
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    /**
     * A throwaway server of the suite's major that checks passwords (scram-sha-256) on TCP, but for
     * postgres, which needs none: for the tests that put a canary password through a channel.
     */
    public static ThrowawayServer checkingPasswords(java.nio.file.Path log) throws SQLException {
        return ThrowawayServer.start(PostgresVersions.requested(System.getProperties()), dir -> {
            try {
                java.nio.file.Files.writeString(dir.toPath().resolve("pg_hba.conf"), "local all all trust\n"
                        + "host all postgres 127.0.0.1/32 trust\nhost all postgres ::1/128 trust\n"
                        + "host all all 127.0.0.1/32 scram-sha-256\nhost all all ::1/128 scram-sha-256\n");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, log);
    }

    /** A new, empty database on this server; its name starts with the prefix. */
    public TestDatabase createDatabase(String prefix) {
        String name = (prefix + "_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet()).toLowerCase();
        execute("CREATE DATABASE " + name);
        return new TestDatabase(this, name);
    }

    /** A new database holding what the template holds (CREATE DATABASE … TEMPLATE: nobody may be connected to it). */
    public TestDatabase copyOf(TestDatabase template, String prefix) {
        String name = (prefix + "_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet()).toLowerCase();
        execute("CREATE DATABASE " + name + " TEMPLATE " + template.name());
        return new TestDatabase(this, name);
    }

    /** Drops a role a test made (after the databases it owned are gone). */
    public void dropRole(String name) {
        execute("DROP ROLE IF EXISTS " + name);
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
