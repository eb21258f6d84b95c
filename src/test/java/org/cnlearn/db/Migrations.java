package org.cnlearn.db;

import liquibase.Scope;
import liquibase.changelog.ChangeLogParameters;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.command.CommandScope;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.parser.ChangeLogParserFactory;
import liquibase.resource.DirectoryResourceAccessor;
import liquibase.resource.ResourceAccessor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs Liquibase commands in this JVM on a test database, with the project's changelog (as
 * liquibase.properties names it) and the same connection code as the Maven goals.
 */
public final class Migrations {

    public static final Path PROJECT_DIR = Paths.get(System.getProperty("basedir", "")).toAbsolutePath();
    /** The master changelog, as pom.xml names it. */
    public static final String CHANGELOG = System.getProperty("cnlearn.changelog");

    private Migrations() {
    }

    public static void update(TestDatabase db) throws Exception {
        run(db, "update", Map.of());
    }

    /** update with another master changelog (a path from the project's folder). */
    public static void update(TestDatabase db, String changelog) throws Exception {
        run(db, changelog, "update", Map.of());
    }

    /** update with another master changelog and changelog parameters (as -DslowSeconds=… sets them for the goals). */
    public static void update(TestDatabase db, String changelog, Map<String, String> parameters) throws Exception {
        run(db, changelog, "update", Map.of(), Map.of(), parameters);
    }

    /**
     * Any command with another master changelog: its arguments, values in Liquibase's scope ({@code allowDataLoss},
     * say) and changelog parameters.
     */
    public static void command(TestDatabase db, String changelog, String command, Map<String, Object> arguments,
                               Map<String, Object> scopeValues, Map<String, String> parameters) throws Exception {
        run(db, changelog, command, arguments, scopeValues, parameters);
    }

    /** rollback to a tag. */
    public static void rollbackToTag(TestDatabase db, String tag) throws Exception {
        run(db, CHANGELOG, "rollback", Map.of("tag", tag));
    }

    /** A command on the project's changelog as it is in another folder (a copy a test edited). */
    public static void runIn(Path root, TestDatabase db, String command) throws Exception {
        runIn(root, db, command, Map.of());
    }

    /** The same, with the command's arguments (rollbackCount's count, say). */
    public static void runIn(Path root, TestDatabase db, String command, Map<String, Object> arguments) throws Exception {
        runIn(root, db, command, arguments, Map.of());
    }

    /** The same, with values in Liquibase's scope ({@code allowDataLoss}, say). */
    public static void runIn(Path root, TestDatabase db, String command, Map<String, Object> arguments, Map<String, Object> scopeValues)
            throws Exception {
        try (Connection connection = db.connect()) {
            Database database = database(connection);
            Map<String, Object> values = new HashMap<>(scopeValues);
            values.put(Scope.Attr.resourceAccessor.name(), new DirectoryResourceAccessor(root));
            values.put("liquibase.analytics.enabled", false);
            Scope.child(values, () -> {
                CommandScope scope = new CommandScope(command).addArgumentValue("database", database)
                        .addArgumentValue("changelogFile", CHANGELOG);
                arguments.forEach(scope::addArgumentValue);
                scope.execute();
            });
        }
    }

    /** rollbackCount as with -DallowDataLoss=true. */
    public static void rollbackCountAllowingDataLoss(TestDatabase db, int count) throws Exception {
        run(db, CHANGELOG, "rollbackCount", Map.of("count", count), Map.of("allowDataLoss", true), Map.of());
    }

    public static void updateCount(TestDatabase db, String changelog, int count) throws Exception {
        run(db, changelog, "updateCount", Map.of("count", count));
    }

    public static void rollbackCount(TestDatabase db, String changelog, int count) throws Exception {
        run(db, changelog, "rollbackCount", Map.of("count", count));
    }

    public static void updateCount(TestDatabase db, int count) throws Exception {
        run(db, "updateCount", Map.of("count", count));
    }

    public static void rollbackCount(TestDatabase db, int count) throws Exception {
        run(db, "rollbackCount", Map.of("count", count));
    }

    public static void status(TestDatabase db) throws Exception {
        run(db, "status", Map.of());
    }

    public static void tag(TestDatabase db, String tag) throws Exception {
        run(db, "tag", Map.of("tag", tag));
    }

