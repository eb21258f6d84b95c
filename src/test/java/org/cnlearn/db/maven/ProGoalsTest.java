package org.cnlearn.db.maven;

import org.cnlearn.db.Migrations;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** docs/goals.md's table of the paid goals is the one the goals' refusals say (ProGoals), word for word. */
class ProGoalsTest {

    private static final Pattern ROW = Pattern.compile("(?m)^\\| `([\\w.]+)` \\| (.+) \\|$");

    @Test
    void theGoalsPagesTableOfPaidGoalsIsTheRefusals() throws Exception {
        String goals = Files.readString(Migrations.PROJECT_DIR.resolve("docs/goals.md"));
        String table = goals.substring(goals.indexOf("**The paid goals.**"), goals.indexOf("All 35 goals are tested against"));
        Map<String, String> documented = new TreeMap<>();
        Matcher row = ROW.matcher(table);
        while (row.find()) {
            documented.put(row.group(1), row.group(2).replace("`", "").replaceAll("\\[([^]]*)]\\([^)]*\\)", "$1"));
        }
        assertEquals(ProGoals.INSTEAD, documented);
        assertEquals("liquibase:connect is a Liquibase Pro goal, not in the open-source plugin this project uses; instead, use"
                + " ./mvnw liquibase:status, which connects and says what is pending. Nothing was run.", ProGoals.refusal("connect"));
        assertEquals(null, ProGoals.refusal("status"));
    }
}
