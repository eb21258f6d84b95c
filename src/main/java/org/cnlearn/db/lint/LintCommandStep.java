package org.cnlearn.db.lint;

import liquibase.Scope;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.command.CommandOverride;
import liquibase.command.CommandResultsBuilder;
import liquibase.command.CommandScope;
import liquibase.command.core.ValidateCommandStep;
import liquibase.command.core.helpers.DatabaseChangelogCommandStep;
import liquibase.exception.CommandExecutionException;

import java.util.List;

/**
 * The validate command ({@code ./mvnw liquibase:validate}) with the changelog lint in it: before
 * Liquibase's own checks, every finding is printed, one line each, and fails the command.
 */
@CommandOverride(override = ValidateCommandStep.class)
public class LintCommandStep extends ValidateCommandStep {

    @Override
    public void run(CommandResultsBuilder resultsBuilder) throws Exception {
        CommandScope scope = resultsBuilder.getCommandScope();
        DatabaseChangeLog changelog = (DatabaseChangeLog) scope.getDependency(DatabaseChangeLog.class);
        String master = scope.getArgumentValue(DatabaseChangelogCommandStep.CHANGELOG_FILE_ARG);
        List<Finding> findings = ChangelogLint.lint(changelog, master, Scope.getCurrentScope().getResourceAccessor());
        if (!findings.isEmpty()) {
            for (Finding finding : findings) {
                Scope.getCurrentScope().getUI().sendErrorMessage(finding.line());
            }
            throw new CommandExecutionException("The changelog lint found " + findings.size()
                    + (findings.size() == 1 ? " problem" : " problems") + " (listed above): fix each, or waive it with"
                    + " lint-waiver(rule): reason in the changeset's comment (docs/lint.md).");
        }
        super.run(resultsBuilder);
    }
}
