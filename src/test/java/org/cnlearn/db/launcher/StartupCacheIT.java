package org.cnlearn.db.launcher;

import org.cnlearn.db.TestDatabase;
import org.cnlearn.db.TestServer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The start-up cache of bin/cnlearn-db: recorded by the first run where the distribution's folder is
 * writable (JDK 25: an AOT cache; 17: a class-data sharing archive), used by the next, and never used
 * for a Java or a lib/ it was not made for: JDK 25 itself does not notice a changed jar and would run
 * the cached classes (seen here), so the launcher names each cache by what it was made for.
 */
class StartupCacheIT {

    private static final String RECORDED = "[cnlearn-db] start-up cache recorded in ";

    @Test
    void onJava17() throws Exception {
        recordedUsedAndNeverStale(Distribution.TEST_JAVA_HOME, "jdk17", "jsa");
    }

    @Test
    void onJava25() throws Exception {
        recordedUsedAndNeverStale(java25(), "jdk25", "aot");
    }

    /**
     * The run that records the cache only reads. (Before the fix it reused one connection for its
     * commands, and update-sql, after history, recorded the changeset as run without running it.)
     */
    @Test
    void recordingTheCacheChangesNothing(@TempDir Path temp) throws Exception {
        Path distribution = Distribution.copy(temp);
        try (TestDatabase db = TestServer.get().createDatabase("cache_reads_only")) {
            Map<String, String> env = Distribution.envFor(db);
            env.put("CNLEARN_DB_STARTUP_CACHE", "auto");
            Distribution.Run status = Distribution.run(distribution, env, "status").assertSucceeded();
            assertTrue(status.err().startsWith(RECORDED), status.all());
            assertTrue(status.out().contains("1 changeset has not been applied"), status.all());
            assertEquals(List.of(), db.objectsIn("public"), "the recording run left something behind");
            assertTrue(Distribution.run(distribution, env, "status").assertSucceeded().out().contains("1 changeset has not been applied"));
            Distribution.run(distribution, env, "update").assertSucceeded();
            assertEquals(List.of("0001-create-user-table"), db.appliedChangesets());
        }
    }

    /** A cache is kept for each of the last four (Java, JAVA_OPTS, lib/): alternating between two never records anew. */
    @Test
    @Tag("soak") // a repetition of recording, in the soak profile (docs/architecture.md#tests)
    void noMoreThanFourCachesAreKept(@TempDir Path temp) throws Exception {
        Path distribution = Distribution.copy(temp);
        try (TestDatabase db = TestServer.get().createDatabase("cache_four")) {
            Map<String, String> env = Distribution.envFor(db);
            env.put("CNLEARN_DB_STARTUP_CACHE", "auto");
            Distribution.run(distribution, env, "update").assertSucceeded();
            for (int variant = 1; variant <= 5; variant++) {
                env.put("JAVA_OPTS", "-Dcnlearn.test.variant=" + variant);
                assertTrue(Distribution.run(distribution, env, "status").assertSucceeded().err().startsWith(RECORDED));
            }
            assertEquals(4, cacheFiles(distribution).size(), cacheFiles(distribution).toString());
            env.put("JAVA_OPTS", "-Dcnlearn.test.variant=4");
            assertEquals("", Distribution.run(distribution, env, "status").assertSucceeded().err(), "variant 4 was recorded anew");
        }
    }

