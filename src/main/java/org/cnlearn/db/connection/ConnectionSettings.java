package org.cnlearn.db.connection;

import org.cnlearn.db.settings.ContinuousIntegration;
import org.cnlearn.db.settings.SettingValue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;

/**
 * The one place that knows where the database is. In order: {@code -Dliquibase.url} (with
 * {@code -Dliquibase.username} / {@code -Dliquibase.password}), then {@code LIQUIBASE_COMMAND_URL}
 * (with {@code LIQUIBASE_COMMAND_USERNAME} / {@code LIQUIBASE_COMMAND_PASSWORD}), then, outside CI,
 * the embedded PostgreSQL. A password is never part of what this class prints or puts in a message.
 */
public final class ConnectionSettings {

    public static final String URL_VARIABLE = "LIQUIBASE_COMMAND_URL";
    public static final String USERNAME_VARIABLE = "LIQUIBASE_COMMAND_USERNAME";
    public static final String PASSWORD_VARIABLE = "LIQUIBASE_COMMAND_PASSWORD";

    /**
     * What pom.xml gives the plugin's password and referencePassword parameters, so that Maven's
     * debug output (-X) shows this instead of a password. The real one is read here, from
     * -Dliquibase.password (or -Dliquibase.referencePassword), LIQUIBASE_COMMAND_PASSWORD, the URL or
     * PostgreSQL's password file.
     */
    public static final String HIDDEN_PASSWORD = "hidden-by-cnlearn-db";

    /** Seconds to wait for a TCP connection, and for the whole login: a dead host fails fast. */
    static final int CONNECT_TIMEOUT_SECONDS = 10;
    static final int LOGIN_TIMEOUT_SECONDS = 20;

    /** How long one statement waits for a table lock before it fails: bounded, so traffic does not queue behind it. */
    public static final String LOCK_TIMEOUT_PROPERTY = "cnlearn.lockTimeout";
    public static final String LOCK_TIMEOUT_VARIABLE = "CNLEARN_LOCK_TIMEOUT";
    static final String DEFAULT_LOCK_TIMEOUT = "30s";

    /** How long a run waits for another to finish: the migration lock (safety), the embedded server's folder. */
    public static final String LOCK_WAIT_PROPERTY = "cnlearn.lockWaitSeconds";
    private static final long DEFAULT_LOCK_WAIT_SECONDS = 300;

    /**
     * How long a run waits for another: {@value #LOCK_WAIT_PROPERTY}, else 300 s.
     *
     * @param setting how the command that runs names it, for the refusal of a value that is no whole number of seconds
     * @throws SettingValue.Refused for such a value
     */
    public static long lockWaitSeconds(String setting) {
        String given = System.getProperty(LOCK_WAIT_PROPERTY);
        return given == null ? DEFAULT_LOCK_WAIT_SECONDS : SettingValue.seconds(setting, given);
    }

    /** Where a user sets this URL ("LIQUIBASE_COMMAND_URL", "-Dliquibase.url"), for messages; null for the embedded server. */
    static final String EMBEDDED = null;

    private final String url;
    private final String username;
    private final String password;
    private final String source;
    /** The lock timeout for this connection, or null for cnlearn.lockTimeout / CNLEARN_LOCK_TIMEOUT / 30s. */
    private final String lockTimeout;
    /** Where a password was given that should not be ("-Dliquibase.password", a URL), or null: see {@link #passwordWarning()}. */
    private final Exposure exposure;

    /** A password given where others can see it: on the command line, or inside the URL of a variable. */
    private record Exposure(String setting, boolean commandLine) {
    }

    private ConnectionSettings(String url, String username, String password, String source, String lockTimeout,
                               Exposure exposure) {
        this.url = url;
        this.username = username;
        this.password = password;
        this.source = source;
        this.lockTimeout = lockTimeout;
        this.exposure = exposure;
        Secrets.add(password); // from now on, no message of this run shows it
    }

    /** The same settings with their own lock timeout (a program embedding the project, or a test, says it so). */
    public ConnectionSettings withLockTimeout(String timeout) {
        return new ConnectionSettings(url, username, password, source, timeout, exposure);
    }

    /** The same server, role and password, on another of its databases (one a goal makes there and drops). */
    public ConnectionSettings onDatabase(String database) {
        return new ConnectionSettings(url.replaceFirst("^(jdbc:postgresql://[^/?]*)(/[^?]*)?", "$1/" + database), username, password, source,
                lockTimeout, exposure);
    }

