package org.cnlearn.db;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/reference.md is the whole list: every cnlearn. property and CNLEARN_ variable the shipped code reads, every
 * goal's -D flag and every launcher command and option has a row; and every row names something that is read.
 */
class ReferenceTest {

    private static final Path PROJECT = Migrations.PROJECT_DIR;
    private static final Pattern PROPERTY = Pattern.compile("\"(cnlearn\\.[A-Za-z][A-Za-z.-]*)\"");
    private static final Pattern SCRIPT_PROPERTY = Pattern.compile("-D(cnlearn\\.[A-Za-z][A-Za-z.-]*[A-Za-z])");
    private static final Pattern VARIABLE = Pattern.compile("\\b(CNLEARN_[A-Z_]+)\\b");
    private static final Pattern GOAL_FLAG = Pattern.compile("(?:property = |userSetting\\()\"([A-Za-z][A-Za-z.]*)\"");
    private static final Pattern CODE_SPAN = Pattern.compile("`([^`]+)`");

    @Test
    void everySettingTheCodeReadsHasARow() throws Exception {
        List<String> rows = rows(Files.readAllLines(PROJECT.resolve("docs/reference.md")));
        List<String> missing = new ArrayList<>();
        for (String name : readByTheCode(PROJECT)) {
            if (!named(rows, name)) {
                missing.add(name);
            }
        }
        for (String option : launcherOptions()) {
            if (!named(rows, "--" + option)) {
                missing.add("--" + option);
            }
        }
        for (String command : launcherCommands()) {
            if (rows.stream().noneMatch(row -> row.startsWith("| `" + command + "` |"))) {
                missing.add("command " + command);
            }
        }
        assertEquals(List.of(), missing, "read by the code, with no row in docs/reference.md");
        assertTrue(readByTheCode(PROJECT).size() > 25, "the code reads only " + readByTheCode(PROJECT) + ": the test finds no source");
    }

    @Test
    void everyRowNamesSomethingThatIsRead() throws Exception {
        String code = corpus(PROJECT, List.of("src/main", "src/dist", ".mvn", "mvnw", "pom.xml", "Dockerfile", "src/test", ".ci"))
                + pluginDescriptor(); // -Dliquibase.tag and its kind are read by Liquibase's plugin
        Set<String> options = launcherOptions();
        List<String> unread = new ArrayList<>();
        int names = 0;
        for (String row : rows(Files.readAllLines(PROJECT.resolve("docs/reference.md")))) {
            for (String name : firstCellNames(row)) {
                names++;
                boolean read = name.startsWith("--") ? options.contains(name.substring(2))
                        : name.matches("(liquibase|cnlearn):[A-Za-z]+") || launcherCommands().contains(name) || mentioned(code, name);
                if (!read) {
                    unread.add(name);
                }
            }
        }
        assertEquals(List.of(), unread, "rows of docs/reference.md that name nothing the code reads");
        assertTrue(names > 80, "only " + names + " names in the reference's rows");
    }

    /** The launcher's --help names every command and every option (status --verbose was once missing). */
    @Test
    void theLaunchersHelpNamesEveryCommandAndOption() throws Exception {
        String help = (String) invoke("org.cnlearn.db.launcher.Help", "text", new Class<?>[] {String.class}, (Object) null);
        List<String> missing = new ArrayList<>();
        launcherCommands().stream().filter(command -> !help.contains("  " + command + " ")).forEach(missing::add);
        launcherOptions().stream().filter(option -> !help.contains("--" + option))
                .map(option -> "--" + option).forEach(missing::add);
        assertEquals(List.of(), missing, "not in cnlearn-db --help");
    }

    /** Both directions of the first test, on a made-up project: a setting read with no row is found; one with a row is not. */
    @Test
    void aSettingWithoutARowIsFound(@TempDir Path project) throws Exception {
        Path source = Files.createDirectories(project.resolve("src/main/java/x")).resolve("X.java");
        Files.writeString(source, "class X { String a = System.getProperty(\"cnlearn.documented\"); String b = System.getProperty(\"cnlearn.newSetting\");"
                + " String c = System.getenv(\"CNLEARN_NEW_VARIABLE\"); }");
        List<String> rows = rows(List.of("# Reference", "| setting | meaning |", "| --- | --- |", "| `-Dcnlearn.documented=N` | a row |",
                "| `-Dcnlearn.newSettingElsewhere` | another setting's row |"));
        List<String> missing = readByTheCode(project).stream().filter(name -> !named(rows, name)).toList();
        assertEquals(List.of("CNLEARN_NEW_VARIABLE", "cnlearn.newSetting"), missing);
    }

