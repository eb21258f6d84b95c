package org.cnlearn.db.lint;

import liquibase.Scope;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.command.CommandOverride;
import liquibase.command.CommandResultsBuilder;
import liquibase.command.CommandScope;
import liquibase.command.core.ValidateCommandStep;
import liquibase.command.core.helpers.DatabaseChangelogCommandStep;
import liquibase.exception.CommandExecutionException;
import liquibase.resource.ResourceAccessor;
import org.cnlearn.db.report.FailureReport;
import org.cnlearn.db.report.JsonDocument;
import org.cnlearn.db.settings.ReportFormat;
import org.cnlearn.db.settings.SettingValue;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
        ResourceAccessor accessor = Scope.getCurrentScope().getResourceAccessor();
        List<Finding> findings = ChangelogLint.lint(changelog, master, accessor);
        boolean json = ReportFormat.current() == ReportFormat.JSON;
        // annotations start their own lines on standard output, unless it holds the JSON document
        PrintStream annotations = json ? System.err : new PrintStream(output(resultsBuilder), true, StandardCharsets.UTF_8);
        LintReports.publish(findings, accessor, LintReports.projectDir(), System.getenv(), SettingValue.given(LintReports.SARIF_PROPERTY), annotations);
        if (!findings.isEmpty()) {
            for (Finding finding : findings) {
                Scope.getCurrentScope().getUI().sendErrorMessage(finding.line());
            }
            if (json) {
                JsonDocument.write(resultsBuilder, LintReports.validateJson(findings, accessor, null));
            }
            throw new CommandExecutionException("The changelog lint found " + findings.size()
                    + (findings.size() == 1 ? " problem" : " problems") + " (listed above): fix each, or waive it with"
                    + " lint-waiver(rule): reason in the changeset's comment (docs/lint.md).");
        }
        try {
            super.run(resultsBuilder);
        } catch (Exception e) {
            if (json) {
                JsonDocument.write(resultsBuilder, LintReports.validateJson(findings, accessor, FailureReport.reason(e)));
            }
            throw e;
        }
        if (json) {
            JsonDocument.write(resultsBuilder, LintReports.validateJson(findings, accessor, null));
        }
    }

    private static java.io.OutputStream output(CommandResultsBuilder resultsBuilder) {
        return resultsBuilder.getOutputStream() != null ? resultsBuilder.getOutputStream() : System.out;
    }
}
