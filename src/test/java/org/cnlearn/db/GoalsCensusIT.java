package org.cnlearn.db;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every goal of the Liquibase plugin (issue 22), listed from the plugin's own descriptor, so that a new
 * plugin version brings its new goals here by itself: each runs through ./mvnw against a database at
 * 0001 whose "user" holds a row. Each keeps the row, prints at most 35 lines with no stack trace, and
 * either works or fails with its reason in the first [ERROR] line: the paid goals say they are Liquibase
 * Pro's. The outcomes are written to target/goals-census.md. Some 35 Maven runs: in the soak profile,
 * which CI runs (./mvnw verify -Psoak).
 */
@Tag("soak")
class GoalsCensusIT {

    /** What the goals need to do their job here (they fail, each with its reason, without them). */
    private static final Map<String, List<String>> ARGUMENTS = Map.of(
            "rollback", List.of("-Dliquibase.rollbackCount=1"),
            "rollbackSQL", List.of("-Dliquibase.rollbackCount=1"),
            "tag", List.of("-Dliquibase.tag=census"),
            "tagExists", List.of("-Dliquibase.tag=census"),
            "changelogSyncToTag", List.of("-Dliquibase.toTag=census"),
            "changelogSyncToTagSQL", List.of("-Dliquibase.toTag=census"));

    /** The goals that would destroy the row, refused by the data-loss guard, and the reason's words. */
    private static final Map<String, String> REFUSED = Map.of(
            "dropAll", "Refusing to drop all: the rows of public.\"user\" (1 row) would be lost.",
            "rollback", "Refusing to drop table \"user\": it holds 1 row of data, which would be lost.");

    /** The other goals of plugin 4.33.0, which work here. */
    private static final Set<String> WORKS = Set.of("changelogSync", "changelogSyncSQL", "changelogSyncToTag", "changelogSyncToTagSQL",
            "clearCheckSums", "dbDoc", "diff", "futureRollbackSQL", "generateChangeLog", "help", "history", "listLocks", "releaseLocks",
            "rollbackSQL", "snapshot", "status", "tag", "tagExists", "unexpectedChangeSets", "update", "updateSQL", "updateTestingRollback",
            "validate");

    /** The paid edition's goals in plugin 4.33.0 (each fails with "Unknown command", or asks for a Pro extension). */
    private static final Set<String> PRO = Set.of("checks.run", "checks.show", "connect", "dbclHistory", "flow", "flow.validate",
            "rollbackOneChangeSet", "rollbackOneChangeSetSQL", "rollbackOneUpdate", "rollbackOneUpdateSQL");

    private static final Pattern GOAL = Pattern.compile("<goal>([^<]+)</goal>");

    /** The goals the plugin's descriptor (META-INF/maven/plugin.xml in its jar) declares. */
    static Set<String> pluginGoals() throws Exception {
        String version = System.getProperty("cnlearn.liquibase.version");
        Path jar = Paths.get(System.getProperty("maven.repo.local"), "org", "liquibase", "liquibase-maven-plugin", version,
                "liquibase-maven-plugin-" + version + ".jar");
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            String descriptor = new String(zip.getInputStream(zip.getEntry("META-INF/maven/plugin.xml")).readAllBytes(), StandardCharsets.UTF_8);
            Set<String> goals = new TreeSet<>();
            Matcher goal = GOAL.matcher(descriptor.substring(descriptor.indexOf("<mojos>")));
            while (goal.find()) {
                goals.add(goal.group(1));
            }
            return goals;
        }
    }

    @Test
    void everyGoalKeepsTheRowsAndSaysWhatItDidOrWhyNot(@TempDir Path temp) throws Exception {
        Set<String> goals = pluginGoals();
        assertTrue(goals.containsAll(PRO) && goals.containsAll(REFUSED.keySet()) && goals.containsAll(WORKS),
                "the descriptor lacks goals this test knows: " + goals);
        Map<String, String> outcomes = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        try (TestDatabase template = TestServer.get().createDatabase("census")) {
            MavenRun.run(MavenRun.envFor(template), "liquibase:update").assertSucceeded();
            template.execute("INSERT INTO \"user\" (email) VALUES ('learner@example.org')");
            for (String goal : goals) {
                try (TestDatabase db = TestServer.get().copyOf(template, "census_goal")) {
                    List<String> command = new ArrayList<>(List.of("liquibase:" + goal));
                    command.addAll(ARGUMENTS.getOrDefault(goal, List.of()));
                    if (goal.equals("generateChangeLog")) {
                        command.add("-Dliquibase.outputChangeLogFile=" + temp.resolve("generated.yaml"));
                    }
                    MavenRun run = MavenRun.run(MavenRun.envFor(db), command.toArray(String[]::new));
                    List<String> lines = run.output.lines().toList();
                    String firstError = lines.stream().filter(line -> line.startsWith("[ERROR]")).findFirst().orElse("");
                    String outcome = run.exitCode == 0 ? "works" : PRO.contains(goal) ? "paid" : "refused";
                    outcomes.put(goal, outcome + " | " + lines.size() + " | " + firstError.replace("|", "\\|"));
                    String expected = PRO.contains(goal) ? "liquibase:" + goal + " is a Liquibase Pro goal, not in the open-source plugin"
                            + " this project uses; instead, " : REFUSED.get(goal);
                    if (db.count("SELECT count(*) FROM \"user\"") != 1) {
                        problems.add(goal + " lost the row");
                    }
                    if (lines.size() > MavenRun.MOST_FAILURE_LINES) {
                        problems.add(goal + " printed " + lines.size() + " lines");
                    }
                    if (run.printedStackTrace()) {
                        problems.add(goal + " printed a stack trace");
                    }
                    if (expected == null && run.exitCode != 0 && (WORKS.contains(goal) || !isReason(firstError))) {
                        // a goal new to this test may fail, but with its reason
                        problems.add(goal + " failed: " + firstError);
                    } else if (expected != null && (run.exitCode == 0 || !firstError.contains(expected))) {
                        problems.add(goal + ": the first [ERROR] line is not «" + expected + "»: " + firstError);
                    }
                }
            }
        }
        StringBuilder report = new StringBuilder("| goal | outcome | lines | first [ERROR] line |\n| --- | --- | --- | --- |\n");
        outcomes.forEach((goal, outcome) -> report.append("| ").append(goal).append(" | ").append(outcome).append(" |\n"));
        Files.writeString(Migrations.PROJECT_DIR.resolve("target/goals-census.md"), report);
        assertEquals(List.of(), problems, report.toString());
        // dbDoc's pages stay in target/ (Liquibase 4.33 puts them under the working folder plus an absolute path)
        assertTrue(Files.exists(Migrations.PROJECT_DIR.resolve("target/liquibase/dbDoc/index.html")));
        assertTrue(Files.notExists(Migrations.PROJECT_DIR.resolve(Migrations.PROJECT_DIR.getRoot().relativize(Migrations.PROJECT_DIR))),
                "dbDoc wrote a stray folder into the project");
        assertEquals(goals.size(), outcomes.size());
    }

    /** A first [ERROR] line that gives a reason: not Maven's generic words, nor Liquibase's "Unknown command". */
    private static boolean isReason(String firstError) {
        return !firstError.isBlank() && !firstError.contains("Failed to execute goal") && !firstError.contains("Unknown command");
    }
}
