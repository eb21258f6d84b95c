package org.cnlearn.db.drift;

import liquibase.command.CommandOverride;
import liquibase.command.CommandResultsBuilder;
import liquibase.command.CommandScope;
import liquibase.command.core.DiffCommandStep;
import liquibase.command.providers.ReferenceDatabase;
import liquibase.database.Database;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.CommandExecutionException;
import org.cnlearn.db.catalog.CatalogComparison;
import org.cnlearn.db.catalog.Difference;
import org.cnlearn.db.catalog.SchemaCatalog;
import org.cnlearn.db.connection.DriftReference;
import org.cnlearn.db.report.JsonDocument;
import org.cnlearn.db.settings.ReportFormat;
import org.cnlearn.db.settings.SettingValue;

import java.io.PrintStream;
import java.sql.Connection;
import java.util.List;

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
        Database target = (Database) scope.getDependency(Database.class);
        if (!isScratch(reference)) {
            super.run(resultsBuilder);
            String[] command = scope.getCommand().getName();
            if (command.length != 1 || !command[0].equals("diff")) {
                return; // this step also feeds diffChangelog and generateChangelog their result: those write it, and succeed
            }
            // stock diff exits 0 whatever it finds, and a pipeline reads the exit status: differences fail the goal
            List<Difference> differences = CatalogComparison.compare(SchemaCatalog.read(jdbc(reference)), SchemaCatalog.read(jdbc(target)));
            if (!differences.isEmpty()) {
                String places = differences.size() + (differences.size() == 1 ? " place" : " places");
                if (ReportFormat.current() != ReportFormat.JSON) {
                    PrintStream out = new PrintStream(resultsBuilder.getOutputStream(), true);
                    out.println("The database differs from the reference database (-Dliquibase.referenceUrl) in " + places + ":");
                    differences.forEach(d -> out.println("  " + d.line("the reference has", "the database has")));
                    out.flush();
                }
                throw new CommandExecutionException("The database differs from the reference database (-Dliquibase.referenceUrl) in "
                        + places + ((ReportFormat.current() != ReportFormat.JSON) ? " (listed above)." : "."));
            }
            return;
        }
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

    private static Connection jdbc(Database database) throws CommandExecutionException {
        if (!(database.getConnection() instanceof JdbcConnection)) {
            throw new CommandExecutionException("diff needs live database connections");
        }
        return ((JdbcConnection) database.getConnection()).getUnderlyingConnection();
    }

    static boolean isScratch(Database database) {
        return database != null && database.getConnection() != null
                && DriftReference.isScratch(database.getConnection().getURL(), SettingValue.given(DriftReference.URL_PROPERTY));
    }
}
