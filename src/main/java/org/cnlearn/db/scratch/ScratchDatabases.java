package org.cnlearn.db.scratch;

import org.cnlearn.db.connection.ConnectionSettings;
import org.cnlearn.db.connection.ThrowawayServer;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Databases that exist only while a goal works: empty ones, and copies of one another (a database as
 * the changelog builds it, copied before something is tried on it), on one throwaway embedded
 * PostgreSQL of a given major. The server starts in the background, so a goal reads its changelog
 * meanwhile; it and its data are gone when this is closed.
 */
public final class ScratchDatabases implements AutoCloseable {

    private final int major;
    private final CompletableFuture<ThrowawayServer> server;

    private ScratchDatabases(int major) {
        this.major = major;
        this.server = CompletableFuture.supplyAsync(() -> {
            try {
                return ThrowawayServer.start(major, null);
            } catch (SQLException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        });
    }

    /** Starts the server of that major (in the background). */
    public static ScratchDatabases start(int major) {
        return new ScratchDatabases(major);
    }

    public int major() {
        return major;
    }

    /** A new empty database. */
    public void create(String name) throws SQLException {
        admin("CREATE DATABASE " + name);
    }

    /**
     * A new empty database owned by an ordinary role of this server (no superuser, no CREATEDB or
     * CREATEROLE), made the first time: SQL of someone else's runs there with no more rights than that.
     */
    public void createOwnedBy(String name, String role) throws SQLException {
        admin("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + role + "') THEN CREATE ROLE " + role
                + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS; END IF; END $$");
        admin("CREATE DATABASE " + name + " OWNER " + role);
    }

    /** A new database holding what another holds (which nobody may be connected to meanwhile). */
    public void copy(String from, String name) throws SQLException {
        admin("CREATE DATABASE " + name + " TEMPLATE " + from);
    }

    public void drop(String name) throws SQLException {
        admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    public Connection connect(String name) throws SQLException {
        return connect(name, "postgres");
    }

    /** A connection as that role (the server trusts its local connections). */
    public Connection connect(String name, String role) throws SQLException {
        return ConnectionSettings.explicit(server().jdbcUrl(role, name), role, null).open();
    }

    /** The server's version, as SHOW server_version says it. */
    public String version() throws SQLException {
        try (Connection connection = connect("postgres"); Statement statement = connection.createStatement();
             var rs = statement.executeQuery("SHOW server_version")) {
            rs.next();
            return rs.getString(1);
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
        server.thenAccept(ThrowawayServer::close).exceptionally(e -> null).join();
    }
}
