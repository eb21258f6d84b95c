package org.cnlearn.db.maven;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The goals' -D settings, as the project's Maven extension checks them before a goal runs (GoalSettingsIT runs them through Maven). */
class GoalSettingsTest {

    private static String refusal(String goal, String property, String value) {
        Properties user = new Properties();
        user.setProperty(property, value);
        return GoalSettings.refusal(List.of(goal), user, new Properties());
    }

    @Test
    void aCountThatIsNotAWholeNumberOfOneOrMoreIsRefusedByItsName() {
        for (Map.Entry<String, String> bad : Map.of("-1", "-1", "0", "0", "abc", "abc", "1.5", "1.5", "99999999999", "99999999999").entrySet()) {
            assertEquals("-Dliquibase.rollbackCount must be a whole number of changesets, 1 or more; it is '" + bad.getValue()
                    + "'. Nothing was changed.", refusal("liquibase:rollback", "liquibase.rollbackCount", bad.getKey()));
        }
        assertEquals("-Dliquibase.changesToApply must be a whole number of changesets, 1 or more; it is '-1'. To undo changesets"
                + " instead: ./mvnw liquibase:rollback -Dliquibase.rollbackCount=N. Nothing was changed.",
                refusal("liquibase:update", "liquibase.changesToApply", "-1"));
        assertNull(refusal("liquibase:update", "liquibase.changesToApply", "2"));
        assertNull(refusal("liquibase:rollback", "liquibase.rollbackCount", " 1 "));
    }

    @Test
    void aFlagIsTrueOrFalseAndADurationOrWaitIsOneThatCanBeRead() {
        assertEquals("-DallowDataLoss must be true or false; it is 'maybe'. Nothing was changed.",
                refusal("liquibase:rollback", "allowDataLoss", "maybe"));
        assertEquals("-DallowDataLoss must be true or false; it is 'yes'. Nothing was changed.",
                refusal("cnlearn:revision", "allowDataLoss", "yes"));
        assertNull(refusal("liquibase:rollback", "allowDataLoss", "TRUE"));
        assertEquals("-Dcnlearn.lockTimeout must be a PostgreSQL duration such as 30s, 500ms or 2min; it is 'banana'. Nothing was changed.",
                refusal("liquibase:update", "cnlearn.lockTimeout", "banana"));
        assertNull(refusal("liquibase:update", "cnlearn.lockTimeout", "1.5s"));
        assertEquals("-Dcnlearn.lockWaitSeconds must be a whole number of seconds, 0 or more; it is 'soon'. Nothing was changed.",
                refusal("liquibase:update", "cnlearn.lockWaitSeconds", "soon"));
    }

    @Test
    void aBuildThatRunsNoneOfTheGoalsIsLeftAlone() {
        assertNull(refusal("verify", "liquibase.rollbackCount", "abc"));
        assertEquals("-Dliquibase.rollbackCount must be a whole number of changesets, 1 or more; it is 'abc'. Nothing was changed.",
                refusal("org.liquibase:liquibase-maven-plugin:4.33.0:rollback", "liquibase.rollbackCount", "abc"));
    }
}