    private ConnectionSettings exposed(Exposure how) {
        return new ConnectionSettings(url, username, password, source, lockTimeout, how);
    }

    /**
     * The warning for a password given where others see it, once a run: on the command line, which every
     * local user sees in the process list and the shell keeps in its history; or inside the URL of
     * LIQUIBASE_COMMAND_URL, which tools print and log as a URL. Null when the password came another way.
     */
    public String passwordWarning() {
        if (exposure == null) {
            return null;
        }
        // LIQUIBASE_COMMAND_PASSWORD is the target's: a reference password has only the password file
        String instead = REFERENCE_PASSWORD.equals(exposure.setting()) ? "" : PASSWORD_VARIABLE + " from a secret store, or in ";
        String where = exposure.commandLine()
                ? "on the command line (" + exposure.setting() + "): every user of this machine can read it in the process list,"
                        + " and your shell history keeps it"
                : "inside " + exposure.setting() + ": other processes of this user can read it there, and tools print and log a URL"
                        + " where they hide a password";
        return "[cnlearn-db] Warning: the database password is " + where + ". Give it in " + instead
                + "PostgreSQL's password file (~/.pgpass, or PGPASSFILE) instead (docs/configuration.md#secrets).";
    }

    private static final String REFERENCE_PASSWORD = "-Dliquibase.referencePassword";

    /** Resolves the placeholder URL from this process's environment and system properties. */
    static ConnectionSettings fromEnvironment(Properties given) throws SQLException {
        return resolve(System.getenv(), System.getProperties(), given);
    }

    /** The database the goals work on, resolved as for the Liquibase goals: for a goal of the project's own (cnlearn:plan). */
    public static ConnectionSettings forGoals() throws SQLException {
        return fromEnvironment(new Properties());
    }

    /** The goals' resolution: -Dliquibase.url / .username / .password over the environment, else the embedded server. */
    static ConnectionSettings resolve(Map<String, String> env, Properties system, Properties given) throws SQLException {
        PostgresVersions.checkRequested(system); // a wrong -Dpg.version is refused whatever the database
        String givenPassword = HIDDEN_PASSWORD.equals(given.getProperty("password")) ? null : blankToNull(given.getProperty("password"));
        CommandLine commandLine = new CommandLine(system.getProperty("liquibase.url"), "-Dliquibase.url",
                firstNonBlank(given.getProperty("user"), system.getProperty("liquibase.username")),
                givenPassword != null ? null : system.getProperty("liquibase.password"), "-Dliquibase.password");
        return resolve(env, commandLine, givenPassword, true);
    }

    /**
     * The deploy launcher's resolution (bin/cnlearn-db): its --url, --username and --password over the
     * environment, and never an embedded server: a deploy must not migrate a throwaway database.
     */
    public static ConnectionSettings forDeploy(Map<String, String> env, String url, String username, String password) throws SQLException {
        return resolve(env, new CommandLine(url, "--url", username, password, "--password"), null, false);
    }

    /** What the command line says, and the names it says it by ("-Dliquibase.url", "--url"), for messages. */
    private record CommandLine(String url, String urlSetting, String username, String password, String passwordSetting) {
    }

    private static ConnectionSettings resolve(Map<String, String> env, CommandLine commandLine, String givenPassword,
                                              boolean embeddedAllowed) throws SQLException {
        String fromCommandLine = blankToNull(commandLine.url());
        String url = fromCommandLine != null ? fromCommandLine : blankToNull(env.get(URL_VARIABLE));
        String username = firstNonBlank(commandLine.username(), env.get(USERNAME_VARIABLE));
        String commandLinePassword = blankToNull(commandLine.password());
        String password = firstNonBlank(givenPassword, commandLinePassword, env.get(PASSWORD_VARIABLE));
        Exposure exposure = commandLinePassword != null ? new Exposure(commandLine.passwordSetting(), true) : null;
        if (url == null) {
            if (!embeddedAllowed) {
                throw new SQLException(URL_VARIABLE + " is not set: name the database to migrate. Set " + URL_VARIABLE
                        + " (and " + USERNAME_VARIABLE + ", " + PASSWORD_VARIABLE + ") or give " + commandLine.urlSetting()
                        + "; a deploy never migrates a throwaway database. Nothing was changed.", "08001");
            }
            if (ContinuousIntegration.detected(env)) {
                throw new SQLException(URL_VARIABLE + " is not set, and CI is: refusing to migrate a throwaway embedded"
                        + " database. Set " + URL_VARIABLE + " (and " + USERNAME_VARIABLE + ", " + PASSWORD_VARIABLE
                        + ") to the database this pipeline deploys to.", "08001");
            }
            return EmbeddedServer.settings().exposed(exposure);
        }
        String source = fromCommandLine != null ? commandLine.urlSetting() : URL_VARIABLE;
        PostgresUrl parsed = parse(url, source);
        if (parsed.password() != null) {
            exposure = new Exposure(fromCommandLine != null ? "a password inside " + source : source, fromCommandLine != null);
        }
        return explicit(parsed, username, password).from(source).exposed(exposure);
    }

