package org.cnlearn.db.report;

import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.changelog.visitor.AbstractChangeExecListener;
import liquibase.database.Database;

import java.util.ArrayList;
import java.util.List;

/**
 * What an update or a rollback did, changeset by changeset, for its report as data (docs/ci.md): each changeset
 * applied (or marked as applied), each rolled back, and the one that failed, with why. Whether the command
 * succeeded is its exit status.
 */
public final class RanChangesets extends AbstractChangeExecListener {

    private record Ran(ChangeSet changeSet, String how) {
    }

    private final List<Ran> applied = new ArrayList<>();
    private final List<ChangeSet> rolledBack = new ArrayList<>();
    private ChangeSet failed;
    private String failure;

    @Override
    public void ran(ChangeSet changeSet, DatabaseChangeLog changeLog, Database database, ChangeSet.ExecType execType) {
        applied.add(new Ran(changeSet, execType.name()));
    }

    @Override
    public void rolledBack(ChangeSet changeSet, DatabaseChangeLog changeLog, Database database) {
        rolledBack.add(changeSet);
    }

    @Override
    public void runFailed(ChangeSet changeSet, DatabaseChangeLog changeLog, Database database, Exception exception) {
        failed(changeSet, exception);
    }

    @Override
    public void rollbackFailed(ChangeSet changeSet, DatabaseChangeLog changeLog, Database database, Exception exception) {
        failed(changeSet, exception);
    }

    private void failed(ChangeSet changeSet, Exception exception) {
        failed = changeSet;
        failure = FailureReport.reason(exception);
    }

    /** The report: the command's name, then what it applied, what it rolled back, and what failed (or null). */
    public String json(String command) {
        return JsonDocument.of(command, json -> {
            json.writeArrayFieldStart("applied");
            for (Ran ran : applied) {
                changeset(json, ran.changeSet());
                json.writeStringField("exec_type", ran.how());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeArrayFieldStart("rolled_back");
            for (ChangeSet changeSet : rolledBack) {
                changeset(json, changeSet);
                json.writeEndObject();
            }
            json.writeEndArray();
            if (failed == null) {
                json.writeNullField("failed");
            } else {
                json.writeFieldName("failed");
                changeset(json, failed);
                json.writeStringField("error", failure);
                json.writeEndObject();
            }
        });
    }

    /** Opens a changeset's object: id, author, file. */
    private static void changeset(com.fasterxml.jackson.core.JsonGenerator json, ChangeSet changeSet) throws java.io.IOException {
        json.writeStartObject();
        json.writeStringField("id", changeSet.getId());
        json.writeStringField("author", changeSet.getAuthor());
        json.writeStringField("file", DatabaseChangeLog.normalizePath(changeSet.getFilePath()));
    }
}
