package org.cnlearn.db.maven;

import org.apache.maven.AbstractMavenLifecycleParticipant;
import org.apache.maven.MavenExecutionException;
import org.apache.maven.execution.MavenSession;
import org.cnlearn.db.connection.ConnectionSettings;
import org.cnlearn.db.safety.DataLossGuard;
import org.cnlearn.db.plan.Plan;
import org.cnlearn.db.settings.ReportFormat;
import org.cnlearn.db.settings.SettingValue;

import javax.inject.Named;
import javax.inject.Singleton;
import java.io.File;
import java.util.List;
import java.util.Properties;
import java.util.function.BiConsumer;

/**
 * The goals' -D settings, checked before any goal runs: a count that is not a whole number of 1 or more,
 * a flag that is neither true nor false, a duration PostgreSQL cannot read. Liquibase's plugin runs every
 * pending changeset when changesToApply is 0 or less, and Maven's own message for rollbackCount=abc names
 * no setting; here each is refused by its name, and nothing has changed.
 */
@Named
@Singleton
public class GoalSettings extends AbstractMavenLifecycleParticipant {

    @Override
    public void afterProjectsRead(MavenSession session) throws MavenExecutionException {
        String refusal = refusal(session.getGoals(), session.getUserProperties(), session.getSystemProperties());
        if (refusal != null) {
            File pom = session.getTopLevelProject() == null ? null : session.getTopLevelProject().getFile();
            throw new MavenExecutionException(refusal, pom);
        }
    }

    /** Why the goals cannot run with these -D settings, or null: the first setting whose value cannot be used. */
    static String refusal(List<String> goals, Properties user, Properties system) {
        if (goals.stream().noneMatch(goal -> goal.startsWith("liquibase:") || goal.startsWith("cnlearn:")
                || goal.startsWith("org.liquibase:") || goal.startsWith("org.cnlearn:"))) {
            return null;
        }
        try {
            check(user, system, "liquibase.changesToApply", (setting, value) -> {
                try {
                    SettingValue.count(setting, value);
                } catch (SettingValue.Refused e) {
                    // Liquibase's plugin applies every pending changeset when it is 0 or less
                    throw new SettingValue.Refused(e.getMessage() + " To undo changesets instead: ./mvnw liquibase:rollback"
                            + " -Dliquibase.rollbackCount=N.");
                }
            });
            check(user, system, "liquibase.rollbackCount", SettingValue::count);
            check(user, system, DataLossGuard.ALLOW_DATA_LOSS, SettingValue::trueOrFalse);
            check(user, system, ConnectionSettings.LOCK_TIMEOUT_PROPERTY, SettingValue::duration);
            check(user, system, ConnectionSettings.LOCK_WAIT_PROPERTY, SettingValue::seconds);
            check(user, system, ReportFormat.PROPERTY, ReportFormat::of);
            check(user, system, Plan.RISKY_ROWS_PROPERTY, SettingValue::rows);
            return null;
        } catch (SettingValue.Refused e) {
            return e.getMessage() + " Nothing was changed.";
        }
    }

    private static void check(Properties user, Properties system, String property, BiConsumer<String, String> rule) {
        String value = user.getProperty(property, system.getProperty(property));
        if (value != null) {
            rule.accept("-D" + property, value);
        }
    }
}
