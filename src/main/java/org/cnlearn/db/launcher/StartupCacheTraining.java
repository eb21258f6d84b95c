package org.cnlearn.db.launcher;

import org.cnlearn.db.connection.ConnectionSettings;
import org.cnlearn.db.report.FailureReport;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

/**
 * {@code cnlearn-db startup-cache}: one JVM runs every command once, on both of update's and
 * status's paths (answered here, and answered by Liquibase), and a failing one, so that the start-up
 * cache which bin/cnlearn-db records from this run holds the classes of them all. An image build runs
 * it against an empty scratch database (the Dockerfile); it refuses any other.
 */
final class StartupCacheTraining {

    private StartupCacheTraining() {
    }

    static void run(ConnectionSettings settings, Path lib, PrintStream out, PrintStream err) throws Exception {
        try (Connection connection = settings.openTarget(true)) {
            out.println(settings.nameTarget(connection));
            long relations = count(connection, "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%'"
                    + " AND n.nspname NOT LIKE 'pg\\_temp%'");
            if (relations > 0) {
                throw new SQLException("startup-cache runs every command, rollbacks included, on its database: give it an empty"
                        + " scratch database. This one holds " + relations + (relations == 1 ? " relation" : " relations") + ". Nothing was changed.");
            }
        }
        PrintStream discard = new PrintStream(OutputStream.nullOutputStream());
        Map<String, String> env = Map.of();
        command(settings, lib, env, discard, "status");           // pending: Liquibase's status
        command(settings, lib, env, discard, "update-sql");
        command(settings, lib, env, discard, "update");           // Liquibase applies them
        command(settings, lib, env, discard, "update");           // up to date: answered without Liquibase
        command(settings, lib, env, discard, "status");
        liquibase(settings, lib, discard, "update");              // up to date, as Liquibase answers it
        liquibase(settings, lib, discard, "status");
        command(settings, lib, env, discard, "history");
        command(settings, lib, env, discard, "tag", "--tag=cnlearn-startup-cache");
        command(settings, lib, env, discard, "validate");
        long applied;
        try (Connection connection = settings.open()) {
            applied = count(connection, "SELECT count(*) FROM databasechangelog");
        }
        command(settings, lib, env, discard, "rollback-count", "--count=" + applied);
        try {
            command(settings, lib, env, discard, "rollback", "--tag=cnlearn-startup-cache-no-such-tag");
        } catch (Exception expected) {
            FailureReport.lines(expected, false); // a failure's report, as a failed deploy prints it
        }
        out.println("[cnlearn-db] startup-cache: ran update-sql, update, status, history, tag, validate and rollback-count ("
                + applied + " changesets applied and rolled back); the database is left with Liquibase's history table only.");
    }

    /**
     * The recording run of a machine's start-up cache, after a command succeeded: status, on both of its
     * paths, history, update-sql and validate, which only read (they create nothing, not even the history
     * table: safety/ReadOnlyCommandStep), with their output discarded. A failure here only means no cache.
     */
    static void readOnly(ConnectionSettings settings, Path lib) throws Exception {
        PrintStream discard = new PrintStream(OutputStream.nullOutputStream());
        try (Connection connection = settings.openTarget(false)) {
            settings.nameTarget(connection);
            UpToDate upToDate = UpToDate.forDistribution(lib, Map.of(), new java.util.Properties());
            if (upToDate != null) {
                upToDate.status(connection, discard);
            }
        }
        // a connection each, as each command has in a run of its own (LiquibaseCommands says why)
        for (String command : List.of("status", "history", "update-sql", "validate")) {
            try (Connection connection = settings.openTarget(false)) {
                LiquibaseCommands.run(Arguments.parse(List.of(command)), connection, lib, discard, discard, discard, Level.WARNING);
            }
        }
    }

    private static void command(ConnectionSettings settings, Path lib, Map<String, String> env, PrintStream discard,
                                String... words) throws Exception {
        Arguments arguments = Arguments.parse(List.of(words));
        try (Connection connection = settings.openTarget(arguments.writes())) {
            settings.nameTarget(connection);
            Main.run(arguments, connection, lib, env, discard, discard, discard, Level.WARNING);
        }
    }

    private static void liquibase(ConnectionSettings settings, Path lib, PrintStream discard, String command) throws Exception {
        try (Connection connection = settings.openTarget(true)) {
            LiquibaseCommands.run(Arguments.parse(List.of(command)), connection, lib, discard, discard, discard, Level.WARNING);
        }
    }

    private static long count(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
