package org.cnlearn.db;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Warm Mavens for the goal tests: the goals run in {@link EmbeddedMavenMain}'s JVMs, started once for the
 * whole suite, rather than a JVM and a Maven started for every call (about 2 s of CPU each, before a goal
 * does anything). At most {@value #MAVENS} of them, each running one build at a time, since the machines
 * the suite runs on have few cores. Their working folder is this project's: a build of a copy of it
 * ({@link MavenRun#runIn}) reads the copy's pom and changelog, but a relative output file would land here.
 */
final class EmbeddedMaven {

    private static final int MAVENS = 2;
    private static final BlockingQueue<EmbeddedMaven> IDLE = new ArrayBlockingQueue<>(MAVENS);
    private static int started;

    private final Process process;
    private final int port;

    private EmbeddedMaven(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Runs one build of the project in that folder on an idle Maven (started if fewer than {@value #MAVENS} are). */
    static MavenRun run(Path project, Map<String, String> env, List<String> arguments) throws IOException, InterruptedException {
        EmbeddedMaven maven = take();
        boolean healthy = false;
        try {
            MavenRun run = maven.build(project, env, arguments);
            healthy = true;
            return run;
        } finally {
            if (healthy) {
                IDLE.add(maven);
            } else {
                maven.process.destroyForcibly();
                synchronized (EmbeddedMaven.class) {
                    started--;
                }
            }
        }
    }

    private static EmbeddedMaven take() throws IOException, InterruptedException {
        EmbeddedMaven idle = IDLE.poll();
        if (idle != null) {
            return idle;
        }
        synchronized (EmbeddedMaven.class) {
            if (started < MAVENS) {
                started++;
                try {
                    return start();
                } catch (IOException | RuntimeException e) {
                    started--;
                    throw e;
                }
            }
        }
        return IDLE.take();
    }

    private static EmbeddedMaven start() throws IOException {
        String home = System.getProperty("cnlearn.maven.home");
        if (home == null) {
            throw new IllegalStateException("cnlearn.maven.home is not set: run the tests through ./mvnw (pom.xml sets it)");
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // as .mvn/jvm.config sets the JVM of ./mvnw
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Dorg.slf4j.simpleLogger.log.io.zonky=warn",
                "-cp", System.getProperty("java.class.path"), EmbeddedMavenMain.class.getName(), home));
        ProcessBuilder builder = new ProcessBuilder(command).directory(Migrations.PROJECT_DIR.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        MavenRun.cleanEnvironment(builder.environment());
        Process process = builder.start();
        InputStream out = process.getInputStream();
        StringBuilder line = new StringBuilder();
        for (int c = out.read(); c != '\n'; c = out.read()) {
            if (c < 0) {
                throw new IllegalStateException("the embedded Maven's JVM ended before it started: " + line);
            }
            line.append((char) c);
        }
        // what the builds' threads print outside a build (a server's log, say) is read and dropped
        Thread drain = new Thread(() -> {
            try {
                out.transferTo(java.io.OutputStream.nullOutputStream());
            } catch (IOException ignored) {
                // the JVM ended
            }
        }, "embedded-maven-output");
        drain.setDaemon(true);
        drain.start();
        // stopped and waited for with the suite, so that its CPU counts in the suite's (bench/run verify)
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            process.destroy();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        return new EmbeddedMaven(process, Integer.parseInt(line.toString().trim()));
    }

    private MavenRun build(Path project, Map<String, String> env, List<String> arguments) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout((int) TimeUnit.MINUTES.toMillis(5));
            DataOutputStream request = new DataOutputStream(socket.getOutputStream());
            request.writeUTF(project.toString());
            request.writeInt(arguments.size());
            for (String argument : arguments) {
                request.writeUTF(argument);
            }
            request.writeInt(env.size());
            for (Map.Entry<String, String> entry : env.entrySet()) {
                request.writeUTF(entry.getKey());
                request.writeUTF(entry.getValue());
            }
            request.flush();
            DataInputStream answer = new DataInputStream(socket.getInputStream());
            int status = answer.readInt();
            byte[] output = answer.readNBytes(answer.readInt());
            return MavenRun.of(status, new String(output, StandardCharsets.UTF_8));
        }
    }
}
