package org.cnlearn.db.safety;

import liquibase.changelog.visitor.ChangeExecListener;
import liquibase.changelog.visitor.DefaultChangeExecListener;
import liquibase.command.CommandOverride;
import liquibase.command.CommandResultsBuilder;
import liquibase.command.CommandScope;
import liquibase.command.core.helpers.ChangeExecListenerCommandStep;
import liquibase.database.Database;

/**
 * The step that gives update, rollback and the commands built on them their change listener, with
 * the database's own listener added ({@link SafePostgresDatabase#rollbackListener()}): Liquibase's
 * rollback hands the database a changeset's statements without the changeset, whose lint waivers
 * the data-loss guard reads.
 */
@CommandOverride(override = ChangeExecListenerCommandStep.class)
public class ChangesetListenerCommandStep extends ChangeExecListenerCommandStep {

    @Override
    public void run(CommandResultsBuilder resultsBuilder) throws Exception {
        super.run(resultsBuilder);
        CommandScope scope = resultsBuilder.getCommandScope();
        ChangeExecListener own = SafePostgresDatabase.rollbackListener((Database) scope.getDependency(Database.class));
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
}
