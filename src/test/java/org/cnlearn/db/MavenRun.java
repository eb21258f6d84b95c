package org.cnlearn.db;

import org.cnlearn.db.connection.ConnectionSettings;
import org.cnlearn.db.connection.PostgresVersions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Maven run of this project's goals, offline, as a user runs them from the shell, with an environment of the
 * test's choosing (never the developer's LIQUIBASE_COMMAND_* or CI): on a warm Maven of the suite's
 * ({@link EmbeddedMaven}), or through ./mvnw as a child process where the process is what a test proves.
 */
public final class MavenRun {

    public final int exitCode;
    /** Everything printed, in order. */
    public final String output;
    /** What was printed on standard output alone, where it was kept apart (a warm Maven's builds); else null. */
    public final String standardOutput;

    private MavenRun(int exitCode, String output, String standardOutput) {
        this.exitCode = exitCode;
        this.output = output;
        this.standardOutput = standardOutput;
    }

    /** What a Maven process of the caller's printed, and how it ended. */
    public static MavenRun of(int exitCode, String output) {
        return new MavenRun(exitCode, output, null);
    }

    /** The same, with standard output kept apart too. */
    static MavenRun of(int exitCode, String output, String standardOutput) {
        return new MavenRun(exitCode, output, standardOutput);
    }

    /**
     * This project's goals, as {@code ./mvnw -o} runs them from its folder: on a warm Maven of the suite's
     * ({@link EmbeddedMaven}) when a database is given, else through ./mvnw, since a goal on the embedded
     * default keeps that server for the life of its JVM.
     */
    public static MavenRun run(Map<String, String> env, String... arguments) throws IOException, InterruptedException {
        boolean databaseGiven = env.containsKey(ConnectionSettings.URL_VARIABLE)
                || Arrays.stream(arguments).anyMatch(argument -> argument.startsWith("-Dliquibase.url="));
        if (databaseGiven || !liquibaseGoal(arguments)) {
            return EmbeddedMaven.run(Migrations.PROJECT_DIR, env, embeddedArguments(Migrations.PROJECT_DIR, arguments));
        }
        return process(env, arguments);
    }

    /**
     * What ./mvnw gives Maven besides the goals (.mvn/build-before-goals.sh): the cnlearn: plugin's folder as
     * a second local repository, and for a liquibase: goal the project's core extension.
     */
    private static List<String> embeddedArguments(Path project, String... arguments) {
        List<String> command = options(project);
        command.add("-Dmaven.repo.local.tail=" + Migrations.PROJECT_DIR.resolve("target/plugin-repository"));
        command.add("-Dmaven.repo.local.tail.ignoreAvailability=true");
        if (liquibaseGoal(arguments)) {
            command.add("-Dmaven.ext.class.path=" + Migrations.PROJECT_DIR.resolve("target/classes"));
        }
        command.addAll(Arrays.asList(arguments));
        // .mvn/report-on-stdout.sh: a report as data has standard output to itself
        if (Arrays.stream(arguments).anyMatch(a -> a.equalsIgnoreCase("-Dcnlearn.format=json") || a.equalsIgnoreCase("-Dcnlearn.format=markdown"))) {
            command.add("-Dorg.slf4j.simpleLogger.logFile=System.err");
        }
        return command;
    }

    private static boolean liquibaseGoal(String... arguments) {
        return Arrays.stream(arguments).anyMatch(argument -> argument.startsWith("liquibase:"));
    }

    /** Offline, batch, that project, the suite's repository and PostgreSQL major. */
    private static List<String> options(Path project) {
        List<String> options = new ArrayList<>(List.of("-o", "-B", "-f", project.resolve("pom.xml").toString()));
        String repository = System.getProperty("maven.repo.local");
        if (repository != null) {
            options.add("-Dmaven.repo.local=" + repository);
        }
        // the goals embed the same PostgreSQL major as the suite runs on
        options.add("-Dpg.version=" + System.getProperty(PostgresVersions.REQUESTED_PROPERTY));
        return options;
    }