    /** Each cnlearn. property and CNLEARN_ variable of the shipped code and scripts, and each -D flag of the cnlearn: goals. */
    static Set<String> readByTheCode(Path project) throws IOException {
        Set<String> names = new TreeSet<>();
        for (String text : texts(project, List.of("src/main", "src/dist", ".mvn", "mvnw", "Dockerfile"))) {
            collect(PROPERTY, text, names);
            collect(SCRIPT_PROPERTY, text, names);
            collect(VARIABLE, text, names);
            collect(GOAL_FLAG, text, names);
        }
        return names;
    }

    /** Whether a row names it: in a code span, as itself, as -Dname, or followed by =VALUE. */
    static boolean named(List<String> rows, String name) {
        Pattern span = Pattern.compile("`(?:-D)?" + Pattern.quote(name) + "(?:[=`]|\\\\?\\|)");
        return rows.stream().anyMatch(row -> span.matcher(row).find());
    }

    /** The table rows of a Markdown page, headers and rules left out. */
    static List<String> rows(List<String> lines) {
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            boolean header = i + 1 < lines.size() && lines.get(i + 1).startsWith("| ---");
            if (line.startsWith("| ") && !line.startsWith("| ---") && !header) {
                rows.add(line);
            }
        }
        return rows;
    }

    /** The names in a row's first cell: each code span, without -D and without =VALUE. */
    private static List<String> firstCellNames(String row) {
        String cell = row.substring(2, row.indexOf(" |", 1) < 0 ? row.length() : row.indexOf(" |", 1));
        List<String> names = new ArrayList<>();
        Matcher span = CODE_SPAN.matcher(cell);
        while (span.find()) {
            String name = span.group(1).replaceFirst("^-D", "").replaceFirst("^-P", "");
            name = name.replaceFirst("=.*$", "").replaceFirst(" .*$", "");
            if (!name.matches("\\d+( \\+ N)?")) { // the exit statuses' table
                names.add(name);
            }
        }
        return names;
    }

    /** The name as a word of its own in the code (CI in getenv("CI"), not in "CIRCLE"). */
    private static boolean mentioned(String code, String name) {
        return Pattern.compile("(?<![A-Za-z0-9_.-])" + Pattern.quote(name) + "(?![A-Za-z0-9_-])").matcher(code).find();
    }

    private static void collect(Pattern pattern, String text, Set<String> names) {
        Matcher matcher = pattern.matcher(text);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
    }

    private static String corpus(Path project, List<String> roots) throws IOException {
        return String.join("\n", texts(project, roots));
    }

    private static List<String> texts(Path project, List<String> roots) throws IOException {
        List<String> texts = new ArrayList<>();
        for (String root : roots) {
            Path path = project.resolve(root);
            if (!Files.exists(path)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(path)) {
                for (Path file : files.filter(Files::isRegularFile).filter(f -> !f.toString().matches(".*\\.(jar|png|class)$")).toList()) {
                    texts.add(Files.readString(file));
                }
            }
        }
        return texts;
    }

    /** The Liquibase Maven plugin's descriptor, from the local repository that holds liquibase-core. */
    private static String pluginDescriptor() throws Exception {
        Path core = Path.of(liquibase.Scope.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        String version = core.getParent().getFileName().toString();
        Path plugin = core.getParent().getParent().getParent().resolve("liquibase-maven-plugin").resolve(version)
                .resolve("liquibase-maven-plugin-" + version + ".jar");
        try (java.util.jar.JarFile jar = new java.util.jar.JarFile(plugin.toFile())) {
            return new String(jar.getInputStream(jar.getEntry("META-INF/maven/plugin.xml")).readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @SuppressWarnings("unchecked")
    private static Set<String> launcherCommands() throws Exception {
        return ((Map<String, Set<String>>) field("COMMANDS")).keySet();
    }

    @SuppressWarnings("unchecked")
    private static Set<String> launcherOptions() throws Exception {
        Set<String> options = new TreeSet<>((Set<String>) field("COMMON"));
        options.addAll((Set<String>) field("FLAGS"));
        ((Map<String, Set<String>>) field("COMMANDS")).values().forEach(options::addAll);
        return options;
    }

    private static Object field(String name) throws Exception {
        Field field = Class.forName("org.cnlearn.db.launcher.Arguments").getDeclaredField(name);
        field.setAccessible(true);
        return field.get(null);
    }

    private static Object invoke(String type, String method, Class<?>[] parameters, Object... arguments) throws Exception {
        var m = Class.forName(type).getDeclaredMethod(method, parameters);
        m.setAccessible(true);
        return m.invoke(null, arguments);
    }
}
