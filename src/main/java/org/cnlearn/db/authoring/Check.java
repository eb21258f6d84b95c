package org.cnlearn.db.authoring;

import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.exception.LiquibaseException;
import org.cnlearn.db.catalog.CatalogComparison;
import org.cnlearn.db.catalog.CatalogObject;
import org.cnlearn.db.catalog.Difference;
import org.cnlearn.db.catalog.SchemaCatalog;
import org.cnlearn.db.connection.PostgresVersions;
import org.cnlearn.db.lint.Finding;
import org.cnlearn.db.lint.LintReports;
import org.cnlearn.db.report.JsonDocument;
import org.cnlearn.db.scratch.ChangelogRun;
import org.cnlearn.db.scratch.ScratchDatabases;
import org.cnlearn.db.settings.ReportFormat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code cnlearn:check}, the author's and the pipeline's gate, with no database of anyone's: the lint,
 * as validate runs it; then the stairway on a throwaway PostgreSQL: each changeset applied, rolled back
 * (the schema must be exactly what it was before it) and applied again; with a desired schema, the
 * changelog must build exactly that (Alembic's check, Django's makemigrations --check).
 */
final class Check {

    private Check() {
    }

    static void run(Project project, String desiredValue, Consumer<String> info, Consumer<String> error) throws Exception {
        run(project, desiredValue, ReportFormat.TEXT, null, info, error, document -> { });
    }

    /**
     * The same, with its report as data too: as JSON on {@code out} (whether it passed, each problem, the
     * lint's findings), and the lint as SARIF in that file and, under GitHub Actions, as annotations.
     */
    static void run(Project project, String desiredValue, ReportFormat format, String sarif, Consumer<String> info,
                    Consumer<String> error, Consumer<String> out) throws Exception {
        long started = System.nanoTime();
        List<Finding> linted = new ArrayList<>();
        DesiredSchema desired = desiredValue == null || desiredValue.isBlank() ? null : DesiredSchema.of(project, desiredValue, info);
        int major = desired != null ? desired.major() : PostgresVersions.requested(System.getProperties());
        List<String> problems = new ArrayList<>();
        try (ScratchDatabases scratch = ScratchDatabases.start(major)) { // starts while the changelog is read and linted
            DatabaseChangeLog changelog = ChangelogSide.parse(project);
            List<Finding> findings = ChangelogSide.lint(project, changelog);
            linted.addAll(findings);
            findings.forEach(finding -> error.accept(finding.line()));
            ByteArrayOutputStream annotations = new ByteArrayOutputStream();
            LintReports.publish(findings, project.accessor(), project.basedir(), System.getenv(), sarif,
                    new PrintStream(annotations, true, StandardCharsets.UTF_8));
            // on their own lines of standard output, unless it holds the JSON document
            annotations.toString(StandardCharsets.UTF_8).lines()
                    .forEach(format == ReportFormat.JSON ? System.err::println : line -> out.accept(line + "\n"));
            if (!findings.isEmpty()) {
                problems.add("the lint found " + count(findings.size(), "problem") + " (listed above; docs/lint.md)");
            }
            int changesets = changelog.getChangeSets().size();
            if (findings.isEmpty()) {
                info.accept("Lint: nothing to say about the " + count(changesets, "changeset") + ".");
            }
            scratch.create("changelog");
            List<CatalogObject> built;
            String stairway;
            try (Connection connection = scratch.connect("changelog")) {
                stairway = stairway(changelog, new ChangelogRun(connection, project.accessor()), connection, error);
                if (stairway != null) {
                    problems.add(stairway);
                } else {
                    info.accept("Stairway on a throwaway PostgreSQL " + scratch.version() + ": each of the " + count(changesets, "changeset")
                            + " applies, rolls back to exactly the schema before it, and applies again.");
                }
                built = SchemaCatalog.read(connection);
            }
            if (desired != null && stairway == null) {
                List<Difference> differences = CatalogComparison.compare(built, desired.read(scratch, "desired"));
                if (differences.isEmpty()) {
                    info.accept("The changelog builds exactly the desired schema, " + desired.name() + ".");
                } else {
                    error.accept("The changelog does not build the desired schema, " + desired.name() + ", in "
                            + count(differences.size(), "place") + ":");
                    differences.forEach(d -> error.accept("  " + d.line("the changelog builds", desired.name() + " has")));
                    error.accept("To write the changesets that make it so: ./mvnw cnlearn:revision -Dmessage=\"what the change does\" -Ddesired="
                            + desired.name());
                    problems.add("the changelog does not build " + desired.name() + " (" + count(differences.size(), "difference")
                            + ", listed above)");
                }
            }
        }
        String took = String.format("%.1f s", (System.nanoTime() - started) / 1e9);
        if (format == ReportFormat.JSON) {
            out.accept(JsonDocument.of("check", json -> {
                json.writeBooleanField("ok", problems.isEmpty());
                // each problem once, without the text report's pointer to the lines above it
                JsonDocument.strings(json, "problems", problems.stream().map(p -> p.replaceAll(" \\(listed above(?:; [^)]*)?\\)", "")).toList());
                LintReports.findings(json, linted, project.accessor());
                json.writeStringField("desired", desired == null ? null : desired.name());
            }));
        }
        if (!problems.isEmpty()) {
            throw new AuthoringFailure("cnlearn:check found " + count(problems.size(), "problem") + " in " + took + ": "
                    + String.join("; ", problems) + ".");
        }
        info.accept("Checked in " + took + ".");
    }

