package org.cnlearn.db;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
 * <p>It serves the builds as a {@link WarmJvm}; what Maven printed is the answer's output, and what it printed on
 * standard output alone its err.
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

        WarmJvm.serve(request -> {
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            ByteArrayOutputStream standardOutput = new ByteArrayOutputStream();
            PrintStream printed = new PrintStream(output, true, StandardCharsets.UTF_8);
            // standard output goes to both: in order with the rest, and alone (a report as data is all there is there)
            PrintStream stdout = new PrintStream(new java.io.OutputStream() {
                @Override
                public void write(int b) {
                    output.write(b);
                    standardOutput.write(b);
                }

                @Override
                public void write(byte[] bytes, int offset, int length) {
                    output.write(bytes, offset, length);
                    standardOutput.write(bytes, offset, length);
                }
            }, true, StandardCharsets.UTF_8);
            String[] arguments = request.arguments().toArray(new String[0]);
            int status = WarmJvm.isolated(request.env(), core, () -> {
                System.setProperty("maven.multiModuleProjectDirectory", request.folder());
                return (Integer) doMain.invoke(cli, arguments, request.folder(), stdout, printed);
            }, printed);
            // the answer's err is standard output alone: a build's standard error is only ever read with the rest
            return new WarmJvm.Answer(status, output.toByteArray(), standardOutput.toByteArray());
        });
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
