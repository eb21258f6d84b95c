package org.cnlearn.db.drift;

import liquibase.Scope;
import liquibase.command.CommandOverride;
import liquibase.command.CommandResultsBuilder;
import liquibase.command.CommandScope;
import liquibase.command.core.DiffChangelogCommandStep;
import liquibase.command.providers.ReferenceDatabase;
import liquibase.database.Database;
import liquibase.exception.CommandExecutionException;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

/**
 * The {@code diffChangelog} command ({@code ./mvnw liquibase:diff -Dliquibase.diffChangeLogFile=F})
 * when the reference is the scratch database: writes the drift as a changelog that captures it
 * ({@link DriftCapture}). An existing file is never overwritten. With a reference of the user's it
 * is stock Liquibase.
 */
@CommandOverride(override = DiffChangelogCommandStep.class)
public class DriftChangelogCommandStep extends DiffChangelogCommandStep {

    /** The lock-safety rules a captured changeset is waived from, written into it. */
    static final List<String> CAPTURE_WAIVERS = List.of();

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
        String yaml;
        try {
            yaml = DriftCapture.write(drift.differences(), stem, author != null ? author : "cnlearn", CAPTURE_WAIVERS);
        } catch (IllegalArgumentException e) {
            throw new CommandExecutionException(e.getMessage() + " Nothing was written.");
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
