package org.cnlearn.db.phases;

import liquibase.changelog.ChangeLogParameters;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.command.CommandOverride;
import liquibase.command.CommandResultsBuilder;
import liquibase.command.CommandScope;
import liquibase.command.core.StatusCommandStep;
import liquibase.database.Database;
import liquibase.logging.mdc.customobjects.SimpleStatus;

import java.io.OutputStreamWriter;
import java.io.Writer;
import java.util.List;

/**
 * The status command ({@code ./mvnw liquibase:status}, {@code bin/cnlearn-db status}) naming the phase of each
 * pending changeset, its Liquibase labels (expand before a rollout, contract after it: docs/deploying.md), so
 * an operator sees which run of update applies it. Where no pending changeset has a label, it is Liquibase's own
 * status, word for word.
 */
@CommandOverride(override = StatusCommandStep.class)
public class PhaseStatusCommandStep extends StatusCommandStep {

    @Override
    public void run(CommandResultsBuilder resultsBuilder) throws Exception {
        CommandScope scope = resultsBuilder.getCommandScope();
        Database database = (Database) scope.getDependency(Database.class);
        DatabaseChangeLog changelog = (DatabaseChangeLog) scope.getDependency(DatabaseChangeLog.class);
        ChangeLogParameters parameters = (ChangeLogParameters) scope.getDependency(ChangeLogParameters.class);
        boolean verbose = Boolean.TRUE.equals(scope.getArgumentValue(VERBOSE_ARG));
        if (!verbose || changelog.getChangeSets().stream().allMatch(changeSet -> labels(changeSet).isEmpty())) {
            super.run(resultsBuilder); // most changelogs: nothing to add, and the pending ones are listed once
            return;
        }
        List<ChangeSet> pending = listUnrunChangeSets(parameters.getContexts(), parameters.getLabels(), changelog, database);
        if (pending.stream().allMatch(changeSet -> labels(changeSet).isEmpty())) {
            super.run(resultsBuilder);
            return;
        }
        // Liquibase's lines, as its status writes them, each pending changeset followed by its labels
        Writer out = new OutputStreamWriter(resultsBuilder.getOutputStream());
        String where = database.getConnection().getConnectionUserName() + "@" + database.getConnection().getURL();
        out.append(String.valueOf(pending.size())).append(pending.size() == 1 ? " changeset has not been applied to "
                : " changesets have not been applied to ").append(where).append(System.lineSeparator());
        for (ChangeSet changeSet : pending) {
            String labels = labels(changeSet);
            out.append("     ").append(changeSet.toString(false)).append(labels.isEmpty() ? "" : "  (label: " + labels + ")")
                    .append(System.lineSeparator());
        }
        out.flush();
        resultsBuilder.addResult("status", new SimpleStatus("undeployed", database.getConnection().getURL(), pending));
    }

    private static String labels(ChangeSet changeSet) {
        return changeSet.getLabels() == null || changeSet.getLabels().isEmpty() ? "" : String.join(", ", changeSet.getLabels().getLabels());
    }
}
