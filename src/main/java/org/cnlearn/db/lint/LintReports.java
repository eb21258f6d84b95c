package org.cnlearn.db.lint;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import liquibase.resource.ResourceAccessor;
import org.cnlearn.db.report.JsonDocument;

import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The lint's findings for a pipeline and a code review (docs/ci.md): as JSON fields, as SARIF 2.1.0
 * (-Dcnlearn.sarif=FILE) and, under GitHub Actions, as workflow commands that annotate each finding's
 * line, as squawk writes them.
 */
public final class LintReports {

    /** Where the SARIF goes. */
    public static final String SARIF_PROPERTY = "cnlearn.sarif";

    private LintReports() {
    }

    /**
     * The project's folder, from which the changelog's paths are: Maven's (the folder of .mvn/, where ./mvnw
     * runs), else the working folder.
     */
    public static Path projectDir() {
        return Path.of(System.getProperty("maven.multiModuleProjectDirectory", System.getProperty("user.dir")));
    }

    /** What the lint writes besides its lines: the SARIF file, when asked for, and GitHub's annotations, under GitHub Actions. */
    public static void publish(List<Finding> findings, ResourceAccessor accessor, Path projectDir, Map<String, String> env,
                               String sarifFile, PrintStream out) throws IOException {
        if (sarifFile != null && !sarifFile.isBlank()) {
            Path file = projectDir.resolve(sarifFile.strip());
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.writeString(file, sarif(findings, accessor, projectDir, env.get("GITHUB_WORKSPACE")), StandardCharsets.UTF_8);
        }
        if ("true".equalsIgnoreCase(env.getOrDefault("GITHUB_ACTIONS", "").strip())) {
            annotations(findings, accessor, projectDir, env.get("GITHUB_WORKSPACE")).forEach(out::println);
            out.flush();
        }
    }

    /** The findings as a JSON array field: rule, file, line, changeset, message, safe_way. */
    public static void findings(JsonGenerator json, List<Finding> findings, ResourceAccessor accessor) throws IOException {
        json.writeArrayFieldStart("findings");
        for (Finding finding : findings) {
            json.writeStartObject();
            json.writeStringField("rule", finding.rule().id);
            json.writeStringField("file", finding.file());
            json.writeNumberField("line", FindingLines.line(finding, accessor));
            json.writeStringField("changeset", finding.changeset());
            json.writeStringField("message", finding.what());
            json.writeStringField("safe_way", finding.rule().safeWay);
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    /** validate's report: whether the changelog passes, and each finding. */
    public static String validateJson(List<Finding> findings, ResourceAccessor accessor, String liquibaseError) {
        return JsonDocument.of("validate", json -> {
            json.writeBooleanField("ok", findings.isEmpty() && liquibaseError == null);
            findings(json, findings, accessor);
            json.writeStringField("error", liquibaseError);
        });
    }

    /**
     * GitHub's workflow commands, one per finding, each a line of its own: {@code ::error file=PATH,line=N,title=RULE::message},
     * the path from the repository's root (GITHUB_WORKSPACE) where the project lies under it.
     */
    static List<String> annotations(List<Finding> findings, ResourceAccessor accessor, Path projectDir, String workspace) {
        return findings.stream().map(finding -> "::error file=" + property(repositoryPath(finding.file(), projectDir, workspace))
                + ",line=" + FindingLines.line(finding, accessor) + ",title=" + property(finding.rule().id) + "::"
                + data(finding.rule().id + ": " + finding.what() + ". Safe way: " + finding.rule().safeWay + ".")).toList();
    }

    private static String repositoryPath(String file, Path projectDir, String workspace) {
        if (workspace == null || workspace.isBlank()) {
            return file;
        }
        Path absolute = projectDir.toAbsolutePath().normalize().resolve(file).normalize();
        Path root = Path.of(workspace).toAbsolutePath().normalize();
        return absolute.startsWith(root) ? root.relativize(absolute).toString().replace('\\', '/') : file;
    }

    /** A workflow command's message: %, CR and LF escaped, as GitHub's toolkit does. */
    private static String data(String text) {
        return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
    }

    /** A workflow command's property value: its message's escapes, and : and , too. */
    private static String property(String text) {
        return data(text).replace(":", "%3A").replace(",", "%2C");
    }

    /** SARIF 2.1.0: the lint as a tool (its path from the repository's root, as the annotations') whose rules are described, and each finding located at its file and line. */
    static String sarif(List<Finding> findings, ResourceAccessor accessor, Path projectDir, String workspace) {
        StringWriter out = new StringWriter();
        List<Rule> rules = List.of(Rule.values());
        try (JsonGenerator json = new JsonFactory().createGenerator(out)) {
            json.useDefaultPrettyPrinter();
            json.writeStartObject();
            json.writeStringField("version", "2.1.0");
            json.writeArrayFieldStart("runs");
            json.writeStartObject();
            json.writeObjectFieldStart("tool");
            json.writeObjectFieldStart("driver");
            json.writeStringField("name", "cnlearn-db lint");
            json.writeArrayFieldStart("rules");
            for (Rule rule : rules) {
                json.writeStartObject();
                json.writeStringField("id", rule.id);
                json.writeObjectFieldStart("shortDescription");
                json.writeStringField("text", rule.catches.replace("`", ""));
                json.writeEndObject();
                json.writeObjectFieldStart("fullDescription");
                json.writeStringField("text", "It " + rule.blocks.replace("%s", rule.liveTablesOnly ? "the table" : "…") + "."); // as docs/lint.md
                json.writeEndObject();
                json.writeObjectFieldStart("help");
                json.writeStringField("text", "Safe way: " + rule.safeWay + ". See docs/lint.md.");
                json.writeEndObject();
                json.writeObjectFieldStart("defaultConfiguration");
                json.writeStringField("level", "error");
                json.writeEndObject();
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
            json.writeEndObject();
            json.writeArrayFieldStart("results");
            for (Finding finding : findings) {
                json.writeStartObject();
                json.writeStringField("ruleId", finding.rule().id);
                json.writeNumberField("ruleIndex", rules.indexOf(finding.rule()));
                json.writeStringField("level", "error");
                json.writeObjectFieldStart("message");
                json.writeStringField("text", finding.what() + ". Safe way: " + finding.rule().safeWay + ".");
                json.writeEndObject();
                json.writeArrayFieldStart("locations");
                json.writeStartObject();
                json.writeObjectFieldStart("physicalLocation");
                json.writeObjectFieldStart("artifactLocation");
                json.writeStringField("uri", repositoryPath(finding.file(), projectDir, workspace));
                json.writeEndObject();
                json.writeObjectFieldStart("region");
                json.writeNumberField("startLine", FindingLines.line(finding, accessor));
                json.writeEndObject();
                json.writeEndObject();
                json.writeEndObject();
                json.writeEndArray();
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
            json.writeEndArray();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out + "\n";
    }
}
