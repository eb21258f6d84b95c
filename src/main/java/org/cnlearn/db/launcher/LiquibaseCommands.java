package org.cnlearn.db.launcher;

import liquibase.Scope;
import liquibase.changelog.ChangeLogHistoryServiceFactory;
import liquibase.lockservice.LockServiceFactory;
import liquibase.command.CommandScope;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.logging.core.AbstractLogService;
import liquibase.logging.core.AbstractLogger;
import liquibase.resource.DirectoryResourceAccessor;
import liquibase.ui.ConsoleUIService;
import org.cnlearn.db.connection.Secrets;
import org.cnlearn.db.report.SupersededLines;
import org.cnlearn.db.safety.DataLossGuard;
import org.cnlearn.db.safety.SafePostgresDatabase;
import org.cnlearn.db.safety.SessionLockService;
import org.cnlearn.db.settings.ReportFormat;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.HashMap;
import java.util.Map;
import java.util.logging.Level;

/**
 * The commands run by Liquibase itself, with this project's extensions (service-loaded from its jar,
 * as for the goals): the same lock, the same atomic changesets, adoption and data-loss guard, the
 * same lint in validate. Kept apart from {@link Main}, so that a run which Liquibase is not needed
 * for does not load it.
 */
final class LiquibaseCommands {

    /** The master changelog, under lib/, named as in the project: the history rows name the same files as the goals'. */
    static final String CHANGELOG = ChangesetManifest.CHANGELOG_DIR + "/db.changelog-master.yaml";

    private LiquibaseCommands() {
    }

