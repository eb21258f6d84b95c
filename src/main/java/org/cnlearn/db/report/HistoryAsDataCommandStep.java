package org.cnlearn.db.report;

import liquibase.Scope;
import liquibase.changelog.ChangeLogHistoryServiceFactory;
import liquibase.changelog.RanChangeSet;
import liquibase.command.CommandOverride;
import liquibase.command.CommandResultsBuilder;
import liquibase.command.core.HistoryCommandStep;
import liquibase.database.Database;
import org.cnlearn.db.settings.ReportFormat;

import java.time.ZoneOffset;
import java.util.List;

/**
 * The history command ({@code ./mvnw liquibase:history}, {@code bin/cnlearn-db history}), as data with
 * -Dcnlearn.format=json: each applied changeset in the order it ran, when, how, and under which tag
 * (docs/ci.md). In text, Liquibase's own.
 */
@CommandOverride(override = HistoryCommandStep.class)
public class HistoryAsDataCommandStep extends HistoryCommandStep {

    @Override
    public void run(CommandResultsBuilder resultsBuilder) throws Exception {
        if (ReportFormat.current() != ReportFormat.JSON) {
            super.run(resultsBuilder);
            return;
        }
        Database database = (Database) resultsBuilder.getCommandScope().getDependency(Database.class);
        List<RanChangeSet> ran = Scope.getCurrentScope().getSingleton(ChangeLogHistoryServiceFactory.class)
                .getChangeLogService(database).getRanChangeSets();
        JsonDocument.write(resultsBuilder, JsonDocument.of("history", json -> {
            json.writeStringField("database", database.getConnection().getConnectionUserName() + "@" + database.getConnection().getURL());
            json.writeArrayFieldStart("applied");
            for (RanChangeSet changeSet : ran) {
                json.writeStartObject();
                json.writeStringField("id", changeSet.getId());
                json.writeStringField("author", changeSet.getAuthor());
                json.writeStringField("file", changeSet.getChangeLog());
                json.writeNumberField("order", changeSet.getOrderExecuted());
                json.writeStringField("executed_at", changeSet.getDateExecuted() == null ? null
                        : changeSet.getDateExecuted().toInstant().atOffset(ZoneOffset.UTC).toString());
                json.writeStringField("exec_type", changeSet.getExecType() == null ? null : changeSet.getExecType().name());
                json.writeStringField("tag", changeSet.getTag());
                json.writeStringField("deployment_id", changeSet.getDeploymentId());
                json.writeEndObject();
            }
            json.writeEndArray();
        }));
    }
}
