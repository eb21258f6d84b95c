package org.cnlearn.db.launcher;

import org.cnlearn.db.MavenRun;
import org.cnlearn.db.TestDatabase;
import org.cnlearn.db.WarmJvm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The deploy distribution that ./mvnw package made (target/cnlearn-db-VERSION/ and its .tar.gz), and
 * bin/cnlearn-db run as a deploy runs it: a child process, from an empty working directory, with an
 * environment of the test's choosing (never the developer's LIQUIBASE_* or CI).
 */
final class Distribution {

    /** target/cnlearn-db-VERSION/, as the pom passes it. */
    static final Path BUILT = Paths.get(System.getProperty("cnlearn.distribution"));
    static final Path ARCHIVE = BUILT.resolveSibling(BUILT.getFileName() + ".tar.gz");
    /** The Java the tests run on (17): the launcher's, unless a test names another. */
    static final String TEST_JAVA_HOME = System.getProperty("java.home");

    private Distribution() {
    }

    /** The archive unpacked (by tar, as a user unpacks it) into the folder; returns cnlearn-db-VERSION/ in it. */
    static Path unpack(Path into) throws IOException, InterruptedException {
        Files.createDirectories(into);
        Process tar = new ProcessBuilder("tar", "-xzf", ARCHIVE.toString(), "-C", into.toString()).redirectErrorStream(true).start();
        String output = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (tar.waitFor() != 0) {
            throw new AssertionError("tar -xzf " + ARCHIVE + " failed:\n" + output);
        }
        return into.resolve(BUILT.getFileName());
    }

    /** A copy of the built folder in a test's own place, which the test may edit (its changelog, say). */
    static Path copy(Path into) throws IOException {
        Path target = into.resolve(BUILT.getFileName());
        try (Stream<Path> files = Files.walk(BUILT)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path destination = target.resolve(BUILT.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    if (!BUILT.relativize(file).toString().equals("cache")) {
                        Files.createDirectories(destination);
                    }
                } else if (!BUILT.relativize(file).startsWith("cache")) {
                    Files.copy(file, destination, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return target;
    }

    /**
     * A copy of the distribution whose changelog has one more changeset, last: changes/FILE.yaml holding
     * that YAML. Its changelog is not the manifest's any more, so every run of it starts Liquibase.
     */
    static Path withChangeset(Path into, String file, String changesetYaml) throws IOException {
        return withChangesets(into, Map.of(file, changesetYaml));
    }

    /** The same with several files, included in the order the map gives them. */
    static Path withChangesets(Path into, Map<String, String> changesetYamlByFile) throws IOException {
        Path copy = copy(into);
        Path changelog = copy.resolve("lib/db-changelog");
        for (Map.Entry<String, String> file : changesetYamlByFile.entrySet()) {
            Files.writeString(changelog.resolve("changes/" + file.getKey() + ".yaml"), "databaseChangeLog:\n" + file.getValue());
            Files.writeString(changelog.resolve("db.changelog-master.yaml"), "  - include:\n      file: changes/" + file.getKey() + ".yaml\n"
                    + "      relativeToChangelogFile: true\n", java.nio.file.StandardOpenOption.APPEND);
        }
        return copy;
    }

    /** What one run printed, and how it ended. */
    record Run(int exitCode, String out, String err) {
        String all() {
            return out + err;
        }

        Run assertSucceeded() {
            if (exitCode != 0) {
                throw new AssertionError("bin/cnlearn-db exited with " + exitCode + ":\n" + all());
            }
            if (all().matches("(?s).*\\n\\s+at [\\w.$]+ ?\\(.*")) {
                throw new AssertionError("a successful run printed a stack trace:\n" + all());
            }
            return this;
        }

        Run assertFailed() {
            if (exitCode == 0) {
                throw new AssertionError("bin/cnlearn-db succeeded, and should not have:\n" + all());
            }
            return this;
        }
    }

    static Run run(Path distribution, Map<String, String> env, String... arguments) throws IOException, InterruptedException {
        return run(builder(distribution, env, arguments));
    }

    /** The launcher run as the builder says (from another working folder, say). */
    static Run run(ProcessBuilder builder) throws IOException, InterruptedException {
        Path output = Files.createTempFile("cnlearn-launcher", ".out");
        Path errors = Files.createTempFile("cnlearn-launcher", ".err");
        try {
            Process process = builder.redirectOutput(output.toFile()).redirectError(errors.toFile()).start();
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", builder.command()) + " did not finish in 5 minutes");
            }
            return new Run(process.exitValue(), Files.readString(output), Files.readString(errors));
        } finally {
            Files.deleteIfExists(output);
            Files.deleteIfExists(errors);
        }
    }

    /**
     * The launcher as a child process, not started: from an empty working directory, on the tests' Java. The
     * built distribution runs as a deploy's later runs do, on the start-up cache its first run recorded (one
     * for the suite, {@link #suiteCache}); a copy of it, whose cache would be another (a cache is made for one
     * lib/ folder), runs without one; a test that names CNLEARN_DB_STARTUP_CACHE itself gets what it names.
     */
    static ProcessBuilder builder(Path distribution, Map<String, String> env, String... arguments) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(distribution.resolve("bin/cnlearn-db").toString());
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).directory(emptyFolder().toFile());
        Map<String, String> environment = builder.environment();
        cleanEnvironment(environment);
        environment.put("JAVA_HOME", TEST_JAVA_HOME);
        environment.put("CNLEARN_DB_STARTUP_CACHE", "off");
        if (!env.containsKey("CNLEARN_DB_STARTUP_CACHE") && !env.containsKey("JAVA_HOME")
                && distribution.toAbsolutePath().normalize().equals(BUILT.toAbsolutePath().normalize())) {
            environment.put("CNLEARN_DB_STARTUP_CACHE", "use");
            environment.put("CNLEARN_DB_CACHE_DIR", suiteCache().toString());
        }
        environment.putAll(env);
        return builder;
    }

