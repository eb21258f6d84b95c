package org.cnlearn.db.maven;

import java.util.Map;
import java.util.TreeMap;

/**
 * The goals of liquibase-maven-plugin 4.33.0 that only Liquibase Pro runs (a paid licence this project
 * never uses): in the open-source plugin they fail with "Unknown command" or ask for a Pro extension.
 * Each is refused before it runs, saying so, with what does its job here.
 */
final class ProGoals {

    /** Goal, and what to run instead (null: nothing here does that job). */
    static final Map<String, String> INSTEAD = new TreeMap<>(Map.of(
            "checks.run", "./mvnw liquibase:validate, whose lint checks the changelog (or ./mvnw cnlearn:check, which also tries each rollback)",
            "checks.show", "the lint's rules, one entry each in docs/lint.md",
            "connect", "./mvnw liquibase:status, which connects and says what is pending",
            "dbclHistory", "./mvnw liquibase:history, which lists every applied changeset",
            "flow", "the goals one after another, as in ./mvnw liquibase:validate liquibase:update",
            "flow.validate", "./mvnw liquibase:validate",
            "rollbackOneChangeSet", "./mvnw liquibase:rollback -Dliquibase.rollbackCount=N (the last N) or -Dliquibase.rollbackTag=TAG",
            "rollbackOneChangeSetSQL", "./mvnw liquibase:rollbackSQL -Dliquibase.rollbackCount=N, which prints the SQL",
            "rollbackOneUpdate", "./mvnw liquibase:rollback -Dliquibase.rollbackTag=TAG, with a tag taken before each update (liquibase:tag)",
            "rollbackOneUpdateSQL", "./mvnw liquibase:rollbackSQL -Dliquibase.rollbackTag=TAG, which prints the SQL"));

    private ProGoals() {
    }

    /** The refusal of a Pro goal, or null for any other goal. */
    static String refusal(String goal) {
        if (!INSTEAD.containsKey(goal)) {
            return null;
        }
        return "liquibase:" + goal + " is a Liquibase Pro goal, not in the open-source plugin this project uses; instead, use "
                + INSTEAD.get(goal) + ". Nothing was run.";
    }
}
