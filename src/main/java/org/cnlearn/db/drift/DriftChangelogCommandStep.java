package org.cnlearn.db.drift;

import liquibase.Scope;
import liquibase.command.CommandOverride;
import liquibase.command.CommandResultsBuilder;
import liquibase.command.CommandScope;
import liquibase.command.core.DiffChangelogCommandStep;
import liquibase.command.providers.ReferenceDatabase;
import liquibase.database.Database;
import liquibase.exception.CommandExecutionException;
import liquibase.resource.DirectoryResourceAccessor;
import org.cnlearn.db.lint.ChangelogLint;
import org.cnlearn.db.lint.Finding;
import org.cnlearn.db.lint.Rule;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The {@code diffChangelog} command ({@code ./mvnw liquibase:diff -Dliquibase.diffChangeLogFile=F})
 * when the reference is the scratch database: writes the drift as a changelog that captures it
 * ({@link DriftCapture}). An existing file is never overwritten. With a reference of the user's it
 * is stock Liquibase.
 */
@CommandOverride(override = DiffChangelogCommandStep.class)
public class DriftChangelogCommandStep extends DiffChangelogCommandStep {

    @Override
    public void run(CommandResultsBuilder resultsBuilder) throws Exception {
        CommandScope scope = resultsBuilder.getCommandScope();
        Database reference = (Database) scope.getDependency(ReferenceDatabase.class);
        if (!DriftCommandStep.isScratch(reference)) {
            super.run(resultsBuilder);
            return;
        }
        Drift drift = (Drift) resultsBuilder.getResult(DriftCommandStep.DRIFT_RESULT);
        String file = scope.getArgumentValue(CHANGELOG_FILE_ARG);
        if (drift.differences().isEmpty()) {
            drift.report().forEach(line -> Scope.getCurrentScope().getUI().sendMessage(line));
            Scope.getCurrentScope().getUI().sendMessage("Nothing to capture: " + file + " was not written.");
            return;
        }
        Path path = Paths.get(file);
        if (Files.exists(path)) {
            throw new CommandExecutionException(file + " exists already and was left as it is: name a new file for the captured"
                    + " drift, such as db-changelog/changes/NNNN-captured-drift.yaml.");
        }
        String stem = path.getFileName().toString().replaceFirst("\\.ya?ml$", "");
        String author = scope.getArgumentValue(AUTHOR_ARG);
        String who = author != null ? author : "cnlearn";
        String yaml;
        try {
            yaml = DriftCapture.write(drift.differences(), stem, who, Map.of());
        } catch (IllegalArgumentException e) {
            throw new CommandExecutionException(e.getMessage() + " Nothing was written.");
        }
        // each changeset carries a waiver of the lock-safety rules it breaks: where it was captured it runs nothing
        Path draft = Files.createTempDirectory("cnlearn-capture");
        try {
            Files.writeString(draft.resolve(path.getFileName()), yaml, StandardCharsets.UTF_8);
            Map<String, Set<Rule>> waivers = new HashMap<>();
            for (Finding finding : ChangelogLint.lintAlone(path.getFileName().toString(), new DirectoryResourceAccessor(draft))) {
                waivers.computeIfAbsent(finding.changeset(), id -> new LinkedHashSet<>()).add(finding.rule());
            }
            yaml = DriftCapture.write(drift.differences(), stem, who, waivers);
            Files.writeString(draft.resolve(path.getFileName()), yaml, StandardCharsets.UTF_8);
            List<Finding> left = ChangelogLint.lintAlone(path.getFileName().toString(), new DirectoryResourceAccessor(draft));
            if (!left.isEmpty()) {
                throw new CommandExecutionException("The captured changelog breaks the changelog rules, so it was not written: "
                        + left.stream().map(Finding::line).collect(Collectors.joining(" ")));
            }
        } finally {
            try (var files = Files.walk(draft)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        if (path.getParent() != null) {
            Files.createDirectories(path.getParent());
        }
        Files.writeString(path, yaml, StandardCharsets.UTF_8);
        drift.report().stream().filter(line -> !line.startsWith("To keep these changes"))
                .forEach(line -> Scope.getCurrentScope().getUI().sendMessage(line));
        Scope.getCurrentScope().getUI().sendMessage("Captured " + drift.differences().size()
                + (drift.differences().size() == 1 ? " difference" : " differences") + " in " + file
                + ". Add it to the master changelog (an include, last), commit it, and deploy: where the objects exist already,"
                + " update records it as applied; elsewhere it builds them.");
    }
}