    /** The SQL that updateSQL writes for this database; only from an @Isolated class (UpdateSqlTest says why). */
    public static String updateSql(TestDatabase db) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Connection connection = db.connect()) {
            Database database = database(connection);
            inScope(() -> new CommandScope("updateSql")
                    .addArgumentValue("database", database)
                    .addArgumentValue("changelogFile", CHANGELOG)
                    .setOutput(out)
                    .execute());
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** A command on an open connection of the caller's (a standby's, say); what it printed. */
    public static String runOn(Connection connection, String command) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Database database = database(connection);
        inScope(() -> new CommandScope(command).addArgumentValue("database", database)
                .addArgumentValue("changelogFile", CHANGELOG).setOutput(out).execute());
        return out.toString(StandardCharsets.UTF_8);
    }

    /** What a diff command printed, and how it ended (null: it succeeded). */
    public record DiffRun(String output, Exception failure) {
    }

    /**
     * liquibase:diff (or, with a file, diffChangeLog) in this JVM, as the goal runs it, with the
     * reference database standing in for the scratch database the goal would start: an empty database
     * on the same server, so of the same major.
     */
    public static DiffRun drift(TestDatabase target, TestDatabase reference, String changelogFile) throws Exception {
        return drift(target, reference, changelogFile, CHANGELOG);
    }

    /** The same, for another master changelog. */
    public static DiffRun drift(TestDatabase target, TestDatabase reference, String changelogFile, String changelog) throws Exception {
        return diff(target, reference, changelogFile, Map.of(org.cnlearn.db.connection.DriftReference.URL_PROPERTY, reference.url(),
                "cnlearn.changelog", changelog));
    }

    /** liquibase:diff between two databases, as stock Liquibase does with -Dliquibase.referenceUrl. */
    public static DiffRun diff(TestDatabase target, TestDatabase reference, String changelogFile) throws Exception {
        return diff(target, reference, changelogFile, Map.of());
    }

    private static DiffRun diff(TestDatabase target, TestDatabase reference, String changelogFile, Map<String, Object> scope) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Connection targetConnection = target.connect(); Connection referenceConnection = reference.connect()) {
            Database targetDatabase = database(targetConnection);
            Database referenceDatabase = database(referenceConnection);
            try {
                inScope(scope, () -> {
                    CommandScope command = new CommandScope(changelogFile == null ? "diff" : "diffChangelog")
                            .addArgumentValue("database", targetDatabase)
                            .addArgumentValue("referenceDatabase", referenceDatabase)
                            .setOutput(out);
                    if (changelogFile != null) {
                        command.addArgumentValue("changelogFile", changelogFile);
                    }
                    command.execute();
                });
            } catch (Exception e) {
                return new DiffRun(out.toString(StandardCharsets.UTF_8), e);
            }
        }
        return new DiffRun(out.toString(StandardCharsets.UTF_8), null);
    }

    /** The changesets of the master changelog, in the order they apply. */
    public static List<ChangeSet> changesets() throws Exception {
        DatabaseChangeLog[] changelog = new DatabaseChangeLog[1];
        inScope(() -> {
            ResourceAccessor accessor = Scope.getCurrentScope().getResourceAccessor();
            changelog[0] = ChangeLogParserFactory.getInstance().getParser(CHANGELOG, accessor)
                    .parse(CHANGELOG, new ChangeLogParameters(), accessor);
        });
        return changelog[0].getChangeSets();
    }

    private static void run(TestDatabase db, String command, Map<String, Object> arguments) throws Exception {
        run(db, CHANGELOG, command, arguments);
    }

    private static void run(TestDatabase db, String changelog, String command, Map<String, Object> arguments) throws Exception {
        run(db, changelog, command, arguments, Map.of(), Map.of());
    }

    private static void run(TestDatabase db, String changelog, String command, Map<String, Object> arguments,
                            Map<String, Object> scopeValues, Map<String, String> parameters) throws Exception {
        try (Connection connection = db.connect()) {
            Database database = database(connection);
            inScope(scopeValues, () -> {
                CommandScope scope = new CommandScope(command)
                        .addArgumentValue("database", database)
                        .addArgumentValue("changelogFile", changelog);
                arguments.forEach(scope::addArgumentValue);
                if (!parameters.isEmpty()) {
                    liquibase.changelog.ChangeLogParameters changelogParameters = new liquibase.changelog.ChangeLogParameters(database);
                    parameters.forEach(changelogParameters::set);
                    scope.addArgumentValue("changelogParameters", changelogParameters);
                }
                scope.execute();
            });
        }
    }

    private static Database database(Connection connection) throws Exception {
        return DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(connection));
    }

    private static void inScope(Scope.ScopedRunner<?> runner) throws Exception {
        inScope(Map.of(), runner);
    }

    private static void inScope(Map<String, Object> extra, Scope.ScopedRunner<?> runner) throws Exception {
        Map<String, Object> values = new HashMap<>(extra);
        values.put(Scope.Attr.resourceAccessor.name(), new DirectoryResourceAccessor(PROJECT_DIR));
        values.put("liquibase.analytics.enabled", false);
        Scope.child(values, runner);
    }

    /** A test resource as text. */
    public static String resource(String name) {
        try (InputStream in = Migrations.class.getResourceAsStream("/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The lines of a test resource, less comments and blank lines. */
    public static List<String> expectedLines(String name) {
        return resource(name).lines().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
    }

    /** The messages of an exception and its causes, as a user would read them. */
    public static String messages(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        return all.toString();
    }
}