    @Test
    @Tag("soak") // a repetition of recording, in the soak profile (docs/architecture.md#tests)
    void fourFirstRunsAtOnceLeaveOneWholeCache(@TempDir Path temp) throws Exception {
        Path distribution = Distribution.copy(temp);
        try (TestDatabase db = TestServer.get().createDatabase("cache_crowd")) {
            Map<String, String> env = Distribution.envFor(db);
            env.put("JAVA_HOME", java25());
            env.put("CNLEARN_DB_STARTUP_CACHE", "auto");
            List<Process> runs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                runs.add(Distribution.builder(distribution, env, "update").redirectErrorStream(true).start());
            }
            Distribution.allSucceed(runs, "first runs at once");
            assertEquals(1, db.count("SELECT count(*) FROM databasechangelog"));
            List<String> cache = cacheFiles(distribution);
            assertEquals(1, cache.size(), "the cache folder holds " + cache);
            assertTrue(cache.get(0).matches("cnlearn-db-jdk25-\\d+\\.aot"), cache.toString());
            Distribution.run(distribution, env, "status").assertSucceeded();
        }
    }

    private void recordedUsedAndNeverStale(String javaHome, String jdk, String kind) throws Exception {
        Path temp = Files.createTempDirectory("cnlearn-cache-" + jdk);
        try (TestDatabase db = TestServer.get().createDatabase("cache_" + jdk)) {
            Path distribution = Distribution.copy(temp);
            Path classes = temp.resolve("classes.log");
            Map<String, String> env = Distribution.envFor(db);
            env.put("JAVA_HOME", javaHome);
            env.put("CNLEARN_DB_STARTUP_CACHE", "auto");
            // the same JAVA_OPTS on every run (they are part of what a cache is made for): which classes came from where
            env.put("JAVA_OPTS", "-Xlog:class+load=info:file=" + classes);

            Distribution.Run first = Distribution.run(distribution, env, "update").assertSucceeded();
            assertTrue(first.err().startsWith(RECORDED + distribution.resolve("cache/cnlearn-db-" + jdk + "-")), first.all());
            List<String> cache = cacheFiles(distribution);
            assertEquals(1, cache.size(), cache.toString());
            assertTrue(cache.get(0).endsWith("." + kind), cache.toString());

            Distribution.Run second = Distribution.run(distribution, env, "update").assertSucceeded();
            assertEquals("", second.err(), "the second run recorded again:\n" + second.all());
            assertTrue(loadedFrom(classes, "org.cnlearn.db.launcher.Main").contains("shared objects file"),
                    "the second run did not use the cache: " + loadedFrom(classes, "org.cnlearn.db.launcher.Main"));
            Distribution.Run liquibase = Distribution.run(distribution, env, "history").assertSucceeded();
            assertEquals("", liquibase.err(), liquibase.all());
            assertTrue(loadedFrom(classes, "liquibase.Scope").contains("shared objects file"),
                    "Liquibase's classes are not in the cache: " + loadedFrom(classes, "liquibase.Scope"));

            // the same name, other contents: as a rebuilt SNAPSHOT, or a patched jar, would be
            rewriteWithAnExtraEntry(onlyJar(distribution, "cnlearn-db-"));
            Distribution.Run changed = Distribution.run(distribution, env, "update").assertSucceeded();
            assertTrue(changed.err().startsWith(RECORDED), "no new cache for the changed jar:\n" + changed.all());
            List<String> after = new ArrayList<>(cacheFiles(distribution));
            after.removeAll(cache);
            assertEquals(1, after.size(), "no cache of a new name for the changed jar: " + cacheFiles(distribution));
            Distribution.Run again = Distribution.run(distribution, env, "update").assertSucceeded();
            assertEquals("", again.err(), again.all());
            assertTrue(loadedFrom(classes, "org.cnlearn.db.launcher.Main").contains("shared objects file"));
        } finally {
            try (Stream<Path> files = Files.walk(temp)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** What the class-load log says of where a class came from. */
    private static String loadedFrom(Path log, String className) throws IOException {
        return Files.readAllLines(log).stream().filter(l -> l.contains(" " + className + " source: ")).findFirst()
                .orElse(className + " was not loaded");
    }

    private static List<String> cacheFiles(Path distribution) throws IOException {
        try (Stream<Path> files = Files.list(distribution.resolve("cache"))) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static Path onlyJar(Path distribution, String prefix) throws IOException {
        try (Stream<Path> jars = Files.list(distribution.resolve("lib"))) {
            return jars.filter(p -> p.getFileName().toString().startsWith(prefix)).findFirst().orElseThrow();
        }
    }

    private static void rewriteWithAnExtraEntry(Path jar) throws IOException {
        Path rewritten = jar.resolveSibling(jar.getFileName() + ".new");
        try (JarFile in = new JarFile(jar.toFile()); OutputStream file = Files.newOutputStream(rewritten);
             JarOutputStream out = new JarOutputStream(file)) {
            for (JarEntry entry : java.util.Collections.list(in.entries())) {
                out.putNextEntry(new JarEntry(entry.getName()));
                in.getInputStream(entry).transferTo(out);
                out.closeEntry();
            }
            out.putNextEntry(new JarEntry("cnlearn-test-extra.txt"));
            out.write("changed".getBytes());
            out.closeEntry();
        }
        Files.move(rewritten, jar, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** A JDK 25 (JAVA25_HOME, else under /usr/lib/jvm); this kind of machine has Temurin's. */
    static String java25() throws IOException {
        String given = System.getenv("JAVA25_HOME");
        if (given != null && Files.isExecutable(Paths.get(given, "bin/java"))) {
            return given;
        }
        Path jvms = Paths.get("/usr/lib/jvm");
        if (Files.isDirectory(jvms)) {
            try (Stream<Path> homes = Files.list(jvms)) {
                for (Path home : (Iterable<Path>) homes.sorted()::iterator) {
                    if (home.getFileName().toString().contains("25") && Files.isExecutable(home.resolve("bin/java"))) {
                        return home.toString();
                    }
                }
            }
        }
        String why = "no JDK 25 (JAVA25_HOME, or under /usr/lib/jvm), so the AOT cache tests did not run";
        if (org.cnlearn.db.settings.ContinuousIntegration.detected()) {
            throw new IllegalStateException(why + ", and CI must run them");
        }
        System.out.println("[cnlearn-db tests] " + why);
        Assumptions.abort(why);
        return null;
    }
}
