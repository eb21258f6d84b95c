package org.cnlearn.db.authoring;

import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.exception.LiquibaseException;
import liquibase.resource.DirectoryResourceAccessor;
import org.cnlearn.db.catalog.CatalogComparison;
import org.cnlearn.db.catalog.CatalogObject;
import org.cnlearn.db.catalog.CatalogObject.Kind;
import org.cnlearn.db.catalog.Difference;
import org.cnlearn.db.catalog.SchemaCatalog;
import org.cnlearn.db.catalog.ViewShapes;
import org.cnlearn.db.lint.ChangelogLint;
import org.cnlearn.db.lint.Finding;
import org.cnlearn.db.lint.Rule;
import org.cnlearn.db.scratch.ChangelogRun;
import org.cnlearn.db.scratch.ScratchDatabases;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code cnlearn:revision -Ddesired=…}: what the changelog builds, and the desired schema, each on a
 * scratch database of one throwaway PostgreSQL; their differences as changesets ({@link ChangePlan});
 * then the file is proven before it is written: on a copy of what the changelog builds, it must build
 * exactly the desired schema, roll back to exactly the schema before it, apply again, and pass the lint.
 */
final class Autogenerate {

    /** The file's text (null: nothing differs), how many changesets, what they do, and the desired schema's name. */
    record Result(String yaml, int changesets, String summary, String desired) {
    }

    private Autogenerate() {
    }

    static Result run(Project project, DesiredSchema desired, Renames renames, boolean allowDataLoss, String stem, String author,
                      String message) throws Exception {
        DatabaseChangeLog changelog = ChangelogSide.parse(project);
        try (ScratchDatabases scratch = ScratchDatabases.start(desired.major())) {
            scratch.create("changelog");
            List<CatalogObject> built;
            try (Connection connection = scratch.connect("changelog")) {
                ChangelogRun run = new ChangelogRun(connection, project.accessor());
                for (ChangeSet changeSet : changelog.getChangeSets()) {
                    try {
                        run.apply(changelog, changeSet);
                    } catch (LiquibaseException | RuntimeException e) {
                        throw new AuthoringFailure("The changelog does not build: " + ChangelogSide.name(changeSet) + " fails on an empty"
                                + " database: " + ChangelogSide.reason(e) + " Fix it first (./mvnw cnlearn:check). Nothing was written.");
                    }
                }
            }
            try (Connection connection = scratch.connect("changelog")) {
                built = SchemaCatalog.read(connection);
            }
            List<CatalogObject> wanted = desired.read(scratch, "desired");
            ViewShapes wantedViews = desired.views(scratch, "desired");

            Renaming.Renamed renamed = Renaming.Renamed.none();
            List<CatalogObject> before = built;
            if (!renames.isEmpty()) {
                renamed = Renaming.apply(renames, scratch, built, wanted, desired);
                try (Connection connection = scratch.connect("renamed")) {
                    before = SchemaCatalog.read(connection);
                }
            }
            List<Difference> differences = CatalogComparison.compare(before, wanted);
            Renaming.Renamed retyped = Renaming.retype(differences, scratch, !renames.isEmpty(), desired);
            if (!retyped.isEmpty()) {
                renamed = renamed.and(retyped);
                try (Connection connection = scratch.connect("renamed")) {
                    before = SchemaCatalog.read(connection);
                }
                differences = CatalogComparison.compare(before, wanted);
            }
            ViewShapes beforeViews;
            try (Connection connection = scratch.connect(renamed.isEmpty() && renames.isEmpty() ? "changelog" : "renamed")) {
                beforeViews = ViewShapes.read(connection);
            }
            if (differences.isEmpty() && renamed.isEmpty()) {
                return new Result(null, 0, "", desired.name());
            }
            if (!allowDataLoss) {
                Renaming.askIfAmbiguous(differences, before, wanted, desired, scratch);
            }
            List<ChangePlan.Planned> planned = ChangePlan.plan(before, wanted, differences, renamed, beforeViews, wantedViews);
            List<String> ids = Revision.ids(stem, planned.size());
            String yaml = yaml(planned, ids, author, message, desired);
            yaml = lint(yaml, planned, ids, author, message, desired, stem, known(before));
            prove(scratch, project, yaml, stem, built, wanted, desired);
            return new Result(yaml, planned.size(), String.join("; ", planned.stream().map(ChangePlan.Planned::what).toList()),
                    desired.name());
        }
    }