    /** The URL read, or a refusal that names its setting and never shows its password. */
    private static PostgresUrl parse(String url, String setting) throws SQLException {
        if (!PostgresUrl.isPostgres(url)) {
            throw new SQLException(setting + " must be a PostgreSQL URL, such as postgresql://user@host:5432/cnlearn or"
                    + " jdbc:postgresql://host:5432/cnlearn; it is " + redact(url) + ". Nothing was changed.", "08001");
        }
        try {
            return PostgresUrl.parse(url);
        } catch (IllegalArgumentException e) {
            throw new SQLException(setting + " cannot be used: " + Secrets.mask(e.getMessage()) + " (it is " + redact(url)
                    + "). Nothing was changed.", "08001");
        }
    }

    /**
     * A URL given in a setting of the author's goals (-Ddesired): any form {@link PostgresUrl} reads, on the
     * command line, so a password inside it is warned about ({@link #passwordWarning()}).
     *
     * @throws SQLException when it cannot be used, saying why, by the setting's name, without its password
     */
    public static ConnectionSettings ofUrl(String url, String setting) throws SQLException {
        PostgresUrl parsed = parse(url, setting);
        return explicit(parsed, null, null).from(setting)
                .exposed(parsed.password() != null ? new Exposure("a password inside " + setting, true) : null);
    }

    /** Whether a setting's value is meant as a URL (it has a scheme), rather than a file, say. */
    public static boolean looksLikeUrl(String value) {
        return value != null && (value.startsWith("jdbc:") || value.matches("(?s)^[A-Za-z][A-Za-z0-9+.\\-]*://.*"));
    }

    /** The same settings, as set by the named setting. */
    ConnectionSettings from(String setting) {
        return new ConnectionSettings(url, username, password, setting, lockTimeout, exposure);
    }

    /** Where a user sets this URL, for messages; null for the embedded server. */
    String source() {
        return source;
    }

    /** An embedded server of this project's (the default, or drift's reference). */
    boolean isEmbedded() {
        return source == EMBEDDED;
    }

    /**
     * A PostgreSQL URL of the user's own that a goal connects to besides the target: the diff goal's
     * -Dliquibase.referenceUrl. pom.xml gives the plugin's referencePassword the stand-in, so the
     * password is -Dliquibase.referencePassword (or one inside the URL, or PostgreSQL's password file).
     */
    static ConnectionSettings reference(String url, Properties given, Properties system) throws SQLException {
        boolean standIn = HIDDEN_PASSWORD.equals(given.getProperty("password"));
        String password = standIn ? blankToNull(system.getProperty("liquibase.referencePassword")) : blankToNull(given.getProperty("password"));
        PostgresUrl parsed = parse(url, "-Dliquibase.referenceUrl");
        Exposure exposure = parsed.password() != null ? new Exposure("a password inside -Dliquibase.referenceUrl", true)
                : standIn && password != null ? new Exposure(REFERENCE_PASSWORD, true) : null;
        return explicit(parsed, blankToNull(given.getProperty("user")), password).exposed(exposure);
    }

    /**
     * Settings for a URL in any form {@link PostgresUrl} reads. A user or password inside the URL wins
     * over the ones given (as in libpq and pgJDBC), and moves out of it, so that the URL can be shown
     * (and kept by the connection, which Liquibase prints) without it.
     *
     * @throws IllegalArgumentException when the URL cannot be used, saying why without its password
     */
    public static ConnectionSettings explicit(String url, String username, String password) {
        return explicit(PostgresUrl.parse(url), username, password);
    }

    private static ConnectionSettings explicit(PostgresUrl url, String username, String password) {
        return new ConnectionSettings(url.jdbcUrl(), url.user() != null ? url.user() : username,
                url.password() != null ? url.password() : password, "the URL", null, null);
    }

