package org.cnlearn.db.plan;

import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.LiquibaseException;
import liquibase.resource.ResourceAccessor;
import org.cnlearn.db.connection.ConnectionSettings;
import org.cnlearn.db.connection.JdbcQueries;
import org.cnlearn.db.connection.PostgresVersions;
import org.cnlearn.db.drift.Drift;
import org.cnlearn.db.lint.ChangelogLint;
import org.cnlearn.db.lint.Finding;
import org.cnlearn.db.report.FailureReport;
import org.cnlearn.db.scratch.ChangelogRun;
import org.cnlearn.db.scratch.ScratchDatabases;
import org.cnlearn.db.settings.ReportFormat;
import org.cnlearn.db.settings.SettingValue;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * {@code cnlearn:plan}: what each pending changeset will lock, rewrite and scan on the target, before it
 * runs there. The target is only read, in read-only transactions: its history, its schema (through
 * drift detection, which builds what its applied changesets build on a throwaway PostgreSQL of its
 * major, and says where the target differs) and the sizes of the tables the pending statements touch.
 * The pending changesets then run on that copy, which holds no rows, statement by statement, traced
 * ({@link StatementTracer}); a lock and a rewrite are the same on an empty table as on a full one,
 * and the target's sizes say how long they would last.
 */
public final class Plan {

    /** Rows from which a write-blocking rewrite or scan is risky; a setting of the user's. */
    public static final String RISKY_ROWS_PROPERTY = "cnlearn.plan.riskyRows";
    public static final long DEFAULT_RISKY_ROWS = 100_000;

    private Plan() {
    }

    /**
     * The goal: the plan for the goals' target, as text to {@code info}, or as JSON or Markdown to {@code out}
     * (standard output, which with -q holds nothing else). A changeset that fails on the copy fails the goal.
     */
    public static void run(ResourceAccessor accessor, String changelogFile, String format, String riskyRows, Consumer<String> info,
                           Consumer<String> out) throws Exception {
        ReportFormat form = ReportFormat.of("-D" + ReportFormat.PROPERTY, format);
        long risky = riskyRows == null || riskyRows.isBlank() ? DEFAULT_RISKY_ROWS : SettingValue.rows("-D" + RISKY_ROWS_PROPERTY, riskyRows);
        run(ConnectionSettings.forGoals(), Plan::embedded, accessor, changelogFile, form, risky, info, out);
    }

    /** The plan for that target, its copy made where {@code copies} says, in that form (the goal's, the launcher's). */
    public static void run(ConnectionSettings target, Copies copies, ResourceAccessor accessor, String changelogFile, ReportFormat form,
                           long riskyRows, Consumer<String> info, Consumer<String> out) throws Exception {
        report(make(target, copies, accessor, changelogFile, riskyRows, info), form, info, out);
    }

    /** A copy of the target's major on a throwaway embedded PostgreSQL, as the goals make one. */
    static ScratchDatabases embedded(int major) throws SQLException {
        List<Integer> supported = PostgresVersions.supported(System.getProperties());
        if (!supported.contains(major)) {
            throw new PlanFailure("The target runs PostgreSQL " + major + ", and the plan is traced on a copy of the same major,"
                    + " which this project does not embed (it supports PostgreSQL " + PostgresVersions.range(supported) + ").");
        }
        return ScratchDatabases.start(major);
    }

    /** Where the copy is made, for the target's major. */
    @FunctionalInterface
    public interface Copies {
        ScratchDatabases of(int major) throws SQLException;
    }

    /** The plan in that form: text to {@code info}, JSON or Markdown to {@code out}; a changeset that fails on the copy fails it. */
    private static void report(PlanReport plan, ReportFormat form, Consumer<String> info, Consumer<String> out) {
        switch (form) {
            case JSON -> out.accept(PlanOutput.json(plan));
            case MARKDOWN -> out.accept(PlanOutput.markdown(plan));
            case TEXT -> PlanOutput.text(plan).forEach(info);
        }
        PlanReport.Changeset failed = plan.failed();
        if (failed != null) {
            throw new PlanFailure("Changeset " + failed.id() + " (" + failed.file() + ") fails on a copy of the target's schema: "
                    + failed.failure() + " Update would fail there the same way. The target was not changed.");
        }
    }

