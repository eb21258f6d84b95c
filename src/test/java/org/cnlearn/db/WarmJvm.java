package org.cnlearn.db;

import uk.org.webcompere.systemstubs.environment.EnvironmentVariables;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A JVM the suite starts once and hands runs to, rather than a JVM started (and warmed) for every run: the
 * goals' Maven ({@link EmbeddedMaven}) and the deploy launcher (launcher/WarmLauncher). It serves one run at a
 * time, on a loopback socket whose port is the first line it prints: the test writes the folder, the
 * arguments and the environment; the JVM answers with the exit status and what the run printed on each stream.
 */
public final class WarmJvm {

    /** A run: from that folder, with those arguments and that environment. */
    public record Request(String folder, List<String> arguments, Map<String, String> env) {
    }

    /** How a run ended, and what it printed. */
    public record Answer(int status, byte[] out, byte[] err) {
    }

    /** What a warm JVM does with each run. */
    @FunctionalInterface
    public interface Handler {
        Answer handle(Request request) throws Exception;
    }

    private final Process process;
    private final int port;

    private WarmJvm(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * The warm JVM's side, from its main: serves runs one after another until the JVM that started it is
     * gone (that JVM never writes to this one's input, so its end is the sign). It then exits as a JVM ends,
     * with its shutdown hooks: a server a goal keeps for its JVM's life (a drift reference, say) is stopped
     * and deleted by its own hook, not left running.
     */
    public static void serve(Handler handler) throws IOException {
        Thread orphaned = new Thread(() -> {
            try {
                System.in.transferTo(java.io.OutputStream.nullOutputStream());
            } catch (IOException ignored) {
                // gone too
            }
            System.exit(0);
        }, "parent-watch");
        orphaned.setDaemon(true);
        orphaned.start();
        try (ServerSocket server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            System.out.println(server.getLocalPort());
            System.out.flush();
            while (true) {
                try (Socket socket = server.accept()) {
                    DataInputStream in = new DataInputStream(socket.getInputStream());
                    String folder = in.readUTF();
                    List<String> arguments = new ArrayList<>();
                    for (int i = in.readInt(); i > 0; i--) {
                        arguments.add(in.readUTF());
                    }
                    Map<String, String> env = new HashMap<>();
                    for (int i = in.readInt(); i > 0; i--) {
                        env.put(in.readUTF(), in.readUTF());
                    }
                    Answer answer;
                    try {
                        answer = handler.handle(new Request(folder, arguments, env));
                    } catch (Exception e) {
                        java.io.StringWriter trace = new java.io.StringWriter();
                        e.printStackTrace(new java.io.PrintWriter(trace));
                        answer = new Answer(1, new byte[0], trace.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    }
                    DataOutputStream out = new DataOutputStream(socket.getOutputStream());
                    out.writeInt(answer.status());
                    out.writeInt(answer.out().length);
                    out.write(answer.out());
                    out.writeInt(answer.err().length);
                    out.write(answer.err());
                    out.flush();
                }
            }
        }
    }

    /**
     * The body, run as a JVM of its own would run it: on a thread of its own (what a run leaves in its
     * thread's locals, Liquibase's scope, goes with it), with the environment the test gave, and with the
     * system properties as they were before it (a run sets some: each -D of Maven, a flag of the launcher's).
     * Its exit status; a failure's stack trace goes to {@code failures}, with status 1.
     */
    public static int isolated(Map<String, String> env, ClassLoader contextLoader, Callable<Integer> body, PrintStream failures)
            throws InterruptedException {
        AtomicInteger status = new AtomicInteger(1);
        Properties before = (Properties) System.getProperties().clone();
        Thread run = new Thread(() -> {
            try {
                new EnvironmentVariables(env).execute(() -> status.set(body.call()));
            } catch (Throwable e) {
                e.printStackTrace(failures);
            }
        }, "warm-run");
        run.setContextClassLoader(contextLoader);
        run.start();
        try {
            run.join();
        } finally {
            System.setProperties(before);
        }
        return status.get();
    }

    /**
     * Starts a warm JVM: the command runs a main that calls {@link #serve}, from that folder, with the
     * environment of the suite less what {@code environment} removes. Its standard error is the suite's; it is
     * stopped and waited for when the suite ends, so that its CPU counts in the suite's (bench/run verify).
     */
    public static WarmJvm start(List<String> command, Path folder, java.util.function.Consumer<Map<String, String>> environment)
            throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(folder.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT);
        environment.accept(builder.environment());
        Process process = builder.start();
        InputStream out = process.getInputStream();
        StringBuilder line = new StringBuilder();
        for (int c = out.read(); c != '\n'; c = out.read()) {
            if (c < 0) {
                throw new IllegalStateException("the warm JVM " + command.get(command.size() - 1) + " ended before it started: " + line);
            }
            line.append((char) c);
        }
        // what it prints outside a run (a server's log, say) is read and dropped
        Thread drain = new Thread(() -> {
            try {
                out.transferTo(java.io.OutputStream.nullOutputStream());
            } catch (IOException ignored) {
                // the JVM ended
            }
        }, "warm-jvm-output");
        drain.setDaemon(true);
        drain.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            process.destroy();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        return new WarmJvm(process, Integer.parseInt(line.toString().trim()));
    }

    /** One run on this JVM; it must answer within 5 minutes. */
    public Answer call(Request request) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout((int) TimeUnit.MINUTES.toMillis(5));
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeUTF(request.folder());
            out.writeInt(request.arguments().size());
            for (String argument : request.arguments()) {
                out.writeUTF(argument);
            }
            out.writeInt(request.env().size());
            for (Map.Entry<String, String> entry : request.env().entrySet()) {
                out.writeUTF(entry.getKey());
                out.writeUTF(entry.getValue());
            }
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            int status = in.readInt();
            byte[] printed = in.readNBytes(in.readInt());
            byte[] errors = in.readNBytes(in.readInt());
            return new Answer(status, printed, errors);
        }
    }

    /**
     * At most {@code size} warm JVMs of one kind, started as runs need them, each serving one run at a time
     * (the machines the suite runs on have few cores). One that fails to answer is stopped and replaced.
     */
    public static final class Pool {
        private final int size;
        private final Starter starter;
        private final BlockingQueue<WarmJvm> idle;
        private int started;

        /** How a JVM of the pool is started ({@link WarmJvm#start}). */
        @FunctionalInterface
        public interface Starter {
            WarmJvm start() throws IOException;
        }

        public Pool(int size, Starter starter) {
            this.size = size;
            this.starter = starter;
            this.idle = new ArrayBlockingQueue<>(size);
        }

        public Answer call(Request request) throws IOException, InterruptedException {
            WarmJvm jvm = take();
            boolean healthy = false;
            try {
                Answer answer = jvm.call(request);
                healthy = true;
                return answer;
            } finally {
                if (healthy) {
                    idle.add(jvm);
                } else {
                    jvm.process.destroyForcibly();
                    synchronized (this) {
                        started--;
                    }
                }
            }
        }

        private WarmJvm take() throws IOException, InterruptedException {
            WarmJvm free = idle.poll();
            while (free == null) {
                synchronized (this) {
                    if (started < size) { // none yet, or one was stopped
                        started++;
                        try {
                            return starter.start();
                        } catch (IOException | RuntimeException | Error e) {
                            started--;
                            throw e;
                        }
                    }
                }
                free = idle.poll(1, TimeUnit.SECONDS);
            }
            return free;
        }
    }
}
