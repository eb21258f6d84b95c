package org.cnlearn.db.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.cnlearn.db.MavenRun;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ./mvnw cnlearn:plan as a pipeline runs it, as a read-only role: text, JSON alone on standard output with -q, Markdown. */
class PlanGoalIT {

    @TempDir
    static Path folder;
    private static PlanTarget target;
    private static String stateBefore;

    @BeforeAll
    static void target() throws Exception {
        target = PlanTarget.create(folder);
        stateBefore = target.state();
    }

    @AfterAll
    static void drop() {
        target.close();
    }

    @Test
    void theTextNamesTheTargetAndTheRiskyStatement() throws Exception {
        MavenRun run = MavenRun.runIn(target.project, target.readerEnvironment(), "cnlearn:plan").assertSucceeded();
        assertTrue(run.output.contains("[INFO] [cnlearn-db] database: " + target.db.url() + " as " + target.reader + ", PostgreSQL "), run.output);
        assertTrue(run.output.contains("[INFO]     RISKY: holds AccessExclusiveLock on public.user, which blocks writes to it, while it rewrites about "),
                run.output);
        assertTrue(run.output.contains("[INFO] 1 of 2 statements is risky."), run.output);
        assertEquals(stateBefore, target.state());
        assertEquals(0, target.leftBehind());
    }

    @Test
    void withQuietTheJsonIsAllThereIsOnStandardOutput() throws Exception {
        MavenRun run = MavenRun.runIn(target.project, target.readerEnvironment(), "-q", "cnlearn:plan", "-Dcnlearn.format=json")
                .assertSucceeded();
        JsonNode json = new ObjectMapper().readTree(run.standardOutput); // the whole of standard output: one document, nothing around it
        assertEquals("plan", json.get("report").asText());
        JsonNode rewrite = json.get("changesets").get(0).get("statements").get(0);
        assertTrue(rewrite.get("locks").findValuesAsText("mode").contains("AccessExclusiveLock"), rewrite.toString());
        assertEquals("public.user", rewrite.get("rewrites").get(0).asText());
        assertTrue(rewrite.get("risky").asBoolean());
        JsonNode index = json.get("changesets").get(1).get("statements").get(0);
        assertEquals("ShareUpdateExclusiveLock", index.get("locks").get(0).get("mode").asText());
        assertEquals(1, index.get("locks").size());
        assertFalse(index.get("risky").asBoolean());
        assertEquals(stateBefore, target.state());
    }

    @Test
    void theMarkdownIsATableForAPullRequest() throws Exception {
        MavenRun run = MavenRun.runIn(target.project, target.readerEnvironment(), "-q", "cnlearn:plan", "-Dcnlearn.format=markdown")
                .assertSucceeded();
        assertTrue(run.standardOutput.startsWith("### cnlearn-db plan: 1 of 2 statements is risky.\n"), run.output);
        assertTrue(run.output.contains("| `0003-index-user-is-active` | `CREATE INDEX CONCURRENTLY ix_user_is_active ON \"user\" (is_active)`"
                + " | ShareUpdateExclusiveLock on public.user |  | public.user | public.user: about "), run.output);
    }

    @Test
    void anUnknownFormatIsRefusedByName() throws Exception {
        MavenRun run = MavenRun.runIn(target.project, target.readerEnvironment(), "cnlearn:plan", "-Dcnlearn.format=xml");
        run.assertReadableFailure("-Dcnlearn.format must be text, json or markdown; it is 'xml'.");
    }
}
