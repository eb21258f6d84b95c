package org.cnlearn.db.authoring;

import liquibase.Scope;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.exception.LiquibaseException;
import org.cnlearn.db.lint.ChangelogLint;
import org.cnlearn.db.lint.Finding;
import org.cnlearn.db.report.FailureReport;
import org.cnlearn.db.scratch.ChangelogRun;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The changelog as the goals read and run it, and how a changeset's failure on a scratch database is told. */
final class ChangelogSide {

    private ChangelogSide() {
    }

    /** The master changelog, parsed by Liquibase; a file it cannot read is named. */
    static DatabaseChangeLog parse(Project project) {
        try {
            return ChangelogRun.parse(project.master(), project.accessor());
        } catch (LiquibaseException | RuntimeException e) {
            String reason = String.join(" ", FailureReport.lines(e, false));
            // the project's own refusals (a circular include) say where and end so already
            reason = reason.endsWith(" Nothing was changed.") ? reason.substring(0, reason.length() - " Nothing was changed.".length())
                    : reason + " (./mvnw liquibase:validate says where).";
            throw new AuthoringFailure("The changelog cannot be read: " + reason + " Nothing was written.");
        }
    }

    /** The lint, as validate runs it, on the changelog read once already. */
    static List<Finding> lint(Project project, DatabaseChangeLog changelog) throws Exception {
        List<Finding> findings = new ArrayList<>();
        Scope.child(Map.of(Scope.Attr.resourceAccessor.name(), project.accessor()),
                () -> findings.addAll(ChangelogLint.lint(changelog, project.master(), project.accessor())));
        return findings;
    }

    /** "changeset 0002-x (db-changelog/changes/0002-x.yaml)". */
    static String name(ChangeSet changeSet) {
        return "changeset " + changeSet.getId() + " (" + DatabaseChangeLog.normalizePath(changeSet.getFilePath()) + ")";
    }

    /** What PostgreSQL said, without what a failure on a real database adds (what it holds now, what to do there). */
    static String reason(Exception failure) {
        return FailureReport.reason(failure);
    }
}
