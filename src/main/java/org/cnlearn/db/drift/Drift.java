package org.cnlearn.db.drift;

import org.cnlearn.db.connection.JdbcQueries;

import liquibase.Scope;
import liquibase.changelog.ChangeLogParameters;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.database.Database;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.LiquibaseException;
import liquibase.parser.ChangeLogParserFactory;
import liquibase.resource.ResourceAccessor;
import org.cnlearn.db.catalog.CatalogComparison;
import org.cnlearn.db.catalog.CatalogObject;
import org.cnlearn.db.catalog.Difference;
import org.cnlearn.db.catalog.SchemaCatalog;
import org.cnlearn.db.report.JsonDocument;
import org.cnlearn.db.scratch.ChangelogRun;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Has the database been changed by hand? The reference database gets exactly the changesets the
 * target records as applied, in the target's order; then both are read through {@link SchemaCatalog}
 * and compared. Pending changesets are not drift. The target is only read.
 */
public final class Drift {

    /** The changelog the goals use; pom.xml passes it to the plugin. */
    public static final String CHANGELOG_PROPERTY = "cnlearn.changelog";

    private final int applied;
    private final DatabaseChangeLog changelog;
    private final List<ChangeSet> pending;
    private final List<String> unknown;
    private final List<Difference> differences;
    private final List<CatalogObject> referenceObjects;
    private final String referenceVersion;

    private Drift(int applied, DatabaseChangeLog changelog, List<ChangeSet> pending, List<String> unknown, List<Difference> differences,
                  List<CatalogObject> referenceObjects, String referenceVersion) {
        this.referenceVersion = referenceVersion;
        this.applied = applied;
        this.changelog = changelog;
        this.pending = pending;
        this.unknown = unknown;
        this.differences = differences;
        this.referenceObjects = referenceObjects;
    }

    /**
     * Builds the reference (an empty database of the target's major) from the changelog and compares.
     */
    public static Drift detect(Database target, Database reference, String changelogFile) throws LiquibaseException, SQLException {
        ResourceAccessor accessor = Scope.getCurrentScope().getResourceAccessor();
        DatabaseChangeLog changelog = ChangeLogParserFactory.getInstance().getParser(changelogFile, accessor)
                .parse(changelogFile, new ChangeLogParameters(reference), accessor);
        List<String[]> ran = appliedChangesets(target);
        List<ChangeSet> toApply = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        Set<String> ranKeys = new HashSet<>();
        for (String[] record : ran) {
            ChangeSet changeSet = changelog.getChangeSet(record[0], record[2], record[1]);
            if (changeSet == null) {
                unknown.add(record[0] + "::" + record[1] + "::" + record[2]);
            } else {
                toApply.add(changeSet);
                ranKeys.add(keyOf(changeSet));
            }
        }
        List<ChangeSet> pending = changelog.getChangeSets().stream().filter(c -> !ranKeys.contains(keyOf(c))).toList();
        inTargetsSchema(target, reference);
        build(reference, changelog, toApply);
        List<CatalogObject> built = SchemaCatalog.read(jdbc(reference));
        List<CatalogObject> found = SchemaCatalog.read(jdbc(target));
        return new Drift(toApply.size(), changelog, pending, unknown, CatalogComparison.compare(built, found), built,
                reference.getDatabaseProductVersion());
    }

    /**
     * A target that works in another schema (?currentSchema=app) gets its reference built in a schema of that name,
     * or every object would differ by its schema alone.
     */
    private static void inTargetsSchema(Database target, Database reference) throws LiquibaseException, SQLException {
        String schema = target.getDefaultSchemaName();
        if (schema == null || schema.equals(reference.getDefaultSchemaName())) {
            return;
        }
        String quoted = JdbcQueries.quoted(schema);
        try (java.sql.Statement statement = jdbc(reference).createStatement()) {
            statement.execute("CREATE SCHEMA IF NOT EXISTS " + quoted);
            statement.execute("SET search_path TO " + quoted);
        }
        reference.setDefaultSchemaName(schema);
    }

    private static String keyOf(ChangeSet changeSet) {
        return changeSet.getId() + "::" + changeSet.getAuthor() + "::" + DatabaseChangeLog.normalizePath(changeSet.getFilePath());
    }

