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
import org.cnlearn.db.report.JsonDocument;
import org.cnlearn.db.settings.ReportFormat;

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
        if (ReportFormat.current() == ReportFormat.JSON) {
            List<ChangeSet> pending = listUnrunChangeSets(parameters.getContexts(), parameters.getLabels(), changelog, database);
            JsonDocument.write(resultsBuilder, json(database, pending));
            resultsBuilder.addResult("status", new SimpleStatus("undeployed", database.getConnection().getURL(), pending));
            return;
        }
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

    /**
     * status as data (docs/ci.md): the database, whether it is up to date, the pending changesets' ids in the order
     * update applies them, and each one's file, author and labels.
     */
    static String json(Database database, List<ChangeSet> pending) {
        return JsonDocument.of("status", json -> {
            json.writeStringField("database", database.getConnection().getConnectionUserName() + "@" + database.getConnection().getURL());
            json.writeBooleanField("up_to_date", pending.isEmpty());
            JsonDocument.strings(json, "pending", pending.stream().map(ChangeSet::getId).toList());
            json.writeArrayFieldStart("changesets");
            for (ChangeSet changeSet : pending) {
                json.writeStartObject();
                json.writeStringField("id", changeSet.getId());
                json.writeStringField("author", changeSet.getAuthor());
                json.writeStringField("file", DatabaseChangeLog.normalizePath(changeSet.getFilePath()));
                JsonDocument.strings(json, "labels", changeSet.getLabels() == null ? List.of() : changeSet.getLabels().getLabels());
                json.writeEndObject();
            }
            json.writeEndArray();
        });
    }

    private static String labels(ChangeSet changeSet) {
        return changeSet.getLabels() == null || changeSet.getLabels().isEmpty() ? "" : String.join(", ", changeSet.getLabels().getLabels());
    }
}
