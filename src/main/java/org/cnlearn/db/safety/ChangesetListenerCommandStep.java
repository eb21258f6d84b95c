package org.cnlearn.db.safety;

import liquibase.changelog.visitor.ChangeExecListener;
import liquibase.changelog.visitor.DefaultChangeExecListener;
import liquibase.command.CleanUpCommandStep;
import liquibase.command.CommandOverride;
import liquibase.command.CommandResultsBuilder;
import liquibase.command.CommandScope;
import liquibase.command.core.helpers.ChangeExecListenerCommandStep;
import liquibase.database.Database;
import org.cnlearn.db.report.JsonDocument;
import org.cnlearn.db.report.RanChangesets;
import org.cnlearn.db.settings.ReportFormat;

/**
 * The step that gives update, rollback and the commands built on them their change listener, with
 * the database's own listener added ({@link SafePostgresDatabase#rollbackListener()}): Liquibase's
 * rollback hands the database a changeset's statements without the changeset, whose lint waivers
 * the data-loss guard reads. With -Dcnlearn.format=json, also {@link RanChangesets}, whose report is written
 * when the command ends.
 */
@CommandOverride(override = ChangeExecListenerCommandStep.class)
public class ChangesetListenerCommandStep extends ChangeExecListenerCommandStep implements CleanUpCommandStep {

    @Override
    public void run(CommandResultsBuilder resultsBuilder) throws Exception {
        super.run(resultsBuilder);
        CommandScope scope = resultsBuilder.getCommandScope();
        add(scope, SafePostgresDatabase.rollbackListener((Database) scope.getDependency(Database.class)));
        if (ReportFormat.current() == ReportFormat.JSON) {
            RanChangesets ran = new RanChangesets();
            scope.provideDependency(RanChangesets.class, ran);
            add(scope, ran);
        }
    }

    private static void add(CommandScope scope, ChangeExecListener own) {
        if (own == null) {
            return;
        }
        ChangeExecListener given = (ChangeExecListener) scope.getDependency(ChangeExecListener.class);
        if (given instanceof DefaultChangeExecListener listeners) {
            listeners.addListener(own);
        } else {
            scope.provideDependency(ChangeExecListener.class, new DefaultChangeExecListener(given, own));
        }
    }

    /** An update's or a rollback's report as data, when the command has ended (succeeded or not): what it did (docs/ci.md). */
    @Override
    public void cleanUp(CommandResultsBuilder resultsBuilder) {
        CommandScope scope = resultsBuilder.getCommandScope();
        if (scope.getDependency(RanChangesets.class) instanceof RanChangesets ran) {
            try {
                JsonDocument.write(resultsBuilder, ran.json(String.join(" ", scope.getCommand().getName())));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }
}
