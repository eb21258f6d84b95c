package org.cnlearn.db.launcher;

import org.cnlearn.db.connection.ConnectionSettings;
import org.cnlearn.db.report.FailureReport;
import org.cnlearn.db.safety.SessionLockService;
import org.cnlearn.db.settings.SettingValue;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Level;

/**
 * bin/cnlearn-db: the migrations where the application deploys, with no Maven and no checkout. The
 * commands and flags are Liquibase's CLI's; the connection, the checks and the safety extensions are
 * the goals' own code. Exit status: 0 done, 1 failed or refused (nothing half-done: see the message),
 * 2 a command line that cannot run, 128 + N stopped by signal N (launcher/Stop says what stayed).
 */
public final class Main {

    /** The distribution's folder (bin/, lib/): the launcher passes it. */
    static final String HOME_PROPERTY = "cnlearn.home";

    /**
     * Set by bin/cnlearn-db on the run that records a machine's start-up cache, after the command: the
     * command's options say where the database is, and the run only reads (StartupCacheTraining).
     */
    static final String WORKLOAD_PROPERTY = "cnlearn.startupCache.workload";

    static final int FAILED = 1;
    static final int USAGE = 2;

    private Main() {
    }

    public static void main(String[] args) {
        Stop.install(System.err);
        int status = run(List.of(args), System.getenv(), Stop.quietAfterStop(System.out), Stop.quietAfterStop(System.err));
        if (Stop.requested()) {
            Stop.awaitExit(); // the signal's thread says what stayed, and ends the JVM with the signal's status
        }
        System.exit(status);
    }

    static int run(List<String> words, Map<String, String> env, PrintStream out, PrintStream err) {
        Arguments arguments;
        try {
            arguments = Arguments.parse(words);
            String lockTimeout = env.get(ConnectionSettings.LOCK_TIMEOUT_VARIABLE);
            if (lockTimeout != null && !arguments.has("lock-timeout")) {
                SettingValue.duration(ConnectionSettings.LOCK_TIMEOUT_VARIABLE, lockTimeout);
            }
        } catch (Arguments.UsageException | SettingValue.Refused e) {
            return usage(e.getMessage(), err);
        }
        boolean workload = Boolean.getBoolean(WORKLOAD_PROPERTY);
        if (arguments.has("help") && !workload) {
            out.print(Help.text(arguments.command()));
            return 0;
        }
        if (arguments.has("version") && !workload) {
            out.println(Help.version());
            return 0;
        }
        Level logLevel;
        try {
            logLevel = logLevel(arguments);
        } catch (Arguments.UsageException e) {
            return usage(e.getMessage(), err);
        }
        Path cache = workload ? null : StartupCacheRecorder.requested();
        if (arguments.command().equals("startup-cache") && cache != null) {
            return StartupCacheRecorder.startupCache(cache, out, err); // the training runs in the JVM that records it
        }
        try {
            Path lib = lib();
            if (arguments.has("lock-wait-seconds")) {
                System.setProperty(SessionLockService.WAIT_PROPERTY, arguments.get("lock-wait-seconds").trim());
            }
            ConnectionSettings settings = ConnectionSettings.forDeploy(env, arguments.get("url"), arguments.get("username"),
                    arguments.get("password"));
            if (arguments.has("lock-timeout")) {
                settings = settings.withLockTimeout(arguments.get("lock-timeout"));
            }
            if (settings.passwordWarning() != null) {
                err.println(settings.passwordWarning());
            }
            if (workload) {
                StartupCacheTraining.readOnly(settings, lib);
                return 0;
            }
            if (arguments.command().equals("startup-cache")) {
                StartupCacheTraining.run(settings, lib, out, err);
                return 0;
            }
            boolean sqlToStandardOutput = arguments.command().equals("update-sql") && !arguments.has("output-file");
            PrintStream messages = sqlToStandardOutput || arguments.data() ? err : out;
            if (arguments.command().equals("plan")) {
                PlanCommand.run(arguments, settings, lib, messages, out);
                return 0;
            }
            try (Connection connection = settings.openTarget(arguments.writes())) {
                Stop.watch(settings, connection, arguments.writes());
                messages.println(settings.nameTarget(connection));
                run(arguments, connection, lib, env, messages, err, out, logLevel);
            }
            Stop.commandFinished();
            if (cache != null) {
                StartupCacheRecorder.afterCommand(cache, err);
            }
            return 0;
        } catch (Throwable e) {
            if (Stop.requested()) {
                return FAILED; // the connection was closed under it: the stop says what stayed
            }
            List<String> report = FailureReport.lines(e, logLevel.intValue() <= Level.FINE.intValue());
            err.println("[cnlearn-db] ERROR: " + report.get(0));
            report.subList(1, report.size()).forEach(err::println);
            return FAILED;
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** A command line that cannot run: why, that nothing changed, and where the help is; exit status 2. */
    private static int usage(String why, PrintStream err) {
        err.println("[cnlearn-db] " + why + " Nothing was changed. Run cnlearn-db --help for the commands and options.");
        return USAGE;
    }

    /** One command on an open, checked connection; update-sql's SQL goes to {@code sql} unless --output-file names a file. */
    static void run(Arguments arguments, Connection connection, Path lib, Map<String, String> env, PrintStream out,
                    PrintStream err, OutputStream sql, Level logLevel) throws Exception {
        String command = arguments.command();
        if ((command.equals("update") || command.equals("status")) && !arguments.data()) {
            UpToDate upToDate = UpToDate.forDistribution(lib, env, System.getProperties());
            if (upToDate != null && (command.equals("update") ? upToDate.update(connection, out) : upToDate.status(connection, out))) {
                return;
            }
        }
        if (command.equals("update-sql") && arguments.has("output-file")) {
            try (OutputStream file = new FileOutputStream(arguments.get("output-file"))) {
                LiquibaseCommands.run(arguments, connection, lib, out, err, file, logLevel);
            }
            out.println("[cnlearn-db] The SQL is in " + Paths.get(arguments.get("output-file")).toAbsolutePath() + "; nothing was changed.");
            return;
        }
        LiquibaseCommands.run(arguments, connection, lib, out, err, sql, logLevel);
    }

    /** lib/ of the distribution this launcher belongs to. */
    static Path lib() throws IOException {
        String home = System.getProperty(HOME_PROPERTY);
        if (home == null) {
            throw new IOException("-D" + HOME_PROPERTY + " is not set: run cnlearn-db through bin/cnlearn-db.");
        }
        return Paths.get(home).resolve("lib");
    }

    private static Level logLevel(Arguments arguments) throws Arguments.UsageException {
        String given = arguments.get("log-level");
        if (given == null) {
            return Level.WARNING;
        }
        String name = given.trim().toUpperCase(Locale.ROOT);
        return switch (name) {
            case "OFF", "SEVERE", "WARNING", "INFO", "FINE" -> Level.parse(name);
            case "DEBUG" -> Level.FINE;
            default -> throw new Arguments.UsageException("--log-level must be one of off, severe, warning, info, fine;"
                    + " it is '" + given + "'.");
        };
    }
}