    /** This project's goals through its own ./mvnw, as a process: for what the wrapper itself does. */
    public static MavenRun process(Map<String, String> env, String... arguments) throws IOException, InterruptedException {
        Process process = builder(Migrations.PROJECT_DIR, env, arguments).start();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("mvn " + String.join(" ", arguments) + " did not finish in 5 minutes");
        }
        return new MavenRun(process.exitValue(), new String(out, StandardCharsets.UTF_8), null);
    }

    /**
     * The goals of the project in that folder ({@link #projectCopy}, which a test edited), on a warm Maven of the
     * suite's, with this project's built plugin and output extension, as ./mvnw gives them; a database must be given.
     */
    public static MavenRun runIn(Path project, Map<String, String> env, String... arguments) throws IOException, InterruptedException {
        return EmbeddedMaven.run(project, env, embeddedArguments(project, arguments));
    }

    /** The child Maven process, not started yet. */
    public static ProcessBuilder builder(Map<String, String> env, String... arguments) {
        return builder(Migrations.PROJECT_DIR, env, arguments);
    }

    /** The same, on the project in that folder (a copy of this one, say). */
    public static ProcessBuilder builderIn(Path project, Map<String, String> env, String... arguments) {
        return builder(project, env, arguments);
    }

    private static ProcessBuilder builder(Path project, Map<String, String> env, String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(Migrations.PROJECT_DIR.resolve("mvnw").toString()); // as a user runs it (class-data sharing included)
        command.addAll(options(project));
        command.addAll(Arrays.asList(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).directory(project.toFile());
        cleanEnvironment(builder.environment());
        builder.environment().putAll(env);
        return builder;
    }

    /** Never the developer's database settings, CI or Maven options: a goal run gets only what its test gives. */
    static void cleanEnvironment(Map<String, String> environment) {
        environment.keySet().removeIf(name -> name.startsWith("LIQUIBASE_") || name.equals("CI")
                || name.startsWith("TEST_DATABASE_") || name.equals("MAVEN_ARGS") || name.equals("MAVEN_OPTS"));
    }

    /** The environment that points the goals at a test database. */
    public static Map<String, String> envFor(TestDatabase db) {
        Map<String, String> env = new java.util.HashMap<>();
        env.put(ConnectionSettings.URL_VARIABLE, db.url());
        if (db.username() != null) {
            env.put(ConnectionSettings.USERNAME_VARIABLE, db.username());
        }
        if (db.password() != null) {
            env.put(ConnectionSettings.PASSWORD_VARIABLE, db.password());
        }
        return env;
    }

    /** What one goal of a multi-goal run printed, from its "--- liquibase:...:goal" header to the next header. */
    public String goal(String goal) {
        String header = ":" + goal + " (default-cli)";
        int start = output.indexOf(header);
        if (start < 0) {
            throw new AssertionError("goal " + goal + " did not run:\n" + output);
        }
        int end = output.indexOf("[INFO] --- ", start + header.length());
        return output.substring(start, end < 0 ? output.length() : end);
    }

    /**
     * This project's pom, settings, changelog and compiled classes, copied to a folder where a test may
     * edit them; the embedded PostgreSQL binaries are linked, not copied.
     */
    public static Path projectCopy(Path target) throws IOException {
        for (String path : List.of("pom.xml", "liquibase.properties", "db-changelog", "target/classes")) {
            Path source = Migrations.PROJECT_DIR.resolve(path);
            try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(source)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    Path destination = target.resolve(Migrations.PROJECT_DIR.relativize(file).toString());
                    if (java.nio.file.Files.isDirectory(file)) {
                        java.nio.file.Files.createDirectories(destination);
                    } else {
                        java.nio.file.Files.createDirectories(destination.getParent());
                        java.nio.file.Files.copy(file, destination, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
        java.nio.file.Files.createSymbolicLink(target.resolve("target/postgres-binaries"),
                Migrations.PROJECT_DIR.resolve("target/postgres-binaries"));
        return target;
    }

    /**
     * A {@link #projectCopy} whose db-changelog/ is a fixture folder's instead (a path from the project's folder): its
     * master.yaml as the master changelog, its other files beside it; expected-*.txt files left out.
     */
    public static Path projectCopyWith(Path target, String fixtureFolder) throws IOException {
        Path project = projectCopy(target);
        Path changelog = project.resolve("db-changelog");
        try (java.util.stream.Stream<Path> old = java.nio.file.Files.walk(changelog)) {
            old.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        Path fixture = Migrations.PROJECT_DIR.resolve(fixtureFolder);
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(fixture)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path copy = changelog.resolve(fixture.relativize(file).toString().replace("master.yaml", "db.changelog-master.yaml"));
                if (java.nio.file.Files.isDirectory(file)) {
                    java.nio.file.Files.createDirectories(copy);
                } else if (!file.getFileName().toString().startsWith("expected")) {
                    java.nio.file.Files.copy(file, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return project;
    }

    /** Exit status 0; with -X, whose debug lines hold stack traces by design, this is the whole check. */
    public MavenRun assertExitedZero() {
        if (exitCode != 0) {
            throw new AssertionError("Maven exited with " + exitCode + ":\n" + output);
        }
        return this;
    }

    public MavenRun assertSucceeded() {
        if (exitCode != 0) {
            throw new AssertionError("Maven exited with " + exitCode + ":\n" + output);
        }
        if (printedStackTrace()) {
            throw new AssertionError("a successful run printed a stack trace:\n" + output);
        }
        return this;
    }

    /** Longest a failed goal's output may be, Maven's own framing included (issue 17). */
    public static final int MOST_FAILURE_LINES = 35;
    private static final java.util.regex.Pattern STACK_FRAME = java.util.regex.Pattern.compile("(?m)^\\s+at [\\w.$]+ ?\\(");
    private static final java.util.regex.Pattern CLASS_NAME = java.util.regex.Pattern.compile(
            "\\b(?:liquibase\\.exception\\.|java\\.[a-z]+\\.[A-Z]|org\\.postgresql\\.)");

    /**
     * A failed goal, as an operator reads it at Maven's default verbosity: a non-zero exit; at most
     * {@link #MOST_FAILURE_LINES} lines; the reason in the first error line, and at most once more
     * (Maven's closing block); no stack trace, no Liquibase, JDK or pgJDBC class name, and never the
     * plugin's placeholder URL.
     */
    public MavenRun assertReadableFailure(String reason) {
        if (exitCode == 0) {
            throw new AssertionError("the goal succeeded, and should not have:\n" + output);
        }
        List<String> lines = output.lines().toList();
        if (lines.size() > MOST_FAILURE_LINES) {
            throw new AssertionError(lines.size() + " lines, more than " + MOST_FAILURE_LINES + ":\n" + output);
        }
        String firstError = lines.stream().filter(line -> line.startsWith("[ERROR]")).findFirst().orElse("");
        if (!firstError.contains(reason)) {
            throw new AssertionError("the first error line does not give the reason «" + reason + "»:\n" + output);
        }
        int times = output.split(java.util.regex.Pattern.quote(reason), -1).length - 1;
        if (times > 2) {
            throw new AssertionError("the reason is given " + times + " times:\n" + output);
        }
        if (printedStackTrace() || output.contains("\nCaused by: ") || CLASS_NAME.matcher(output).find() || output.contains("jdbc:cnlearn:from-environment")
                || output.contains("Exception Details")) {
            throw new AssertionError("a stack trace, a class name, Liquibase's exception details or the placeholder URL:\n" + output);
        }
        return this;
    }

    /** A stack frame, as Maven or Java prints one ("    at liquibase.Scope.child (Scope.java:225)"). */
    public boolean printedStackTrace() {
        return STACK_FRAME.matcher(output).find();
    }
}
