package org.cnlearn.db.launcher;

import org.cnlearn.db.connection.JdbcQueries;

import org.cnlearn.db.safety.SessionLockService;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * "Is there anything to do?", answered without starting Liquibase, for the commonest deploy: a
 * release with no new changeset. It reads databasechangelog as Liquibase would (the session's
 * current schema) and compares it with the {@link ChangesetManifest} that Liquibase wrote at build
 * time. Only a certain "nothing to do" is answered here; anything else (a pending or edited
 * changeset, another migration holding the lock, no history table, an old checksum format, a
 * changelog that is not the manifest's, a Liquibase setting in the environment or among the Java
 * system properties) is left to Liquibase, which then does exactly what it always does. The launcher
 * reads no defaults file (liquibase.properties), and neither does Liquibase under it.
 */
final class UpToDate {

    /** Set to false (-Dcnlearn.upToDateCheck=false in JAVA_OPTS) to leave every decision to Liquibase. */
    static final String ENABLED_PROPERTY = "cnlearn.upToDateCheck";

    /**
     * The LIQUIBASE_ variables that cannot change what update or status decide: the connection, which
     * this project reads itself, and two that only change what is printed or sent (analytics are off
     * anyway). Any other may (contexts, labels, the history table's name or schema...), and so may the
     * same setting given as a liquibase. system property (-Dliquibase.databaseChangeLogTableName=... in
     * JAVA_OPTS), which is screened by its variable's name.
     */
    private static final Set<String> HARMLESS_VARIABLES = Set.of("LIQUIBASE_COMMAND_URL", "LIQUIBASE_COMMAND_USERNAME",
            "LIQUIBASE_COMMAND_PASSWORD", "LIQUIBASE_ANALYTICS_ENABLED", "LIQUIBASE_SHOW_BANNER");

    private final ChangesetManifest manifest;

    private UpToDate(ChangesetManifest manifest) {
        this.manifest = manifest;
    }

    /** The check for this distribution, or null when it cannot be made here (then Liquibase decides). */
    static UpToDate forDistribution(Path lib, Map<String, String> env, Properties system) throws IOException {
        if (!Boolean.parseBoolean(system.getProperty(ENABLED_PROPERTY, "true"))
                || env.keySet().stream().anyMatch(name -> name.startsWith("LIQUIBASE_") && !HARMLESS_VARIABLES.contains(name))
                || system.stringPropertyNames().stream().anyMatch(name -> name.startsWith("liquibase.")
                        && !HARMLESS_VARIABLES.contains(variableOf(name)))) {
            return null;
        }
        ChangesetManifest manifest = ChangesetManifest.read(lib);
        return manifest != null && manifest.describes(lib) ? new UpToDate(manifest) : null;
    }

    /**
     * update: when every changeset is applied, says so as Liquibase does and returns true. The
     * migration lock is taken first, as update takes it, so a migration in flight is waited for (by
     * Liquibase, which says so) rather than read half-way.
     */
    boolean update(Connection connection, PrintStream out) throws SQLException {
        if (!tryLock(connection)) {
            return false;
        }
        try {
            if (!allApplied(connection)) {
                return false;
            }
        } finally {
            unlock(connection);
        }
        int total = manifest.changesets().size();
        out.println("Database is up to date, no changesets to execute");
        out.println();
        out.println("UPDATE SUMMARY");
        out.println(String.format("Run:                     %6d", 0));
        out.println(String.format("Previously run:          %6d", total));
        out.println(String.format("Filtered out:            %6d", 0));
        out.println("-------------------------------");
        out.println(String.format("Total change sets:       %6d", total));
        out.println();
        return true;
    }

    /** status: when every changeset is applied, says so as Liquibase does and returns true. */
    boolean status(Connection connection, PrintStream out) throws SQLException {
        if (!allApplied(connection)) {
            return false;
        }
        out.println(connection.getMetaData().getUserName() + "@" + connection.getMetaData().getURL() + " is up to date");
        return true;
    }

    /** Every changeset of the manifest has its row, under the same file, id and author, with the same checksum. */
    private boolean allApplied(Connection connection) throws SQLException {
        String table;
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT quote_ident(current_schema()) || '.databasechangelog',"
                     + " to_regclass(quote_ident(current_schema()) || '.databasechangelog') IS NOT NULL")) {
            if (!rs.next() || rs.getString(1) == null || !rs.getBoolean(2)) {
                return false;
            }
            table = rs.getString(1);
        }
        Map<String, String> checksums = new HashMap<>();
        try {
            for (String[] row : JdbcQueries.list(connection, "SELECT filename, id, author, md5sum FROM " + table,
                    rs -> new String[] {key(rs.getString(1), rs.getString(2), rs.getString(3)), rs.getString(4)})) {
                checksums.put(row[0], row[1]);
            }
        } catch (SQLException e) {
            if ("42501".equals(e.getSQLState())) {
                return false; // a role that may not read it: Liquibase's run says so, and which grant it needs
            }
            throw e;
        }
        for (ChangesetManifest.Entry changeset : manifest.changesets()) {
            String applied = checksums.get(key(changeset.filename(), changeset.id(), changeset.author()));
            if (applied == null || !applied.equals(changeset.checksum())) {
                return false;
            }
        }
        return true;
    }

    /** The environment variable Liquibase reads for a setting: liquibase.showBanner is LIQUIBASE_SHOW_BANNER. */
    static String variableOf(String property) {
        return property.replaceAll("([a-z0-9])([A-Z])", "$1_$2").replace('.', '_').replace('-', '_').toUpperCase(java.util.Locale.ROOT);
    }

    private static String key(String filename, String id, String author) {
        return filename + '\0' + id + '\0' + author;
    }

    private static boolean tryLock(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            statement.setLong(1, SessionLockService.KEY);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    private static void unlock(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
            statement.setLong(1, SessionLockService.KEY);
            statement.execute();
        }
    }
}
