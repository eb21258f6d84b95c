package org.cnlearn.db;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A real PgBouncer (Debian's package) in front of the test server, started once per test JVM for
 * each pool mode, with its configuration in target/pgbouncer/ and on a free local port, stopped
 * when the JVM exits. Where PgBouncer is not installed, the tests that need it are skipped with the
 * reason; under CI they fail instead, since .ci/run installs it.
 */
public final class PgBouncer {

    public enum Mode { SESSION, TRANSACTION }

    private static final List<String> BINARIES = List.of("/usr/sbin/pgbouncer", "/usr/bin/pgbouncer", "/usr/local/bin/pgbouncer");
    private static final Map<Mode, PgBouncer> RUNNING = new EnumMap<>(Mode.class);
    private static boolean toldMissing;

    private final Process process;
    private final int port;

    private PgBouncer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** The pooler of that mode, started if need be; skips the test (fails it under CI) when PgBouncer is not installed. */
    public static synchronized PgBouncer get(Mode mode) {
        String binary = BINARIES.stream().filter(b -> Files.isExecutable(Paths.get(b))).findFirst().orElse(null);
        if (binary == null) {
            String why = "PgBouncer is not installed (apt-get install pgbouncer), so the tests through a connection pooler did not run";
            if (org.cnlearn.db.settings.ContinuousIntegration.detected()) {
                throw new IllegalStateException(why + ", and CI must run them: .ci/run installs it");
            }
            if (!toldMissing) {
                toldMissing = true;
                System.out.println("[cnlearn-db tests] " + why);
            }
            Assumptions.abort(why);
        }
        return RUNNING.computeIfAbsent(mode, m -> start(binary, m));
    }

    /** "127.0.0.1:port", for {@link TestDatabase#through}. */
    public String address() {
        return "127.0.0.1:" + port;
    }

    private static PgBouncer start(String binary, Mode mode) {
        TestServer server = TestServer.get();
        try {
            int port = freePort();
            Path dir = Migrations.PROJECT_DIR.resolve("target/pgbouncer/" + mode.name().toLowerCase() + "-" + ProcessHandle.current().pid());
            Files.createDirectories(dir);
            String[] hostPort = server.hostAndPort().split(":");
            String login = server.password() == null ? "" : " user=" + server.username() + " password=" + server.password();
            Files.writeString(dir.resolve("users.txt"), "\"" + server.username() + "\" \"\"\n");
            Files.writeString(dir.resolve("pgbouncer.ini"), "[databases]\n"
                    + "* = host=" + hostPort[0] + " port=" + hostPort[1] + login + "\n"
                    + "[pgbouncer]\n"
                    + "listen_addr = 127.0.0.1\n"
                    + "listen_port = " + port + "\n"
                    + "unix_socket_dir =\n"
                    + "auth_type = trust\n"
                    + "auth_file = " + dir.resolve("users.txt") + "\n"
                    + "pool_mode = " + mode.name().toLowerCase() + "\n"
                    + "default_pool_size = 40\n"
                    + "max_client_conn = 400\n"
                    + "ignore_startup_parameters = extra_float_digits,options\n"
                    // PgBouncer refuses to run as root; where the tests run as root it switches to nobody
                    + ("root".equals(System.getProperty("user.name")) ? "user = nobody\n" : ""));
            Process process = new ProcessBuilder(binary, dir.resolve("pgbouncer.ini").toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("pgbouncer.log").toFile()).start();
            PgBouncer pooler = new PgBouncer(process, port);
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!accepts(port)) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("PgBouncer (" + mode + ") did not start: " + Files.readString(dir.resolve("pgbouncer.log")));
                }
                Thread.sleep(50);
            }
            System.out.println("[cnlearn-db tests] PgBouncer in " + mode.name().toLowerCase() + " mode on 127.0.0.1:" + port
                    + ", in front of " + server.hostAndPort());
            return pooler;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