    /**
     * Each changeset, in order: applied, rolled back (what it leaves must be what was there before it),
     * applied again (it must build what it built the first time). The first that fails is named, with
     * the differences; null when every one passes.
     */
    private static String stairway(DatabaseChangeLog changelog, ChangelogRun run, Connection connection,
                                   Consumer<String> error) throws Exception {
        List<CatalogObject> before = SchemaCatalog.read(connection);
        for (ChangeSet changeSet : changelog.getChangeSets()) {
            String name = ChangelogSide.name(changeSet);
            try {
                run.apply(changelog, changeSet);
            } catch (LiquibaseException | RuntimeException e) {
                error.accept(name + " does not apply on an empty database with the changesets before it: " + ChangelogSide.reason(e));
                return "the stairway stopped at " + name + ", which does not apply";
            }
            List<CatalogObject> after = SchemaCatalog.read(connection);
            try {
                run.rollback(changeSet);
            } catch (LiquibaseException | RuntimeException e) {
                error.accept(name + " applies, but its rollback fails: " + ChangelogSide.reason(e));
                return "the stairway stopped at " + name + ", whose rollback fails";
            }
            List<Difference> left = CatalogComparison.compare(before, SchemaCatalog.read(connection));
            if (!left.isEmpty()) {
                error.accept(name + " does not roll back to the schema before it, in " + count(left.size(), "place") + ":");
                left.forEach(d -> error.accept("  " + d.line("before it:", "after its rollback:")));
                error.accept("Make its rollback undo exactly what its changes do (docs/authoring.md).");
                return "the stairway stopped at " + name + ", whose rollback leaves a different schema";
            }
            try {
                run.apply(changelog, changeSet);
            } catch (LiquibaseException | RuntimeException e) {
                error.accept(name + " applies and rolls back, but does not apply again: " + ChangelogSide.reason(e));
                return "the stairway stopped at " + name + ", which does not apply again after its rollback";
            }
            List<CatalogObject> again = SchemaCatalog.read(connection);
            List<Difference> changed = CatalogComparison.compare(after, again);
            if (!changed.isEmpty()) {
                error.accept(name + " builds something else when applied again after its rollback, in " + count(changed.size(), "place") + ":");
                changed.forEach(d -> error.accept("  " + d.line("the first time:", "the second time:")));
                return "the stairway stopped at " + name + ", which builds something else the second time";
            }
            before = again;
        }
        return null;
    }

    static String count(int n, String thing) {
        return n + " " + (n == 1 ? thing : thing + "s");
    }
}
