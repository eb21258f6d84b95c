package org.cnlearn.db;

import uk.org.webcompere.systemstubs.environment.EnvironmentVariables;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * The JVM that keeps one Maven warm for the goal tests ({@link EmbeddedMaven}): Maven 3.9 of the build, loaded
 * from its distribution as bin/mvn loads it (boot/, then lib/ in the realm plexus.core), and run with
 * {@code MavenCli.doMain}, one build at a time, as maven-verifier's embedded mode runs it.
 *
 * <p>A build changes the JVM's system properties (Maven sets each -D; the Liquibase plugin its
 * systemProperties) and reads the environment, so builds live here, in a JVM of their own, and not in the
 * test JVM, where other test classes run Liquibase at the same time. Each build gets the environment its
 * test gave, and the system properties as they were before it.
 *
 * <p>Protocol, on a loopback socket whose port is the first line this JVM prints: the test writes the
 * folder, the arguments and the environment; this JVM answers with the exit status and what Maven printed.
 */
public final class EmbeddedMavenMain {

    private EmbeddedMavenMain() {
    }

    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]);
        System.setProperty("maven.home", home.toString());
        System.setProperty("maven.conf", home.resolve("conf").toString());
        System.setProperty("library.jansi.path", home.resolve("lib/jansi-native").toString());
        System.setProperty("classworlds.conf", home.resolve("bin/m2.conf").toString());

        ClassLoader boot = new URLClassLoader(jars(home.resolve("boot")), ClassLoader.getPlatformClassLoader());
        Class<?> worldType = boot.loadClass("org.codehaus.plexus.classworlds.ClassWorld");
        Object world = worldType.getConstructor().newInstance();
        ClassLoader core = (ClassLoader) worldType.getMethod("newRealm", String.class, ClassLoader.class).invoke(world, "plexus.core", boot);
        Method addUrl = core.getClass().getMethod("addURL", URL.class);
        addUrl.invoke(core, home.resolve("conf/logging").toUri().toURL());
        for (URL jar : jars(home.resolve("lib/ext"))) {
            addUrl.invoke(core, jar);
        }
        for (URL jar : jars(home.resolve("lib"))) {
            addUrl.invoke(core, jar);
        }
        Class<?> cliType = core.loadClass("org.apache.maven.cli.MavenCli");
        Object cli = cliType.getConstructor(worldType).newInstance(world);
        Method doMain = cliType.getMethod("doMain", String[].class, String.class, PrintStream.class, PrintStream.class);

        // the test JVM never writes to this one's input: its end means that JVM is gone, and so is the need for this one
        Thread orphaned = new Thread(() -> {
            try {
                System.in.transferTo(java.io.OutputStream.nullOutputStream());
            } catch (IOException ignored) {
                // gone too
            }
            Runtime.getRuntime().halt(0);
        }, "parent-watch");
        orphaned.setDaemon(true);
        orphaned.start();
        try (ServerSocket server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            System.out.println(server.getLocalPort());
            System.out.flush();
            while (true) {
                try (Socket socket = server.accept()) {
                    serve(socket, cli, doMain, core);
                }
            }
        }
    }

    private static void serve(Socket socket, Object cli, Method doMain, ClassLoader core) throws Exception {
        DataInputStream in = new DataInputStream(socket.getInputStream());
        String folder = in.readUTF();
        String[] arguments = new String[in.readInt()];
        for (int i = 0; i < arguments.length; i++) {
            arguments[i] = in.readUTF();
        }
        Map<String, String> env = new HashMap<>();
        for (int i = in.readInt(); i > 0; i--) {
            env.put(in.readUTF(), in.readUTF());
        }

        ByteArrayOutputStream output = new ByteArrayOutputStream();
        PrintStream printed = new PrintStream(output, true, StandardCharsets.UTF_8);
        AtomicInteger status = new AtomicInteger(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Properties before = (Properties) System.getProperties().clone();
        System.setProperty("maven.multiModuleProjectDirectory", folder);
        // a thread per build: what a build leaves in its thread's locals (Liquibase's scope) goes with it
        Thread build = new Thread(() -> {
            try {
                new EnvironmentVariables(env).execute(() -> status.set((Integer) doMain.invoke(cli, arguments, folder, printed, printed)));
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "maven-build");
        build.setContextClassLoader(core);
        build.start();
        build.join();
        System.setProperties(before);
        if (failure.get() != null) {
            failure.get().printStackTrace(printed);
        }

        DataOutputStream out = new DataOutputStream(socket.getOutputStream());
        out.writeInt(status.get());
        byte[] bytes = output.toByteArray();
        out.writeInt(bytes.length);
        out.write(bytes);
        out.flush();
    }

    private static URL[] jars(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return new URL[0];
        }
        List<URL> urls = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path jar : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".jar")).sorted()::iterator) {
                urls.add(jar.toUri().toURL());
            }
        }
        return urls.toArray(new URL[0]);
    }
}
