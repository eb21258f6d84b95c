package org.cnlearn.db;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/ci.md's workflows run nothing this project's CI does not: each of their ./mvnw lines is in .ci/ci-guide-checks, word for word. */
class CiGuideTest {

    private static final Pattern YAML_BLOCK = Pattern.compile("(?s)```yaml\\n(.*?)```");
    private static final Pattern MVNW = Pattern.compile("\\./mvnw [^\\n\"]*");

    @Test
    void everyMvnwLineOfTheWorkflowsIsRunByTheProjectsCi() throws Exception {
        String page = Files.readString(Migrations.PROJECT_DIR.resolve("docs/ci.md"));
        String script = Files.readString(Migrations.PROJECT_DIR.resolve(".ci/ci-guide-checks"));
        String run = Files.readString(Migrations.PROJECT_DIR.resolve(".ci/run"));
        assertTrue(run.contains("\n.ci/ci-guide-checks\n"), ".ci/run does not run .ci/ci-guide-checks");
        List<String> commands = new ArrayList<>();
        Matcher block = YAML_BLOCK.matcher(page);
        while (block.find()) {
            Matcher command = MVNW.matcher(block.group(1));
            while (command.find()) {
                commands.add(command.group().strip());
            }
        }
        assertEquals(6, commands.size(), "the two workflows' ./mvnw lines: " + commands);
        for (String command : commands) {
            assertTrue(script.contains(command), "docs/ci.md's workflows run «" + command + "», which .ci/ci-guide-checks does not");
        }
    }
}
