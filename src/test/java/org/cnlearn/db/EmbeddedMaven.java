package org.cnlearn.db;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Warm Mavens for the goal tests: the goals run in {@link EmbeddedMavenMain}'s JVMs, started once for the
 * whole suite ({@link WarmJvm}), rather than a JVM and a Maven started for every call (about 2 s of CPU each,
 * before a goal does anything). At most {@value #MAVENS} of them, each running one build at a time, since the
 * machines the suite runs on have few cores. Their working folder is this project's: a build of a copy of it
 * ({@link MavenRun#runIn}) reads the copy's pom and changelog, but a relative output file would land here.
 */
final class EmbeddedMaven {

    private static final int MAVENS = 2;
    private static final WarmJvm.Pool POOL = new WarmJvm.Pool(MAVENS, EmbeddedMaven::start);

    private EmbeddedMaven() {
    }

    /** Runs one build of the project in that folder on an idle Maven (started if fewer than {@value #MAVENS} are). */
    static MavenRun run(Path project, Map<String, String> env, List<String> arguments) throws IOException, InterruptedException {
        WarmJvm.Answer answer = POOL.call(new WarmJvm.Request(project.toString(), arguments, env));
        return MavenRun.of(answer.status(), new String(answer.out(), StandardCharsets.UTF_8),
                new String(answer.err(), StandardCharsets.UTF_8)); // EmbeddedMavenMain: standard output alone
    }

    private static WarmJvm start() throws IOException {
        String home = System.getProperty("cnlearn.maven.home");
        if (home == null) {
            throw new IllegalStateException("cnlearn.maven.home is not set: run the tests through ./mvnw (pom.xml sets it)");
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // as .mvn/jvm.config sets the JVM of ./mvnw
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Dorg.slf4j.simpleLogger.log.io.zonky=warn",
                "-cp", System.getProperty("java.class.path"), EmbeddedMavenMain.class.getName(), home));
        return WarmJvm.start(command, Migrations.PROJECT_DIR, MavenRun::cleanEnvironment);
    }
}
