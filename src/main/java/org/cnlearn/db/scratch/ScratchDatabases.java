package org.cnlearn.db.scratch;

import org.cnlearn.db.connection.ConnectionSettings;
import org.cnlearn.db.connection.ThrowawayServer;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.ExecutionException;

/**
 * Databases that exist only while a goal works: empty ones, and copies of one another (a database as
 * the changelog builds it, copied before something is tried on it), on one throwaway embedded
 * PostgreSQL of a given major. The server starts in the background, so a goal reads its changelog
 * meanwhile; it and its data are gone when this is closed. Where no embedded PostgreSQL is shipped (the
 * deploy launcher), they are made on a server the user names instead ({@link #on}), and dropped when this is closed.
 */
public final class ScratchDatabases implements AutoCloseable {

    /**
     * Set to true where one JVM runs many goals one after another (the test suite): one throwaway server of
     * each major serves them all for the JVM's life, each with databases of its own, dropped when it closes.
     */
    public static final String SHARED_PROPERTY = "cnlearn.scratch.shared";

    private static final Map<Integer, CompletableFuture<ThrowawayServer>> SHARED = new ConcurrentHashMap<>();
    private static final AtomicInteger USERS = new AtomicInteger();

    private final int major;
    private final CompletableFuture<ThrowawayServer> server;
    /** The user's server, where there is no throwaway one: its settings, on any of its databases. */
    private final ConnectionSettings given;
    /** Before each database's name: empty on a server of its own, this user's own on a shared one. */
    private final String prefix;
    private final Set<String> created = ConcurrentHashMap.newKeySet();

    private ScratchDatabases(int major, CompletableFuture<ThrowawayServer> server, String prefix) {
        this(major, server, null, prefix);
    }

    private ScratchDatabases(int major, CompletableFuture<ThrowawayServer> server, ConnectionSettings given, String prefix) {
        this.major = major;
        this.server = server;
        this.given = given;
        this.prefix = prefix;
    }

    /**
     * Scratch databases on the user's server, which must run that major; the role must be allowed to create
     * databases. Each is named {@code cnlearn_scratch_…}, and dropped when this is closed.
     *
     * @param setting how the user named the server ("--scratch-url"), for messages
     */
    public static ScratchDatabases on(ConnectionSettings server, String setting, int major) throws SQLException {
        int serverMajor;
        try (Connection connection = server.open()) {
            serverMajor = connection.getMetaData().getDatabaseMajorVersion();
        }
        if (serverMajor != major) {
            throw new SQLException(setting + " runs PostgreSQL " + serverMajor + ", and the copy must be the target's major, " + major
                    + ": give a server of PostgreSQL " + major + ". Nothing was changed.", "08001");
        }
        String prefix = String.format("cnlearn_scratch_%08x_", new java.security.SecureRandom().nextInt());
        return new ScratchDatabases(major, null, server, prefix);
    }

    /** Starts the server of that major (in the background), or takes the shared one ({@value #SHARED_PROPERTY}). */
    public static ScratchDatabases start(int major) {
        if (Boolean.getBoolean(SHARED_PROPERTY)) {
            return new ScratchDatabases(major, SHARED.computeIfAbsent(major, ScratchDatabases::startServer), "s" + USERS.incrementAndGet() + "_");
        }
        return new ScratchDatabases(major, startServer(major), "");
    }

    private static CompletableFuture<ThrowawayServer> startServer(int major) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return ThrowawayServer.start(major, null);
            } catch (SQLException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        });
    }

    public int major() {
        return major;
    }

    /** A new empty database. */
    public void create(String name) throws SQLException {
        admin("CREATE DATABASE " + own(name));
    }

    /** The database's name on the server: a shared server (or the user's) holds other databases too. */
    private String own(String name) {
        if (!prefix.isEmpty()) {
            created.add(name);
        }
        return prefix + name;
    }

    /**
     * A new empty database owned by an ordinary role of this server (no superuser, no CREATEDB or
     * CREATEROLE), made the first time: SQL of someone else's runs there with no more rights than that.
     */
    public void createOwnedBy(String name, String role) throws SQLException {
        try {
            admin("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + role + "') THEN CREATE ROLE " + role
                    + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS; END IF; END $$");
        } catch (SQLException e) {
            // on a shared server another user may have made it meanwhile
            if (!"42710".equals(e.getSQLState()) && !"23505".equals(e.getSQLState())) {
                throw e;
            }
        }
        admin("CREATE DATABASE " + own(name) + " OWNER " + role);
    }

    /** A new database holding what another holds (which nobody may be connected to meanwhile). */
    public void copy(String from, String name) throws SQLException {
        admin("CREATE DATABASE " + own(name) + " TEMPLATE " + prefix + from);
    }

    public void drop(String name) throws SQLException {
        admin("DROP DATABASE IF EXISTS " + prefix + name + " WITH (FORCE)");
        created.remove(name);
    }

    public Connection connect(String name) throws SQLException {
        return connect(name, "postgres");
    }

    /** A connection as that role (the server trusts its local connections); on the user's server, as the user's role only. */
    public Connection connect(String name, String role) throws SQLException {
        String database = name.equals("postgres") ? administration() : prefix + name;
        if (given != null) {
            if (!role.equals("postgres")) {
                throw new SQLException("a scratch database on the user's server is reached as the user's role only", "28000");
            }
            return given.onDatabase(database).open();
        }
        return ConnectionSettings.explicit(server().jdbcUrl(role, database), role, null).open();
    }

    /** The database from which the others are made and dropped: the one the user's URL names, or the throwaway server's postgres. */
    private String administration() {
        if (given == null) {
            return "postgres";
        }
        java.util.regex.Matcher database = java.util.regex.Pattern.compile("^jdbc:postgresql://[^/?]*/([^?]+)").matcher(given.url());
        return database.find() ? database.group(1) : "postgres";
    }

    /** The server's version, as SHOW server_version says it, without what a distribution adds ("15.20", not "15.20 (Debian …)"). */
    public String version() throws SQLException {
        try (Connection connection = connect("postgres"); Statement statement = connection.createStatement();
             var rs = statement.executeQuery("SHOW server_version")) {
            rs.next();
            return rs.getString(1).split(" ")[0];
        }
    }

    private void admin(String sql) throws SQLException {
        try (Connection connection = connect("postgres"); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private ThrowawayServer server() throws SQLException {
        try {
            return server.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof IllegalStateException && e.getCause().getCause() instanceof SQLException
                    ? e.getCause().getCause() : e.getCause();
            throw cause instanceof SQLException sql ? sql : new SQLException(cause.getMessage(), "08001", cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while the throwaway PostgreSQL started", "08001", e);
        }
    }

    @Override
    public void close() {
        if (given != null || !prefix.isEmpty()) {
            for (String name : Set.copyOf(created)) {
                try {
                    drop(name);
                } catch (SQLException e) {
                    // the shared server goes with the JVM, and its databases with it; on the user's, a database left is named by its prefix
                }
            }
            return;
        }
        server.thenAccept(ThrowawayServer::close).exceptionally(e -> null).join();
    }
}
