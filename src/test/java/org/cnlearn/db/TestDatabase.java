package org.cnlearn.db;

import org.cnlearn.db.catalog.TableShape;
import org.cnlearn.db.connection.ConnectionSettings;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** One throwaway database on the {@link TestServer}; closing it drops it. */
public final class TestDatabase implements AutoCloseable {

    private final TestServer server;
    private final String name;
    /** "host:port" of a pooler in front of the server, or null for the server itself. */
    private final String via;
    /** The lock timeout of its connections, or null for the default. */
    private final String lockTimeout;

    TestDatabase(TestServer server, String name) {
        this(server, name, null, null);
    }

    private TestDatabase(TestServer server, String name, String via, String lockTimeout) {
        this.server = server;
        this.name = name;
        this.via = via;
        this.lockTimeout = lockTimeout;
    }

    /** The same database, reached through a pooler listening on that address ("host:port"). */
    public TestDatabase through(String hostAndPort) {
        return new TestDatabase(server, name, hostAndPort, lockTimeout);
    }

    /** The same database, its connections with this lock timeout (as -Dcnlearn.lockTimeout would set it). */
    public TestDatabase withLockTimeout(String timeout) {
        return new TestDatabase(server, name, via, timeout);
    }

    public String name() {
        return name;
    }

    public String url() {
        return via == null ? server.urlOf(name) : "jdbc:postgresql://" + via + "/" + name;
    }

    public String username() {
        return server.username();
    }

    public String password() {
        return server.password();
    }

    public Connection connect() throws SQLException {
        ConnectionSettings settings = ConnectionSettings.explicit(url(), username(), password());
        return (lockTimeout == null ? settings : settings.withLockTimeout(lockTimeout)).open();
    }

    public void execute(String sql) throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    public long count(String sql) throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The shape of table "user" in schema public (empty when it does not exist). */
    public List<String> userTableShape() throws SQLException {
        try (Connection connection = connect()) {
            return TableShape.describe(connection, "public", "user");
        }
    }

    /** Every relation, type and function of schema public but Liquibase's own two tables. */
    public List<String> projectObjects() throws SQLException {
        List<String> objects = new ArrayList<>();
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(
                     "SELECT 'relation ' || c.relkind::text || ' ' || c.relname FROM pg_class c"
                             + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'"
                             + " AND c.relname NOT IN ('databasechangelog', 'databasechangeloglock', 'databasechangeloglock_pkey')"
                             + " UNION ALL SELECT 'type ' || t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace"
                             + " WHERE n.nspname = 'public' AND t.typrelid = 0 AND t.typelem = 0"
                             + " UNION ALL SELECT 'function ' || p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
                             + " WHERE n.nspname = 'public' ORDER BY 1")) {
            while (rs.next()) {
                objects.add(rs.getString(1));
            }
        }
        return objects;
    }

    /** The relations in a schema (empty when it does not exist). */
    public List<String> objectsIn(String schema) throws SQLException {
        List<String> objects = new ArrayList<>();
        try (Connection connection = connect();
             java.sql.PreparedStatement statement = connection.prepareStatement(
                     "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? ORDER BY 1")) {
            statement.setString(1, schema);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    objects.add(rs.getString(1));
                }
            }
        }
        return objects;
    }

    /** The changesets recorded as applied, in order. */
    public List<String> appliedChangesets() throws SQLException {
        List<String> ids = new ArrayList<>();
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT id FROM databasechangelog ORDER BY orderexecuted")) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }

    /** Waits until another session of this database runs a statement holding the fragment (a migration's pg_sleep, say). */
    public void awaitActiveQuery(String fragment, int seconds) throws Exception {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(seconds);
        while (count("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE '%" + fragment
                + "%' AND pid <> pg_backend_pid() AND state = 'active'") == 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no query with " + fragment + " started within " + seconds + " s");
            }
            Thread.sleep(100);
        }
    }

    @Override
    public void close() {
        server.dropDatabase(name);
    }
}