    /** Plans the pending changesets of that changelog for the target. A changeset that fails on the copy ends the plan, and is named. */
    static PlanReport make(ConnectionSettings settings, Copies copies, ResourceAccessor accessor, String changelogFile, long riskyRows,
                           Consumer<String> info) throws Exception {
        if (settings.passwordWarning() != null) {
            info.accept(settings.passwordWarning());
        }
        try (Connection target = settings.openTarget(false)) {
            info.accept(settings.nameTarget(target));
            JdbcQueries.execute(target, "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY");
            int major = target.getMetaData().getDatabaseMajorVersion();
            String targetVersion = JdbcQueries.single(target, "SELECT current_setting('server_version')", rs -> rs.getString(1)).split(" ")[0];
            try (ScratchDatabases scratch = copies.of(major)) {
                scratch.create("plan");
                Drift drift = copy(target, scratch, accessor, changelogFile);
                List<Finding> findings = new ArrayList<>();
                ChangelogRun.run(accessor, () -> findings.addAll(ChangelogLint.lint(drift.changelog(), changelogFile, accessor)));
                String schema = JdbcQueries.single(target, "SELECT current_schema()", rs -> rs.getString(1));
                List<Traced> traced = trace(scratch, schema, accessor, drift.changelog(), drift.pending());
                Set<String> tables = new TreeSet<>();
                traced.forEach(t -> t.statements().forEach(s -> tables.addAll(PlanReport.touched(s))));
                Map<String, TargetSizes.Size> sizes = TargetSizes.read(target, tables);
                List<PlanReport.Changeset> changesets = new ArrayList<>();
                for (Traced each : traced) {
                    ChangeSet changeSet = each.changeSet();
                    String file = DatabaseChangeLog.normalizePath(changeSet.getFilePath());
                    List<String> lint = findings.stream().filter(f -> changeSet.getId().equals(f.changeset()) && file.equals(f.file()))
                            .map(Finding::line).toList();
                    changesets.add(new PlanReport.Changeset(changeSet.getId(), changeSet.getAuthor(), file, lint,
                            each.statements().stream().map(s -> PlanReport.judge(s, sizes, riskyRows)).toList(), each.failure()));
                }
                return new PlanReport(settings.describe(), targetVersion, scratch.version(), riskyRows,
                        drift.found() ? drift.report() : List.of(), changesets);
            }
        }
    }

    /** Builds the copy: what the target's applied changesets build, and how the target differs from it. */
    private static Drift copy(Connection target, ScratchDatabases scratch, ResourceAccessor accessor, String changelogFile) throws Exception {
        Drift[] drift = new Drift[1];
        try (Connection copy = scratch.connect("plan")) {
            Database targetDatabase = database(target);
            Database copyDatabase = database(copy);
            ChangelogRun.run(accessor, () -> drift[0] = Drift.detect(targetDatabase, copyDatabase, changelogFile));
        }
        return drift[0];
    }

    /** A pending changeset's statements as they ran on the copy; and, if it failed there, why. */
    private record Traced(ChangeSet changeSet, List<StatementTracer.Traced> statements, String failure) {
    }

    private static List<Traced> trace(ScratchDatabases scratch, String schema, ResourceAccessor accessor, DatabaseChangeLog changelog,
                                      List<ChangeSet> pending) throws Exception {
        List<Traced> traced = new ArrayList<>();
        try (Connection copy = scratch.connect("plan")) {
            if (schema != null) {
                // the target's schema (?currentSchema=app), which the copy was built in
                JdbcQueries.execute(copy, "SET search_path TO " + JdbcQueries.quoted(schema));
            }
            StatementTracer tracer = new StatementTracer(copy, () -> scratch.connect("plan"));
            ChangelogRun run = new ChangelogRun(tracer.connection(), accessor);
            for (ChangeSet changeSet : pending) {
                tracer.start();
                List<List<StatementTracer.Traced>> ran = new ArrayList<>();
                try {
                    run.apply(changelog, changeSet, () -> ran.add(tracer.stop()));
                } catch (LiquibaseException | RuntimeException e) {
                    List<StatementTracer.Traced> before = ran.isEmpty() ? tracer.stop() : ran.get(0);
                    traced.add(new Traced(changeSet, before, FailureReport.reason(e)));
                    break; // the changesets after it build on it
                }
                traced.add(new Traced(changeSet, ran.get(0), null));
            }
        }
        return traced;
    }

    private static Database database(Connection connection) throws LiquibaseException {
        return DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(connection));
    }

    /** A plan that cannot be made, in words for the person who asked. The target was not changed. */
    public static final class PlanFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PlanFailure(String message) {
            super(message);
        }
    }
}