    /** Never the developer's database settings, CI, Java options or cache: a run gets only what its test gives. */
    private static void cleanEnvironment(Map<String, String> environment) {
        environment.keySet().removeIf(name -> name.startsWith("LIQUIBASE_") || name.startsWith("CNLEARN_") || name.equals("CI")
                || name.startsWith("TEST_DATABASE_") || name.equals("JAVA_OPTS") || name.startsWith("PG"));
    }

    private static final WarmJvm.Pool WARM = new WarmJvm.Pool(1, Distribution::startWarm);

    /**
     * A command of the launcher on a JVM the suite keeps warm ({@link WarmLauncherMain}): the same Main, jars
     * and Java options as bin/cnlearn-db gives Java, the same empty working folder and the test's environment,
     * but no JVM started for it. For the tests whose point is what a command does. What the script and the
     * JVM's start do (the Java chosen, JAVA_OPTS, the start-up cache, a signal, the process's exit status) is
     * proven through {@link #run}. The jars are the built distribution's; a copy's changelog is its own.
     */
    static Run launch(Path distribution, Map<String, String> env, String... arguments) throws IOException, InterruptedException {
        WarmJvm.Answer answer = WARM.call(new WarmJvm.Request(distribution.toAbsolutePath().toString(), List.of(arguments), env));
        return new Run(answer.status(), new String(answer.out(), StandardCharsets.UTF_8), new String(answer.err(), StandardCharsets.UTF_8));
    }