    /** The file: a header, then one changeset per step, each with its comment (and waiver), changes and rollback. */
    private static String yaml(List<ChangePlan.Planned> planned, List<String> ids, String author, String message, DesiredSchema desired) {
        return yaml(planned, ids, author, message, desired, Map.of());
    }

    private static String yaml(List<ChangePlan.Planned> planned, List<String> ids, String author, String message, DesiredSchema desired,
                               Map<String, List<ChangePlan.Waiver>> waivers) {
        StringBuilder out = new StringBuilder();
        out.append("# ").append(message.replace("\n", " ")).append('\n')
                .append("# Written by ./mvnw cnlearn:revision -Ddesired=").append(desired.name()).append(" on ").append(LocalDate.now())
                .append(": what the changelog did not build yet,\n")
                .append("# in dependency order, lock-safe on tables that exist, each changeset with the rollback that restores exactly\n")
                .append("# the schema before it. Tried on a scratch database before it was written. Review it, then commit it.\n");
        List<Object> changeSets = new ArrayList<>();
        for (int i = 0; i < planned.size(); i++) {
            ChangePlan.Planned step = planned.get(i);
            Map<String, Object> changeSet = new LinkedHashMap<>();
            changeSet.put("id", ids.get(i));
            changeSet.put("author", author);
            if (step.label() != null) {
                changeSet.put("labels", step.label());
            }
            StringBuilder comment = new StringBuilder(message + (message.endsWith(".") ? "" : ".") + " This changeset: " + step.what() + ".");
            List<ChangePlan.Waiver> all = new ArrayList<>(waivers.getOrDefault(ids.get(i), List.of()));
            if (step.waiver() != null) {
                all.add(0, step.waiver());
            }
            for (ChangePlan.Waiver waiver : all) {
                comment.append(" lint-waiver(").append(waiver.rule()).append("): ").append(waiver.reason()).append('.');
            }
            changeSet.put("comment", comment.toString());
            if (!step.runInTransaction()) {
                changeSet.put("runInTransaction", false);
            }
            changeSet.put("changes", step.changes());
            changeSet.put("rollback", step.rollback());
            changeSets.add(Map.of("changeSet", changeSet));
        }
        Yaml.write(out, Map.of("databaseChangeLog", changeSets), 0);
        return out.toString();
    }

    /**
     * The lint, on the file alone (a table it does not create is live): the changes must pass as they
     * are. A rollback that restores a schema the lint would not let a change build (a NOT NULL set again,
     * a unique constraint rebuilt) carries a waiver that says so; anything else is this generator's
     * mistake, and nothing is written.
     */
    private static String lint(String yaml, List<ChangePlan.Planned> planned, List<String> ids, String author, String message,
                               DesiredSchema desired, String stem, List<ChangelogLint.KnownColumn> known) throws Exception {
        List<Finding> findings = lintAlone(yaml, stem, known);
        Map<String, List<ChangePlan.Waiver>> waivers = new LinkedHashMap<>();
        List<String> wrong = new ArrayList<>();
        for (Finding finding : findings) {
            int step = ids.indexOf(finding.changeset());
            ChangePlan.Waiver asked = step < 0 ? null : planned.get(step).waiver();
            if (asked != null && asked.rule().equals(finding.rule().id)) {
                continue;
            }
            if (finding.what().startsWith("its rollback: ") && finding.rule() != Rule.INVALID_WAIVER) {
                List<ChangePlan.Waiver> own = waivers.computeIfAbsent(finding.changeset(), id -> new ArrayList<>());
                if (own.stream().noneMatch(w -> w.rule().equals(finding.rule().id))) {
                    own.add(new ChangePlan.Waiver(finding.rule().id, "only its rollback does this, to restore exactly the schema before the"
                            + " changeset"));
                }
            } else {
                wrong.add(finding.line());
            }
        }
        if (!wrong.isEmpty()) {
            throw new AuthoringFailure("The changesets written for " + desired.name() + " would break the changelog rules, so nothing was"
                    + " written: " + String.join(" ", wrong));
        }
        if (waivers.isEmpty()) {
            return yaml;
        }
        String waived = yaml(planned, ids, author, message, desired, waivers);
        List<Finding> left = lintAlone(waived, stem, known);
        if (!left.isEmpty()) {
            throw new AuthoringFailure("The changesets written for " + desired.name() + " would break the changelog rules, so nothing was"
                    + " written: " + String.join(" ", left.stream().map(Finding::line).toList()));
        }
        return waived;
    }

