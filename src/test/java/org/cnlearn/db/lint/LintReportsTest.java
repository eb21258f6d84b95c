package org.cnlearn.db.lint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import liquibase.resource.DirectoryResourceAccessor;
import org.cnlearn.db.Migrations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The lint for a code review: each finding at its line, as SARIF 2.1.0 and as GitHub's annotations; nothing on a safe changelog. */
class LintReportsTest {

    private static final String DANGEROUS = "src/test/resources/lint/dangerous/master.yaml";
    private static final String SAFE = "src/test/resources/lint/safe/master.yaml";

    private static List<Finding> lint(String master) throws Exception {
        return ChangelogLint.lint(master, accessor());
    }

    private static DirectoryResourceAccessor accessor() throws Exception {
        return new DirectoryResourceAccessor(Migrations.PROJECT_DIR);
    }

    @Test
    void eachFindingIsAtItsChangesetsLineOrItsRollbacksInYamlXmlJsonAndSql() throws Exception {
        List<Finding> findings = lint(DANGEROUS);
        assertEquals(Migrations.expectedLines("lint/dangerous/expected-findings.txt").size(), findings.size());
        for (Finding finding : findings) {
            int line = FindingLines.line(finding, accessor());
            String text = Files.readAllLines(Migrations.PROJECT_DIR.resolve(finding.file())).get(line - 1);
            boolean rollback = finding.what().startsWith("its rollback");
            assertTrue(rollback ? text.contains("rollback") : text.contains(finding.changeset()),
                    finding.file() + ":" + line + " is «" + text + "», not " + (rollback ? "the rollback of " : "") + finding.changeset());
        }
        assertTrue(findings.stream().map(Finding::file).distinct().count() >= 4, "the fixture's YAML, XML, JSON and SQL files");
    }

    @Test
    void sarifDescribesEveryRuleAndLocatesEveryFinding() throws Exception {
        List<Finding> findings = lint(DANGEROUS);
        JsonNode sarif = new ObjectMapper().readTree(LintReports.sarif(findings, accessor(), Migrations.PROJECT_DIR, null));
        assertEquals("2.1.0", sarif.get("version").asText());
        JsonNode run = sarif.get("runs").get(0);
        JsonNode rules = run.get("tool").get("driver").get("rules");
        assertEquals(Arrays.stream(Rule.values()).map(r -> r.id).toList(), rules.findValuesAsText("id"));
        for (JsonNode rule : rules) {
            assertFalse(rule.get("shortDescription").get("text").asText().isBlank());
            assertTrue(rule.get("help").get("text").asText().startsWith("Safe way: "));
        }
        JsonNode results = run.get("results");
        assertEquals(findings.size(), results.size());
        for (int i = 0; i < findings.size(); i++) {
            JsonNode result = results.get(i);
            assertEquals(findings.get(i).rule().id, result.get("ruleId").asText());
            assertEquals(findings.get(i).rule().id, rules.get(result.get("ruleIndex").asInt()).get("id").asText());
            JsonNode location = result.get("locations").get(0).get("physicalLocation");
            assertEquals(findings.get(i).file(), location.get("artifactLocation").get("uri").asText());
            assertEquals(FindingLines.line(findings.get(i), accessor()), location.get("region").get("startLine").asInt());
        }
        assertEquals(0, new ObjectMapper().readTree(LintReports.sarif(lint(SAFE), accessor(), Migrations.PROJECT_DIR, null))
                .get("runs").get(0).get("results").size(), "the safe fixture");
    }

    @Test
    void underGithubActionsEachFindingIsAWorkflowCommandOnItsOwnLineFromTheRepositoryRoot(@TempDir Path folder) throws Exception {
        List<Finding> findings = lint(DANGEROUS);
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Path workspace = Migrations.PROJECT_DIR.getParent();
        Path sarif = folder.resolve("reports/lint.sarif");
        LintReports.publish(findings, accessor(), Migrations.PROJECT_DIR, Map.of("GITHUB_ACTIONS", "true", "GITHUB_WORKSPACE", workspace.toString()),
                sarif.toString(), new PrintStream(printed, true, StandardCharsets.UTF_8));
        List<String> lines = printed.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(findings.size(), lines.size(), String.join("\n", lines));
        String prefix = workspace.relativize(Migrations.PROJECT_DIR) + "/";
        for (int i = 0; i < lines.size(); i++) {
            Finding finding = findings.get(i);
            assertTrue(lines.get(i).startsWith("::error file=" + prefix + finding.file() + ",line=" + FindingLines.line(finding, accessor())
                    + ",title=" + finding.rule().id + "::" + finding.rule().id + ": "), lines.get(i));
        }
        // a message's own % and line breaks are escaped, so each command stays one line
        assertTrue(lines.stream().anyMatch(line -> line.contains("LIKE '%25@%25'")), String.join("\n", lines));
        assertEquals(findings.size(), new ObjectMapper().readTree(sarif.toFile()).get("runs").get(0).get("results").size());

        ByteArrayOutputStream quiet = new ByteArrayOutputStream();
        LintReports.publish(findings, accessor(), Migrations.PROJECT_DIR, Map.of(), null, new PrintStream(quiet, true, StandardCharsets.UTF_8));
        assertEquals("", quiet.toString(StandardCharsets.UTF_8), "outside GitHub Actions, no workflow commands");
        LintReports.publish(lint(SAFE), accessor(), Migrations.PROJECT_DIR, Map.of("GITHUB_ACTIONS", "true"), null,
                new PrintStream(quiet, true, StandardCharsets.UTF_8));
        assertEquals("", quiet.toString(StandardCharsets.UTF_8), "a safe changelog gets no annotation");
    }

    @Test
    void validatesJsonHasEachFindingsRuleFileLineAndMessage() throws Exception {
        List<Finding> findings = lint(DANGEROUS);
        JsonNode json = new ObjectMapper().readTree(LintReports.validateJson(findings, accessor(), null));
        assertEquals("validate", json.get("report").asText());
        assertFalse(json.get("ok").asBoolean());
        JsonNode first = json.get("findings").get(0);
        assertEquals(findings.get(0).rule().id, first.get("rule").asText());
        assertEquals(findings.get(0).file(), first.get("file").asText());
        assertEquals(FindingLines.line(findings.get(0), accessor()), first.get("line").asInt());
        assertEquals(findings.get(0).what(), first.get("message").asText());
        assertTrue(new ObjectMapper().readTree(LintReports.validateJson(lint(SAFE), accessor(), null)).get("ok").asBoolean());
    }
}