    private static WarmJvm startWarm() throws IOException {
        Path lib = BUILT.resolve("lib");
        List<String> classpath = new ArrayList<>();
        try (Stream<Path> jars = Files.list(lib)) {
            // bin/cnlearn-db's order: the project's jar, then the others by name
            jars.map(Path::toString).filter(jar -> jar.endsWith(".jar"))
                    .sorted(Comparator.comparing((String jar) -> !Path.of(jar).getFileName().toString().startsWith("cnlearn-db-"))
                            .thenComparing(Comparator.naturalOrder()))
                    .forEach(classpath::add);
        }
        // and what the warm JVM itself needs: WarmLauncherMain, and system-stubs for each command's environment
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (entry.endsWith("test-classes") || entry.contains("system-stubs") || entry.contains("byte-buddy")) {
                classpath.add(entry);
            }
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(TEST_JAVA_HOME, "bin", "java").toString());
        command.addAll(javaOptions());
        command.addAll(List.of("-cp", String.join(java.io.File.pathSeparator, classpath), WarmLauncherMain.class.getName()));
        return WarmJvm.start(command, emptyFolder(), Distribution::cleanEnvironment);
    }

    /** The Java options bin/cnlearn-db gives every run, read from its line {@code set -- -XX:... }. */
    private static List<String> javaOptions() throws IOException {
        for (String line : Files.readAllLines(BUILT.resolve("bin/cnlearn-db"))) {
            if (line.startsWith("set -- -XX:")) {
                return java.util.Arrays.stream(line.split("\\s+")).filter(word -> word.startsWith("-XX:") || word.startsWith("-Dliquibase.")).toList();
            }
        }
        throw new AssertionError("bin/cnlearn-db gives Java its options on no line 'set -- -XX:...' any more: say here where they are");
    }

    private static Path suiteCache;

    /**
     * The start-up cache of the built distribution on the tests' Java, recorded once for the suite by the
     * launcher's own {@code startup-cache} command on a database of its own: every later run maps it, as a
     * deploy's runs after its first do (a CPU-bound suite of some hundred launcher runs pays less for each).
     */
    private static synchronized Path suiteCache() throws IOException {
        if (suiteCache == null) {
            // under target/, made anew by each suite: the distribution may have been rebuilt since the last
            Path folder = BUILT.resolveSibling("test-startup-cache");
            if (Files.isDirectory(folder)) {
                try (Stream<Path> old = Files.list(folder)) {
                    for (Path file : (Iterable<Path>) old::iterator) {
                        Files.delete(file);
                    }
                }
            }
            Files.createDirectories(folder);
            try (TestDatabase db = org.cnlearn.db.TestServer.get().createDatabase("suite_startup_cache")) {
                Map<String, String> env = envFor(db);
                env.put("CNLEARN_DB_STARTUP_CACHE", "auto");
                env.put("CNLEARN_DB_CACHE_DIR", folder.toString());
                Run recording = run(builder(BUILT, env, "startup-cache"));
                if (recording.exitCode() != 0) {
                    throw new AssertionError("bin/cnlearn-db startup-cache failed:\n" + recording.all());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while recording the suite's start-up cache", e);
            }
            try (Stream<Path> files = Files.list(folder)) {
                if (files.noneMatch(file -> file.getFileName().toString().endsWith(".jsa") || file.getFileName().toString().endsWith(".aot"))) {
                    throw new AssertionError("bin/cnlearn-db startup-cache recorded nothing in " + folder);
                }
            }
            suiteCache = folder;
        }
        return suiteCache;
    }

    private static Path empty;

    /** An empty working directory, as a deploy step has: the launcher must need nothing from it. */
    private static synchronized Path emptyFolder() throws IOException {
        if (empty == null) {
            empty = Files.createTempDirectory("cnlearn-empty-cwd");
            empty.toFile().deleteOnExit();
        }
        return empty;
    }

    /** Waits for runs started at once (launchers, Maven runs) with their outputs joined; each must exit 0. */
    static void allSucceed(List<Process> runs, String what) throws IOException, InterruptedException {
        for (Process run : runs) {
            String output = new String(run.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (!run.waitFor(5, TimeUnit.MINUTES)) {
                throw new AssertionError("one of " + runs.size() + " " + what + " did not finish in 5 minutes");
            }
            if (run.exitValue() != 0) {
                throw new AssertionError("one of " + runs.size() + " " + what + " failed:\n" + output);
            }
        }
    }

    /** The environment that points the launcher at a test database, as it would the goals. */
    static Map<String, String> envFor(TestDatabase db) {
        return new HashMap<>(MavenRun.envFor(db));
    }
}
