package org.cnlearn.db.drift;

import liquibase.command.CommandOverride;
import liquibase.command.CommandResultsBuilder;
import liquibase.command.CommandScope;
import liquibase.command.core.DiffCommandStep;
import liquibase.command.providers.ReferenceDatabase;
import liquibase.database.Database;
import liquibase.exception.CommandExecutionException;
import org.cnlearn.db.connection.DriftReference;
import org.cnlearn.db.report.JsonDocument;
import org.cnlearn.db.settings.ReportFormat;
import org.cnlearn.db.settings.SettingValue;

import java.io.PrintStream;

/**
 * The {@code diff} command, when its reference is the scratch database that pom.xml names by
 * default: drift detection. The scratch database gets what the target's applied changesets build,
 * the two are compared, and a difference fails the command, so {@code ./mvnw liquibase:diff} exits
 * non-zero. With a reference of the user's ({@code -Dliquibase.referenceUrl}) it is stock Liquibase.
 */
@CommandOverride(override = DiffCommandStep.class)
public class DriftCommandStep extends DiffCommandStep {

    /** The drift found, for {@link DriftChangelogCommandStep}. */
    static final String DRIFT_RESULT = "cnlearnDrift";

    @Override
    public void run(CommandResultsBuilder resultsBuilder) throws Exception {
        CommandScope scope = resultsBuilder.getCommandScope();
        Database reference = (Database) scope.getDependency(ReferenceDatabase.class);
        if (!isScratch(reference)) {
            super.run(resultsBuilder);
            return;
        }
        Database target = (Database) scope.getDependency(Database.class);
        String changelog = SettingValue.given(Drift.CHANGELOG_PROPERTY);
        if (changelog == null) {
            throw new CommandExecutionException("Drift detection needs the changelog (" + Drift.CHANGELOG_PROPERTY
                    + "), which pom.xml passes to the goals: run it as ./mvnw liquibase:diff in this project.");
        }
        Drift drift = Drift.detect(target, reference, changelog);
        resultsBuilder.addResult(DRIFT_RESULT, drift);
        if (ReportFormat.current() == ReportFormat.JSON) {
            JsonDocument.write(resultsBuilder, drift.json());
            if (drift.found()) {
                throw new CommandExecutionException(drift.verdict());
            }
            return;
        }
        String format = scope.getArgumentValue(FORMAT_ARG);
        if (format == null || format.equalsIgnoreCase("TXT")) {
            PrintStream out = new PrintStream(resultsBuilder.getOutputStream(), true);
            drift.report().forEach(out::println);
            out.flush();
            if (drift.found()) {
                throw new CommandExecutionException(drift.verdict());
            }
        }
    }

    static boolean isScratch(Database database) {
        return database != null && database.getConnection() != null
                && DriftReference.isScratch(database.getConnection().getURL(), SettingValue.given(DriftReference.URL_PROPERTY));
    }
}
