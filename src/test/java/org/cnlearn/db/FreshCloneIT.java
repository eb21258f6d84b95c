package org.cnlearn.db;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Run by the soak profile (docs/architecture.md#tests): ./mvnw verify has one fresh clone, AuthorLoopIT's. A goal is the
 * first command a newcomer types, on a clone where nothing is built: it builds what it
 * needs (the project's classes, the embedded binaries) itself, and after a change to src/main (a git
 * pull) it builds again before it runs. Each clone here is what git checks out: no target/.
 */
@org.junit.jupiter.api.Tag("soak")
class FreshCloneIT {

    private static final String BUILDING = "[cnlearn-db] the project is not built yet: building it first (./mvnw process-classes)";
    private static final String REBUILDING = "[cnlearn-db] src/main changed since the last build: building it first (./mvnw process-classes)";

    @Test
    void statusAgainstAServerIsTheFirstCommandThenAChangedSourceIsBuiltAgain(@TempDir Path temp) throws Exception {
        Path clone = freshClone(temp.resolve("clone"));
        try (TestDatabase db = TestServer.get().createDatabase("fresh_clone")) {
            String first = mvnw(clone, MavenRun.envFor(db), "liquibase:status");
            assertTrue(first.contains(BUILDING), first);
            assertTrue(first.contains("1 changeset has not been applied to "), first);

            String again = mvnw(clone, MavenRun.envFor(db), "liquibase:status");
            assertFalse(again.contains("building it first"), "a built clone was built again:\n" + again);

            // as a git pull leaves a changed source: newer than what was built from it
            Path source = clone.resolve("src/main/java/org/cnlearn/db/connection/CnlearnDriver.java");
            Files.setLastModifiedTime(source, FileTime.fromMillis(System.currentTimeMillis() + 5_000));
            String pulled = mvnw(clone, MavenRun.envFor(db), "liquibase:status");
            assertTrue(pulled.contains(REBUILDING), pulled);
            assertTrue(pulled.contains("1 changeset has not been applied to "), pulled);
        }
    }

    @Test
    void updateOnTheEmbeddedDefaultIsTheFirstCommand(@TempDir Path temp) throws Exception {
        Path clone = freshClone(temp.resolve("clone"));
        String first = mvnw(clone, Map.of(), "liquibase:update", "-Dcnlearn.embedded.dir=" + temp.resolve("embedded"));
        assertTrue(first.contains(BUILDING), first);
        assertTrue(first.contains("Running Changeset: db-changelog/changes/0001-create-user-table.yaml::0001-create-user-table::cnlearn"), first);
        assertTrue(first.contains("[cnlearn-db] LIQUIBASE_COMMAND_URL is not set: using the embedded PostgreSQL "), first);
    }

    /** What git checks out: the sources, the changelog, the wrapper; nothing built. */
    static Path freshClone(Path clone) throws IOException {
        for (String path : List.of("pom.xml", "mvnw", "liquibase.properties", ".mvn", "db-changelog", "src/main")) {
            Path source = Migrations.PROJECT_DIR.resolve(path);
            try (Stream<Path> files = Files.walk(source)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    Path destination = clone.resolve(Migrations.PROJECT_DIR.relativize(file).toString());
                    if (Files.isDirectory(file)) {
                        Files.createDirectories(destination);
                    } else {
                        Files.createDirectories(destination.getParent());
                        Files.copy(file, destination, StandardCopyOption.COPY_ATTRIBUTES);
                    }
                }
            }
        }
        assertFalse(Files.exists(clone.resolve("target")));
        return clone;
    }

    /** The clone's own ./mvnw, offline, from the clone's folder, as a user types it there; it must succeed. */
    static String mvnw(Path clone, Map<String, String> env, String... arguments) throws Exception {
        MavenRun run = mvnwRun(clone, env, arguments);
        assertEquals(0, run.exitCode, "./mvnw " + String.join(" ", arguments) + " failed:\n" + run.output);
        return run.output;
    }

    /** The same, however it ends. */
    static MavenRun mvnwRun(Path clone, Map<String, String> env, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(clone.resolve("mvnw").toString(), "-o", "-B"));
        String repository = System.getProperty("maven.repo.local");
        if (repository != null) {
            command.add("-Dmaven.repo.local=" + repository);
        }
        command.add("-Dpg.version=" + System.getProperty("cnlearn.pg.version"));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).directory(clone.toFile()).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("LIQUIBASE_") || name.equals("CI")
                || name.startsWith("TEST_DATABASE_") || name.equals("MAVEN_ARGS") || name.equals("MAVEN_OPTS"));
        builder.environment().putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(5, TimeUnit.MINUTES), "./mvnw did not finish");
        return MavenRun.of(process.exitValue(), output);
    }
}
