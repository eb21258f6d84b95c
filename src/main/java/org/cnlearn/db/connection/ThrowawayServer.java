package org.cnlearn.db.connection;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Comparator;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * An embedded PostgreSQL of a given major whose data live in a temporary folder, removed when it is
 * closed or the JVM exits: drift's reference server, the tests' servers. initdb is its slowest part,
 * so each machine runs it once per set of binaries, into a template under java.io.tmpdir, and every
 * throwaway server starts from a copy of that template.
 */
public final class ThrowawayServer implements AutoCloseable {

    private static final String TEMPLATES = "cnlearn-db-templates";

    private final EmbeddedPostgres server;
    private final Path dataDir;
    private final Thread cleanup;

    private ThrowawayServer(EmbeddedPostgres server, Path dataDir) {
        this.server = server;
        this.dataDir = dataDir;
        this.cleanup = new Thread(this::stopAndDelete, "cnlearn-db throwaway PostgreSQL cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
    }

    /** Starts one; the customizer may edit the data folder (pg_hba.conf, say) before the server starts. */
    public static ThrowawayServer start(int major, Consumer<File> customizer) throws SQLException {
        return start(major, customizer, null);
    }

    /** The same, with the server's log written to that file (null: not kept). */
    public static ThrowawayServer start(int major, Consumer<File> customizer, Path log) throws SQLException {
        Path dataDir = null;
        try {
            Path template = template(major);
            dataDir = Files.createTempDirectory("cnlearn-pg" + major + "-");
            copy(template, dataDir);
            EmbeddedPostgres.Builder builder = builder(major).setDataDirectory(dataDir).setCleanDataDirectory(false);
            if (log != null) {
                builder.setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                        .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()));
            }
            if (customizer != null) {
                builder.setDataDirectoryCustomizer(customizer);
            }
            return new ThrowawayServer(builder.start(), dataDir);
        } catch (IOException | RuntimeException e) {
            delete(dataDir);
            throw new SQLException("Could not start a throwaway embedded PostgreSQL " + major + ": " + e.getMessage(), "08001", e);
        }
    }

    public String jdbcUrl(String user, String database) {
        return server.getJdbcUrl(user, database);
    }

    public int port() {
        return server.getPort();
    }

    @Override
    public void close() {
        stopAndDelete();
        try {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        } catch (IllegalStateException e) {
            // the JVM is exiting: the hook runs, or ran, anyway
        }
    }

    private synchronized void stopAndDelete() {
        try {
            server.close();
        } catch (IOException e) {
            // it is going away with its folder
        }
        delete(dataDir);
    }

    private static EmbeddedPostgres.Builder builder(int major) throws SQLException {
        return EmbeddedPostgres.builder()
                .setPgBinaryResolver(PostgresVersions.binaries(major, System.getProperties()))
                .setPGStartupWait(Duration.ofSeconds(60))
                .setRegisterShutdownHook(false)
                .setOutputRedirector(ProcessBuilder.Redirect.DISCARD)
                .setErrorRedirector(ProcessBuilder.Redirect.DISCARD);
    }

    /** A data folder initdb made for these binaries (and shut down cleanly), made once per machine. */
    private static Path template(int major) throws IOException, SQLException {
        String binaries = PostgresVersions.jarName(major, System.getProperties());
        Path home = Paths.get(System.getProperty("java.io.tmpdir"), TEMPLATES, binaries);
        Path data = home.resolve("data");
        Path ready = home.resolve("ready");
        if (isComplete(home)) {
            return data;
        }
        Files.createDirectories(home);
        try (FileChannel channel = new RandomAccessFile(home.resolve("lock").toFile(), "rw").getChannel();
             FileLock lock = channel.lock()) {
            if (!isComplete(home)) {
                delete(data);
                try (EmbeddedPostgres server = builder(major).setDataDirectory(data).setCleanDataDirectory(false).start()) {
                    server.getPort();
                }
                Files.deleteIfExists(data.resolve("epg-lock"));
                Files.writeString(ready, binaries);
            }
        }
        return data;
    }

    /** The template was finished, and is still whole (a temp cleaner may take part of it). */
    private static boolean isComplete(Path home) {
        return Files.exists(home.resolve("ready")) && Files.exists(home.resolve("data").resolve("PG_VERSION"));
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void delete(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover in the temporary folder is not worth failing for
        }
    }
}