    /**
     * Runs the command on the open connection. Liquibase's messages go to {@code out} (to {@code err}
     * for update-sql, whose SQL goes to {@code sql}, and for a report as data, which goes there too); its log only shows what each changeset did, and
     * warnings, unless the log level asks for more.
     */
    static void run(Arguments arguments, Connection connection, Path lib, PrintStream out, PrintStream err, OutputStream sql,
                    Level logLevel) throws Exception {
        Database database = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(connection));
        ConsoleUIService ui = new ConsoleUIService();
        ui.setOutputStream(arguments.command().equals("update-sql") ? err : out);
        ui.setErrorStream(err);
        Map<String, Object> scope = new HashMap<>();
        scope.put(Scope.Attr.resourceAccessor.name(), new DirectoryResourceAccessor(lib));
        scope.put(Scope.Attr.ui.name(), ui);
        // update-sql changes nothing, so what each change "did" is not said
        scope.put(Scope.Attr.logService.name(), new LauncherLogService(logLevel, !arguments.command().equals("update-sql"), out, err));
        scope.put("liquibase.analytics.enabled", false);
        scope.put(CommandScope.DO_NOT_SEND_EXCEPTION_TO_UI, true); // Main reports a failure, once
        scope.put(DataLossGuard.ALLOW_DATA_LOSS_SETTING, "--allow-data-loss");
        scope.put(SessionLockService.WAIT_SETTING, "--lock-wait-seconds");
        if (arguments.command().equals("changelog-sync")) {
            scope.put(SafePostgresDatabase.RECORD_ONLY, true); // an update that builds nothing: each changeset is adopted or refused
        }
        if (arguments.has("allow-data-loss")) {
            scope.put(DataLossGuard.ALLOW_DATA_LOSS, true);
        }
        if (arguments.has("format")) {
            scope.put(ReportFormat.PROPERTY, arguments.get("format").strip());
        }
        try {
            Scope.child(scope, () -> command(arguments, database, out, sql).execute());
        } finally {
            // Liquibase keeps a history service and a lock service per database for the JVM's life, and
            // tells databases apart by their connection: a later command on the same connection would
            // get this one's, bound to this command's executor. Seen here: update-sql after history on
            // one connection recorded its changeset as run, through history's executor, and ran nothing.
            ChangeLogHistoryServiceFactory.getInstance().resetAll();
            LockServiceFactory.getInstance().resetAll();
        }
    }

    private static CommandScope command(Arguments arguments, Database database, OutputStream out, OutputStream sql) throws Exception {
        CommandScope command = switch (arguments.command()) {
            case "update", "changelog-sync" -> new CommandScope("update");
            case "update-sql" -> new CommandScope("updateSql").setOutput(sql);
            case "status" -> new CommandScope("status").addArgumentValue("verbose", true);
            case "history" -> new CommandScope("history");
            case "rollback-count" -> new CommandScope("rollbackCount").addArgumentValue("count", arguments.count());
            case "rollback" -> new CommandScope("rollback").addArgumentValue("tag", arguments.get("tag"));
            case "tag" -> new CommandScope("tag").addArgumentValue("tag", arguments.get("tag"));
            case "validate" -> new CommandScope("validate");
            default -> throw new IllegalArgumentException("not a Liquibase command: " + arguments.command());
        };
        command.addArgumentValue("database", database);
        if (!arguments.command().equals("update-sql")) {
            command.setOutput(arguments.data() ? sql : out); // a report as data on standard output, the messages on standard error
        }
        if (arguments.data() && arguments.command().equals("update")) {
            // the update summary would be written on the command's output, before the document: it goes to the log instead
            command.addArgumentValue("showSummaryOutput", liquibase.UpdateSummaryOutputEnum.LOG);
        }
        if (!arguments.command().equals("tag")) {
            command.addArgumentValue("changelogFile", CHANGELOG);
        }
        if (arguments.has("label-filter")) {
            command.addArgumentValue("labelFilter", arguments.get("label-filter"));
        }
        return command;
    }

    /**
     * Liquibase's log, made readable: what each changeset did ("Table user created"), as the goals
     * show it, and warnings; everything at the level --log-level asks for.
     */
    private static final class LauncherLogService extends AbstractLogService {
        private final Level level;
        private final boolean changes;
        private final PrintStream out;
        private final PrintStream err;

        LauncherLogService(Level level, boolean changes, PrintStream out, PrintStream err) {
            this.level = level;
            this.changes = changes;
            this.out = out;
            this.err = err;
        }

        @Override
        public int getPriority() {
            return PRIORITY_NOT_APPLICABLE;
        }

        @Override
        public liquibase.logging.Logger getLog(Class clazz) {
            boolean changeSet = changes && clazz == liquibase.changelog.ChangeSet.class;
            return new AbstractLogger() {
                @Override
                public void log(Level messageLevel, String message, Throwable e) {
                    // Level.OFF on a message means "never shown" (Liquibase logs "analytics disabled" so)
                    // a failure logged with its exception is reported by Main, once, when the command ends
                    if (message == null || messageLevel == Level.OFF || e != null && messageLevel == Level.SEVERE && level.intValue() > Level.FINE.intValue()
                            || messageLevel.intValue() < level.intValue() && !(changeSet && messageLevel == Level.INFO)) {
                        return;
                    }
                    if (Stop.requested()) {
                        return; // the connection was closed by a stop, which says what stayed
                    }
                    if (SupersededLines.takeIfSuperseded(message)) {
                        return; // an adopted changeset's "Table user created": the adoption was said instead
                    }
                    String shown = Secrets.mask(message); // a message may say back a password it was given
                    if (messageLevel.intValue() >= Level.WARNING.intValue()) {
                        err.println("[cnlearn-db] " + messageLevel.getName().toLowerCase(java.util.Locale.ROOT) + ": " + shown);
                    } else {
                        out.println(messageLevel.intValue() >= Level.INFO.intValue() ? shown : "[" + messageLevel.getName() + "] " + shown);
                    }
                    if (e != null && level.intValue() <= Level.FINE.intValue()) {
                        Secrets.mask(e).printStackTrace(err);
                    }
                }

                @Override
                public void close() {
                }
            };
        }
    }
}