    /** filename, id, author of each changeset the target records, in the order they ran (none if it has no history). */
    private static List<String[]> appliedChangesets(Database target) throws SQLException, LiquibaseException {
        Connection connection = jdbc(target);
        String table = target.getDatabaseChangeLogTableName().toLowerCase();
        String schema = target.getLiquibaseSchemaName() != null ? target.getLiquibaseSchemaName() : target.getDefaultSchemaName();
        if (!JdbcQueries.bool(connection, "SELECT EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname = ? AND c.relname = ?)", schema, table)) {
            return List.of();
        }
        return JdbcQueries.list(connection, "SELECT filename, id, author FROM " + target.escapeTableName(null, schema, table)
                + " ORDER BY orderexecuted, dateexecuted", rs -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
    }

    /** Runs the changesets on the reference, quietly: it is scratch, and its messages would read as the target's. */
    private static void build(Database reference, DatabaseChangeLog changelog, List<ChangeSet> changeSets) throws LiquibaseException {
        ChangelogRun run = new ChangelogRun(reference, Scope.getCurrentScope().getResourceAccessor());
        for (ChangeSet changeSet : changeSets) {
            run.apply(changelog, changeSet);
        }
    }

    private static Connection jdbc(Database database) throws LiquibaseException {
        if (!(database.getConnection() instanceof JdbcConnection)) {
            throw new LiquibaseException("drift detection needs live database connections");
        }
        return ((JdbcConnection) database.getConnection()).getUnderlyingConnection();
    }

    /** The one line a failed goal ends with. */
    public String verdict() {
        int count = differences.size() + unknown.size();
        // not the report's heading again: a failed run says its reason once, and Maven's closing block once more
        return "Drift found in " + count + (count == 1 ? " place" : " places")
                + " (listed above): keep the changes with -Dliquibase.diffChangeLogFile=…, or undo them (docs/drift.md).";
    }

    /** The changesets the database records that the changelog does not have (file::id::author). */
    public List<String> unknown() {
        return unknown;
    }

    /** The report as data (docs/ci.md): whether there is drift, each difference, and the counts. */
    public String json() {
        return JsonDocument.of("diff", json -> {
            json.writeBooleanField("drift", found());
            json.writeNumberField("applied", applied);
            json.writeNumberField("pending", pending.size());
            json.writeStringField("reference_server_version", referenceVersion);
            json.writeArrayFieldStart("differences");
            for (Difference difference : differences) {
                json.writeStartObject();
                json.writeStringField("kind", difference.kind().words);
                json.writeStringField("name", difference.qualifiedName());
                json.writeStringField("changelog_builds", difference.from() == null ? null : difference.from().definition());
                json.writeStringField("database_has", difference.target() == null ? null : difference.target().definition());
                json.writeStringField("line", difference.line());
                json.writeEndObject();
            }
            json.writeEndArray();
            JsonDocument.strings(json, "unknown_changesets", unknown);
        });
    }

    public boolean found() {
        return !differences.isEmpty() || !unknown.isEmpty();
    }

    public List<Difference> differences() {
        return differences;
    }

    /** Everything the reference holds: what the applied changesets build. */
    public List<CatalogObject> referenceObjects() {
        return referenceObjects;
    }

    public int applied() {
        return applied;
    }

    /** The changelog as read for this comparison. */
    public DatabaseChangeLog changelog() {
        return changelog;
    }

    /** The changesets the target has not applied, in the changelog's order. */
    public List<ChangeSet> pending() {
        return pending;
    }

    /** The report: one line per difference, then the pending changesets. */
    public List<String> report() {
        List<String> lines = new ArrayList<>();
        String changesets = applied + " applied " + (applied == 1 ? "changeset" : "changesets");
        lines.add("Reference: a scratch PostgreSQL " + referenceVersion + " database, built from the " + changesets
                + " the database records, in its order.");
        if (!found()) {
            lines.add("No drift: the database matches its " + changesets + ".");
        } else {
            int count = differences.size() + unknown.size();
            lines.add("Drift: the database differs from what its " + changesets + (applied == 1 ? " builds" : " build") + ", in "
                    + count + (count == 1 ? " place:" : " places:"));
            for (Difference difference : differences) {
                lines.add("  " + difference.line());
            }
            for (String changeset : unknown) {
                lines.add("  changeset " + changeset + ": the changelog has no such changeset; the database records it as applied");
            }
        }
        if (!pending.isEmpty()) {
            lines.add(pending.size() + (pending.size() == 1 ? " changeset is" : " changesets are") + " pending (not applied yet, so not drift):"
                    + " ./mvnw liquibase:status lists them.");
        }
        if (!differences.isEmpty()) {
            lines.add("To keep these changes, capture them as a changeset: ./mvnw liquibase:diff"
                    + " -Dliquibase.diffChangeLogFile=db-changelog/changes/NNNN-captured-drift.yaml (docs/drift.md).");
        }
        return lines;
    }
}