    /** Opens the connection, or fails with a message that names the server but never the password. */
    public Connection open() throws SQLException {
        Properties properties = new Properties();
        if (username != null) {
            properties.setProperty("user", username);
        }
        if (password != null) {
            properties.setProperty("password", password);
        }
        properties.setProperty("connectTimeout", Integer.toString(CONNECT_TIMEOUT_SECONDS));
        properties.setProperty("loginTimeout", Integer.toString(LOGIN_TIMEOUT_SECONDS));
        properties.setProperty("ApplicationName", "cnlearn-db");
        try {
            Connection connection = new org.postgresql.Driver().connect(url, properties);
            if (connection == null) {
                throw new SQLException("Not a PostgreSQL JDBC URL: " + redact(url), "08001");
            }
            configureSession(connection, lockTimeout);
            return connection;
        } catch (SessionSettingException e) {
            throw e;
        } catch (SQLException e) {
            String reason = Secrets.mask(redact(rootMessage(e))).strip();
            reason = reason.endsWith(".") ? reason.substring(0, reason.length() - 1) : reason;
            // (not the driver's exception as its cause: its reason is said, and it may say back what it was given)
            throw new SQLException("Cannot connect to " + describe() + ": " + reason
                    + (e.getSQLState() == null ? "" : " (SQL state " + e.getSQLState() + ")")
                    + ". Check the URL, user and password (docs/configuration.md).", e.getSQLState());
        }
    }

    /**
     * Opens the database a command works on: refused, and closed, unless a migration can own its session
     * (not behind a pooler in transaction mode) and, for a command that writes, write in it (not a
     * standby, not read-only); see SessionCheck. This project's own embedded server needs no check.
     */
    public Connection openTarget(boolean writes) throws SQLException {
        if (isEmbedded()) {
            return open();
        }
        SessionCheck.SecondConnection second = SessionCheck.SecondConnection.open(this); // the pooler check's
        Connection connection;
        try {
            connection = open();
        } catch (SQLException e) {
            second.discard();
            throw e;
        }
        SessionCheck.refuseUnfitTarget(this, connection, source, writes, second);
        return connection;
    }

    /**
     * The line that names the target before anything changes: the URL without its password, the role
     * the server says this session has, and the server's version.
     */
    public String nameTarget(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT session_user, current_setting('server_version')")) {
            rs.next();
            return "[cnlearn-db] database: " + redact(url) + " as " + rs.getString(1) + ", PostgreSQL "
                    + rs.getString(2).split(" ")[0];
        }
    }

    /** The lock timeout, and (PostgreSQL 14+) a check that ends the work of a client that died mid-statement. */
    private static void configureSession(Connection connection, String given) throws SQLException {
        String lockTimeout = firstNonBlank(given, System.getProperty(LOCK_TIMEOUT_PROPERTY), System.getenv(LOCK_TIMEOUT_VARIABLE), DEFAULT_LOCK_TIMEOUT);
        try (java.sql.PreparedStatement statement = connection.prepareStatement("SELECT set_config('lock_timeout', ?, false)")) {
            statement.setString(1, lockTimeout);
            statement.execute();
        } catch (SQLException e) {
            connection.close();
            throw new SessionSettingException("The lock timeout '" + lockTimeout + "' (" + LOCK_TIMEOUT_PROPERTY + " / "
                    + LOCK_TIMEOUT_VARIABLE + ") is not valid: give a PostgreSQL duration such as 30s or 2min.");
        }
        if (connection.getMetaData().getDatabaseMajorVersion() >= 14) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET client_connection_check_interval = '1s'");
            }
        }
    }

    private static final class SessionSettingException extends SQLException {
        SessionSettingException(String message) {
            super(message, "22023");
        }
    }

    /** The URL without any password, and the user: what a message may show. */
    public String describe() {
        return redact(url) + (username != null ? " as " + username : "");
    }

    public String url() {
        return url;
    }

    public String username() {
        return username;
    }

    public String password() {
        return password;
    }

    /** The text with every URL's password and user-info hidden, and every password this run knows. */
    public static String redact(String text) {
        return Secrets.mask(PostgresUrl.redact(text));
    }

    private static String rootMessage(Throwable e) {
        String message = e.getMessage();
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null && (message == null || !message.contains(cause.getMessage()))) {
                // in words: pgJDBC only says "The connection attempt failed." of a host DNS does not know
                String said = cause instanceof java.net.UnknownHostException ? "unknown host " + cause.getMessage() : cause.getMessage();
                message = (message == null ? "" : message + " ") + "(" + said + ")";
            }
        }
        return message;
    }

    private static String firstNonBlank(String... values) {
        for (String value : values) {
            if (blankToNull(value) != null) {
                return value;
            }
        }
        return null;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
