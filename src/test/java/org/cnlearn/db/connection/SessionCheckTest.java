package org.cnlearn.db.connection;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.cnlearn.db.PgBouncer;
import org.cnlearn.db.TestDatabase;
import org.cnlearn.db.TestServer;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the goals' driver refuses right after connecting, before anything is locked or written. */
class SessionCheckTest {

    /** As the goals' driver checks the database it migrates (LIQUIBASE_COMMAND_URL's), right after connecting. */
    private static Connection connect(TestDatabase db) throws SQLException {
        ConnectionSettings settings = ConnectionSettings.explicit(db.url(), db.username(), db.password()).from("the URL");
        Connection connection = settings.open();
        SessionCheck.refuseUnfitTarget(settings, connection, "the URL");
        return connection;
    }

    private static int backend(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void aDirectConnectionAndASessionPoolAreAccepted() throws Exception {
        try (TestDatabase db = TestServer.get().createDatabase("session_ok")) {
            try (Connection direct = connect(db)) {
                assertEquals(backend(direct), backend(direct));
            }
            try (Connection pooled = connect(db.through(PgBouncer.get(PgBouncer.Mode.SESSION).address()))) {
                assertEquals(backend(pooled), backend(pooled));
            }
        }
    }

    @Test
    void aTransactionPoolIsRefusedEveryTimeBeforeAnythingIsCreated() throws Exception {
        try (TestDatabase db = TestServer.get().createDatabase("txn_pool")) {
            TestDatabase pooled = db.through(PgBouncer.get(PgBouncer.Mode.TRANSACTION).address());
            for (int attempt = 1; attempt <= 20; attempt++) {
                SQLException refused = assertThrows(SQLException.class, () -> connect(pooled), "attempt " + attempt + " was let through");
                assertTrue(refused.getMessage().startsWith(ConnectionSettings.redact(pooled.url()) + " as " + db.username()
                        + " is a connection pooler in transaction mode: "), refused.getMessage());
                assertTrue(refused.getMessage().contains("two connections were given the same server session (backend pid ")
                        || refused.getMessage().contains("one connection's transactions ran in different server sessions (backend pids "),
                        refused.getMessage());
                assertTrue(refused.getMessage().endsWith("A migration needs one session: its lock and its changesets live in it."
                        + " Point the URL at the database itself, or at a pool in session mode (docs/topologies.md)."
                        + " Nothing was changed."), refused.getMessage());
            }
            assertEquals(List.of(), db.objectsIn("public"));
        }
    }

    /** A URL of the user's own, such as the diff goal's reference, may be a read-only replica; a transaction pool is still refused. */
    @Test
    void theDriverChecksAReferenceUrlForPoolingOnly() throws Exception {
        try (TestDatabase db = TestServer.get().createDatabase("reference_read_only")) {
            db.execute("ALTER DATABASE " + db.name() + " SET default_transaction_read_only = on");
            Properties properties = new Properties();
            if (db.username() != null) {
                properties.setProperty("user", db.username());
            }
            if (db.password() != null) {
                properties.setProperty("password", db.password());
            }
            try (Connection reference = new CnlearnDriver().connect(db.url(), properties)) {
                assertEquals(backend(reference), backend(reference));
            }
            String pooled = db.through(PgBouncer.get(PgBouncer.Mode.TRANSACTION).address()).url();
            SQLException refused = assertThrows(SQLException.class, () -> new CnlearnDriver().connect(pooled, properties));
            assertTrue(refused.getMessage().contains(" is a connection pooler in transaction mode: "), refused.getMessage());
        }
    }

    @Test
    void aReadOnlyDatabaseIsRefusedBeforeAnythingIsCreated() throws Exception {
        try (TestDatabase db = TestServer.get().createDatabase("read_only")) {
            db.execute("ALTER DATABASE " + db.name() + " SET default_transaction_read_only = on");
            SQLException refused = assertThrows(SQLException.class, () -> connect(db));
            assertEquals(ConnectionSettings.redact(db.url()) + " as " + db.username() + " is read-only (default_transaction_read_only"
                    + " is on): a migration writes, so it needs the primary. Point the URL at the primary database. Nothing was changed.",
                    refused.getMessage());
            assertEquals(List.of(), db.objectsIn("public"));
        }
    }

    /** A real hot standby: a cold copy of a primary's data folder, started in recovery. */
    @Test
    void aStandbyIsRefusedToCommandsThatWriteAndServesThoseThatRead() throws Exception {
        int major = PostgresVersions.requested(System.getProperties());
        Path primaryData = Files.createTempDirectory("primary");
        Path standbyData = Files.createTempDirectory("standby");
        try (EmbeddedPostgres primary = EmbeddedPostgres.builder().setPgBinaryResolver(PostgresVersions.binaries(major, System.getProperties()))
                .setDataDirectory(primaryData).setCleanDataDirectory(false).start()) {
            primary.getPostgresDatabase().getConnection().close();
        }
        try (var files = Files.walk(primaryData)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path copy = standbyData.resolve(primaryData.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(copy);
                } else if (!file.getFileName().toString().equals("postmaster.pid")) {
                    Files.copy(file, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        Files.writeString(standbyData.resolve("standby.signal"), "");
        try (EmbeddedPostgres standby = EmbeddedPostgres.builder().setPgBinaryResolver(PostgresVersions.binaries(major, System.getProperties()))
                .setDataDirectory(standbyData).setCleanDataDirectory(false).start()) {
            ConnectionSettings settings = ConnectionSettings.explicit(standby.getJdbcUrl("postgres", "postgres"), "postgres", null);
            SQLException refused = assertThrows(SQLException.class, () -> SessionCheck.refuseUnfitTarget(settings, settings.open(), "the URL"));
            assertTrue(refused.getMessage().endsWith(" is a standby (in recovery): a migration writes, so it needs the primary."
                    + " Point the URL at the primary database. Nothing was changed."), refused.getMessage());
            // a command that only reads works there, and tells the truth; one that writes is refused before it starts
            try (java.sql.Connection connection = settings.openTarget(false)) {
                String status = org.cnlearn.db.Migrations.runOn(connection, "status");
                assertTrue(status.contains("1 changeset has not been applied to "), status);
                Exception update = assertThrows(Exception.class, () -> org.cnlearn.db.Migrations.runOn(connection, "update"));
                assertTrue(org.cnlearn.db.Migrations.messages(update).contains(" is a standby (in recovery): a migration writes,"),
                        org.cnlearn.db.Migrations.messages(update));
            }
        } finally {
            for (Path data : List.of(primaryData, standbyData)) {
                try (var files = Files.walk(data)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }
}
