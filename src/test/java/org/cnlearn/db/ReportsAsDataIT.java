package org.cnlearn.db;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The goals' reports as a pipeline reads them (docs/ci.md): with -Dcnlearn.format=json and -q, standard output is one
 * JSON document; the lint as SARIF and, under GitHub Actions, as annotations at the start of their own lines.
 */
class ReportsAsDataIT {

    private static JsonNode document(MavenRun run) throws Exception {
        return new ObjectMapper().readTree(run.standardOutput); // the whole of standard output: one document, nothing around it
    }

    @Test
    void statusAsJsonListsThePendingChangesetsThenNone() throws Exception {
        try (TestDatabase db = TestServer.get().createDatabase("status_json")) {
            MavenRun pending = MavenRun.run(MavenRun.envFor(db), "-q", "liquibase:status", "-Dcnlearn.format=json").assertSucceeded();
            JsonNode before = document(pending);
            assertEquals("status", before.get("report").asText());
            assertFalse(before.get("up_to_date").asBoolean());
            assertEquals("0001-create-user-table", before.get("pending").get(0).asText());
            assertEquals(1, before.get("pending").size());
            Migrations.update(db);
            JsonNode after = document(MavenRun.run(MavenRun.envFor(db), "-q", "liquibase:status", "-Dcnlearn.format=json").assertSucceeded());
            assertTrue(after.get("up_to_date").asBoolean());
            assertEquals(0, after.get("pending").size());
        }
    }

    @Test
    void updateHistoryDiffAndRollbackAsJsonSayWhatRanAndWhatDiffers() throws Exception {
        try (TestDatabase db = TestServer.get().createDatabase("update_json")) {
            Map<String, String> env = MavenRun.envFor(db);
            JsonNode update = document(MavenRun.run(env, "-q", "liquibase:update", "-Dcnlearn.format=json").assertSucceeded());
            assertEquals("update", update.get("report").asText());
            assertEquals("0001-create-user-table", update.get("applied").get(0).get("id").asText());
            assertEquals("EXECUTED", update.get("applied").get(0).get("exec_type").asText());
            assertEquals(1, update.get("applied").size());
            assertTrue(update.get("failed").isNull());

            JsonNode history = document(MavenRun.run(env, "-q", "liquibase:history", "-Dcnlearn.format=json").assertSucceeded());
            assertEquals("history", history.get("report").asText());
            assertEquals(1, history.get("applied").size());
            assertEquals("0001-create-user-table", history.get("applied").get(0).get("id").asText());
            assertEquals(1, history.get("applied").get(0).get("order").asInt());

            JsonNode same = document(MavenRun.run(env, "-q", "liquibase:diff", "-Dcnlearn.format=json").assertSucceeded());
            assertFalse(same.get("drift").asBoolean());
            assertEquals(0, same.get("differences").size());
            db.execute("ALTER TABLE \"user\" ADD COLUMN nickname text");
            MavenRun drifted = MavenRun.run(env, "-q", "liquibase:diff", "-Dcnlearn.format=json");
            assertNotEquals(0, drifted.exitCode, drifted.output);
            JsonNode diff = document(drifted);
            assertTrue(diff.get("drift").asBoolean());
            assertEquals(1, diff.get("differences").size(), diff.toString());
            assertEquals("column", diff.get("differences").get(0).get("kind").asText());
            assertTrue(diff.get("differences").get(0).get("changelog_builds").isNull());
            db.execute("ALTER TABLE \"user\" DROP COLUMN nickname");

            db.execute("INSERT INTO \"user\" (email) VALUES ('ana@example.org')");
            MavenRun refused = MavenRun.run(env, "-q", "liquibase:rollback", "-Dliquibase.rollbackCount=1", "-Dcnlearn.format=json");
            assertNotEquals(0, refused.exitCode, refused.output);
            assertEquals(0, document(refused).get("rolled_back").size(), refused.standardOutput);
            assertEquals(1, db.count("SELECT count(*) FROM \"user\""));
            db.execute("DELETE FROM \"user\"");
            JsonNode rollback = document(MavenRun.run(env, "-q", "liquibase:rollback", "-Dliquibase.rollbackCount=1", "-Dcnlearn.format=json")
                    .assertSucceeded());
            assertEquals("0001-create-user-table", rollback.get("rolled_back").get(0).get("id").asText());
            assertEquals(0, rollback.get("applied").size());
        }
    }

    @Test
    void validateAndCheckAsJsonSarifAndAnnotationsOnTheDangerousFixture(@TempDir Path copy) throws Exception {
        Path project = MavenRun.projectCopyWith(copy, "src/test/resources/lint/dangerous");
        List<String> expected = Migrations.expectedLines("lint/dangerous/expected-findings.txt");
        Path sarif = copy.resolve("reports/lint.sarif");
        try (TestDatabase db = TestServer.get().createDatabase("validate_json")) {
            Map<String, String> env = new HashMap<>(MavenRun.envFor(db));
            env.put("GITHUB_ACTIONS", "true");
            env.put("GITHUB_WORKSPACE", copy.getParent().toString());

            MavenRun text = MavenRun.runIn(project, env, "liquibase:validate", "-Dcnlearn.sarif=" + sarif);
            assertNotEquals(0, text.exitCode, text.output);
            String folder = copy.getFileName() + "/";
            List<String> annotations = text.output.lines().filter(line -> line.startsWith("::error file=")).toList();
            assertEquals(expected.size(), annotations.size(), text.output);
            assertTrue(annotations.get(0).startsWith("::error file=" + folder + "db-changelog/changes.yaml,line="), annotations.get(0));
            JsonNode results = new ObjectMapper().readTree(sarif.toFile()).get("runs").get(0).get("results");
            assertEquals(expected.size(), results.size());

            MavenRun json = MavenRun.runIn(project, env, "-q", "liquibase:validate", "-Dcnlearn.format=json");
            assertNotEquals(0, json.exitCode, json.output);
            JsonNode validate = document(json);
            assertEquals("validate", validate.get("report").asText());
            assertFalse(validate.get("ok").asBoolean());
            assertEquals(expected.size(), validate.get("findings").size());
            for (JsonNode finding : validate.get("findings")) {
                assertTrue(finding.get("line").asInt() >= 1 && !finding.get("rule").asText().isBlank() && !finding.get("message").asText().isBlank()
                        && finding.get("file").asText().startsWith("db-changelog/"), finding.toString());
            }
        }
        MavenRun check = MavenRun.runIn(project, Map.of(), "-q", "cnlearn:check", "-Dcnlearn.format=json");
        assertNotEquals(0, check.exitCode, check.output);
        JsonNode report = document(check);
        assertEquals("check", report.get("report").asText());
        assertFalse(report.get("ok").asBoolean());
        assertEquals(expected.size(), report.get("findings").size());
        assertTrue(report.get("problems").get(0).asText().startsWith("the lint found " + expected.size() + " problems"), report.toString());
    }

    @Test
    void checkAsJsonOnTheProjectsOwnChangelogSaysOk() throws Exception {
        MavenRun check = MavenRun.run(Map.of(), "-q", "cnlearn:check", "-Dcnlearn.format=json").assertSucceeded();
        JsonNode report = document(check);
        assertTrue(report.get("ok").asBoolean(), check.output);
        assertEquals(0, report.get("problems").size());
        assertEquals(0, report.get("findings").size());
    }
}
