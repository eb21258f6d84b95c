package org.cnlearn.db;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the manual says about the project's own tests and measurements is true: a test it names exists (with the
 * method it names), the user's pages name none, and a figure beside a link to a benchmark report is in that report.
 */
class DocsFactsTest {

    /** The pages for reviewers and contributors, where naming the test behind a guarantee is the point. */
    private static final Set<String> FOR_REVIEWERS = Set.of("architecture.md", "safety.md", "topologies.md", "CONTRIBUTING.md");
    private static final Pattern TEST_NAME = Pattern.compile("\\b([A-Z][A-Za-z0-9]+(?:Test|IT))\\b(?:\\.([a-z][A-Za-z0-9]+))?");
    private static final Pattern REPORT_LINK = Pattern.compile("\\]\\(((?:\\.\\./)*bench/reports/[^)#]+\\.md)\\)");
    private static final Pattern FIGURE = Pattern.compile("(?<![\\d.])\\d+\\.\\d+(?![\\d.])");

    @Test
    void everyTestThePagesNameExistsAndTheUsersPagesNameNone() throws Exception {
        List<String> problems = new ArrayList<>();
        int named = 0;
        for (Path page : DocsLinksTest.manual()) {
            boolean forReviewers = FOR_REVIEWERS.contains(page.getFileName().toString());
            for (String[] test : testsNamed(page)) {
                named++;
                String problem = problem(Migrations.PROJECT_DIR, test[0], test[1]);
                if (problem != null) {
                    problems.add(page.getFileName() + ": " + test[0] + (test[1] == null ? "" : "." + test[1]) + " " + problem);
                } else if (!forReviewers) {
                    problems.add(page.getFileName() + ": names the test " + test[0] + "; a user's page says what is true, not which test shows it");
                }
            }
        }
        assertEquals(List.of(), problems);
        assertTrue(named > 20, "only " + named + " tests named: the test reads no manual");
    }

    @Test
    void aFigureBesideAReportLinkIsInThatReport() throws Exception {
        List<String> problems = new ArrayList<>();
        int figures = 0;
        for (Path page : DocsLinksTest.manual()) {
            for (String line : Files.readAllLines(page)) {
                for (String missing : figuresNotInReport(page, line)) {
                    problems.add(page.getFileName() + ": " + missing);
                }
                if (REPORT_LINK.matcher(line).find()) {
                    figures += FIGURE.matcher(line).results().count();
                }
            }
        }
        assertEquals(List.of(), problems);
        assertTrue(figures > 30, "only " + figures + " figures beside report links");
    }

    @Test
    void aMissingTestAndAFigureNotInItsReportAreFound(@TempDir Path project) throws Exception {
        Path tests = Files.createDirectories(project.resolve("src/test/java/x"));
        Files.writeString(tests.resolve("RealIT.java"), "class RealIT { @Test void itWorks() {} }");
        assertEquals(null, problem(project, "RealIT", "itWorks"));
        assertEquals("has no such method", problem(project, "RealIT", "itFails"));
        assertEquals("is no test class of src/test/java", problem(project, "GoneIT", null));

        Path reports = Files.createDirectories(project.resolve("bench/reports"));
        Files.writeString(reports.resolve("r.md"), "| no-op update | 0.13 | 0.57 |\n");
        Path page = Files.createDirectories(project.resolve("docs")).resolve("p.md");
        assertEquals(List.of(), figuresNotInReport(page, "| update | 0.13 s | 0.57 × | [r](../bench/reports/r.md) |"));
        assertEquals(List.of("0.35 is not in bench/reports/r.md"), figuresNotInReport(page, "| update | 0.35 s | 0.57 × | [r](../bench/reports/r.md) |"));
    }

    /** Each test class a page names, outside code blocks, with the method after it if any. */
    private static List<String[]> testsNamed(Path page) throws IOException {
        List<String[]> names = new ArrayList<>();
        boolean fence = false;
        for (String line : Files.readAllLines(page)) {
            if (line.strip().startsWith("```")) {
                fence = !fence;
                continue;
            }
            if (fence || line.strip().startsWith("<!--")) {
                continue; // a command's output, or a marker for the build
            }
            Matcher name = TEST_NAME.matcher(line);
            while (name.find()) {
                names.add(new String[] {name.group(1), name.group(2)});
            }
        }
        return names;
    }

    /** Why the named test does not exist, or null. */
    static String problem(Path project, String testClass, String method) throws IOException {
        Path source;
        try (Stream<Path> files = Files.walk(project.resolve("src/test/java"))) {
            source = files.filter(f -> f.getFileName().toString().equals(testClass + ".java")).findFirst().orElse(null);
        }
        if (source == null) {
            return "is no test class of src/test/java";
        }
        if (method != null && !Pattern.compile("void " + Pattern.quote(method) + "\\(").matcher(Files.readString(source)).find()) {
            return "has no such method";
        }
        return null;
    }

    /** The figures of a line with a link to a benchmark report that the report does not hold. */
    static List<String> figuresNotInReport(Path page, String line) throws IOException {
        Matcher link = REPORT_LINK.matcher(line);
        if (!link.find()) {
            return List.of();
        }
        Path report = page.getParent().resolve(link.group(1)).normalize();
        String held = Files.readString(report);
        List<String> missing = new ArrayList<>();
        Matcher figure = FIGURE.matcher(line.replace(link.group(0), ""));
        while (figure.find()) {
            if (!Pattern.compile("(?<![\\d.])" + Pattern.quote(figure.group()) + "(?![\\d])").matcher(held).find()) {
                missing.add(figure.group() + " is not in " + link.group(1).replaceFirst("^(\\.\\./)+", ""));
            }
        }
        return missing;
    }
}