    /** The columns the file runs on, with their types: the lint judges a type change against them, as validate does. */
    private static List<ChangelogLint.KnownColumn> known(List<CatalogObject> before) {
        return before.stream().filter(o -> o.kind() == Kind.COLUMN)
                .map(o -> new ChangelogLint.KnownColumn(o.schema(), o.table(), o.name(), o.column().type())).toList();
    }

    private static List<Finding> lintAlone(String yaml, String stem, List<ChangelogLint.KnownColumn> known) throws Exception {
        Path draft = Files.createTempDirectory("cnlearn-revision");
        try {
            Files.writeString(draft.resolve(stem + ".yaml"), yaml, StandardCharsets.UTF_8);
            return ChangelogLint.lintAlone(stem + ".yaml", new DirectoryResourceAccessor(draft), known);
        } finally {
            delete(draft);
        }
    }

    /**
     * The file on a copy of what the changelog builds: it must build exactly the desired schema, roll
     * back (last changeset first) to exactly what the changelog builds, and apply again.
     */
    private static void prove(ScratchDatabases scratch, Project project, String yaml, String stem, List<CatalogObject> built,
                              List<CatalogObject> wanted, DesiredSchema desired) throws Exception {
        Path draft = Files.createTempDirectory("cnlearn-revision");
        try {
            Files.writeString(draft.resolve(stem + ".yaml"), yaml, StandardCharsets.UTF_8);
            DirectoryResourceAccessor accessor = new DirectoryResourceAccessor(draft);
            DatabaseChangeLog file = ChangelogRun.parse(stem + ".yaml", accessor);
            scratch.copy("changelog", "tried");
            try (Connection connection = scratch.connect("tried")) {
                ChangelogRun run = new ChangelogRun(connection, accessor);
                applyAll(run, file, "does not apply");
                requireSame(SchemaCatalog.read(connection), wanted, "does not build exactly " + desired.name(), "it builds", desired.name() + " has");
                List<ChangeSet> reversed = new ArrayList<>(file.getChangeSets());
                java.util.Collections.reverse(reversed);
                for (ChangeSet changeSet : reversed) {
                    try {
                        run.rollback(changeSet);
                    } catch (LiquibaseException | RuntimeException e) {
                        throw limit("the rollback of " + changeSet.getId() + " fails: " + ChangelogSide.reason(e));
                    }
                }
                requireSame(built, SchemaCatalog.read(connection), "does not roll back to exactly what the changelog builds",
                        "the changelog builds", "after the rollback there is");
                applyAll(run, file, "does not apply again after its rollback");
            }
        } finally {
            delete(draft);
        }
    }

    private static void applyAll(ChangelogRun run, DatabaseChangeLog file, String what) {
        for (ChangeSet changeSet : file.getChangeSets()) {
            try {
                run.apply(file, changeSet);
            } catch (LiquibaseException | RuntimeException e) {
                throw limit(changeSet.getId() + " " + what + ": " + ChangelogSide.reason(e));
            }
        }
    }

    private static void requireSame(List<CatalogObject> expected, List<CatalogObject> actual, String what, String expectedSide, String actualSide) {
        List<Difference> differences = CatalogComparison.compare(expected, actual);
        if (!differences.isEmpty()) {
            throw limit("the file " + what + ": " + String.join("; ", differences.stream().map(d -> d.line(expectedSide, actualSide)).toList()));
        }
    }

    /** What the generator got wrong, found by trying it: nothing is written. */
    private static AuthoringFailure limit(String what) {
        return new AuthoringFailure("The changesets written for this change were tried on a scratch database, and " + what
                + ". This is a limit of cnlearn:revision: write this change by hand (./mvnw cnlearn:revision without -Ddesired)."
                + " Nothing was written.");
    }

    private static void delete(Path folder) {
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            // a leftover in the temporary folder is not worth failing for
        }
    }
}
