package org.cnlearn.db.launcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Records a machine's start-up cache, where bin/cnlearn-db asks for one ({@value #RECORD_PROPERTY}: the
 * file, named by what it is made for). The launcher execs Java, so that a signal reaches the JVM doing
 * the work; the recording is therefore run from here, in a JVM of its own with this one's command line,
 * once the command has succeeded: a run that only reads (status and history, on both of their paths),
 * or, for {@code startup-cache}, the training itself. JDK 25 and newer record an AOT cache (two runs),
 * older ones a class-data sharing archive. The cache is written under a name of this run's own and put
 * in place in one step, so that runs at once never read half a cache; a failed recording leaves none.
 */
final class StartupCacheRecorder {

    static final String RECORD_PROPERTY = "cnlearn.startupCache.record";
    /** The caches kept in one folder: one per Java, JAVA_OPTS and lib/, so that two in turn never record anew. */
    private static final int KEPT = 4;
    private static final String NOISE = " AOTConfiguration recorded: ";

    private StartupCacheRecorder() {
    }

    /** The cache this run should record, or null (none asked for, or this run is the recording's own). */
    static Path requested() {
        String file = System.getProperty(RECORD_PROPERTY);
        return file == null || file.isBlank() ? null : Paths.get(file);
    }

    /** After a command succeeded: the recording run, its output discarded; a failure only means no cache. */
    static void afterCommand(Path cache, PrintStream err) {
        List<String> workload = new ArrayList<>(List.of("-D" + Main.WORKLOAD_PROPERTY + "=true"));
        workload.addAll(ownArguments());
        if (record(cache, workload, null) == 0 && keep(cache)) {
            err.println("[cnlearn-db] start-up cache recorded in " + cache + ": later runs on this Java start faster.");
        }
    }

    /** startup-cache: the training runs in the recording JVM, its output shown; its exit status is this run's. */
    static int startupCache(Path cache, PrintStream out, PrintStream err) {
        int status = record(cache, ownArguments(), out);
        if (status == 0 && keep(cache)) {
            err.println("[cnlearn-db] start-up cache recorded in " + cache + ": later runs on this Java start faster.");
        } else {
            err.println("[cnlearn-db] startup-cache failed: no new cache recorded.");
        }
        return status == 0 ? 0 : Math.max(status, 1);
    }

    /** This JVM's options, class path, main class and command, without the request to record (the recording run records nothing). */
    private static List<String> ownArguments() {
        String[] arguments = ProcessHandle.current().info().arguments().orElseThrow(
                () -> new IllegalStateException("this system does not say the JVM's command line"));
        return Arrays.stream(arguments).filter(argument -> !argument.startsWith("-D" + RECORD_PROPERTY + "=")).toList();
    }

    /** Runs the recording; with {@code shown}, its standard output goes there (standard error as it is), else nowhere. */
    private static int record(Path cache, List<String> arguments, PrintStream shown) {
        String java = ProcessHandle.current().info().command().orElse(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        Path partial = partial(cache);
        Path configuration = Paths.get(partial + ".config");
        List<List<String>> runs = new ArrayList<>();
        if (cache.getFileName().toString().endsWith(".aot")) {
            runs.add(command(java, List.of("-XX:AOTMode=record", "-XX:AOTConfiguration=" + configuration, "-Xlog:aot=off", "-Xlog:cds=off"), arguments));
            runs.add(command(java, List.of("-XX:AOTMode=create", "-XX:AOTConfiguration=" + configuration, "-XX:AOTCache=" + partial,
                    "-Xlog:aot=off", "-Xlog:cds=off"), arguments));
        } else {
            runs.add(command(java, List.of("-XX:ArchiveClassesAtExit=" + partial, "-Xlog:cds=off", "-Xlog:cds+dynamic=off"), arguments));
        }
        Process[] running = new Process[1];
        // a stop in the meantime takes the recording with it, and leaves no half-written cache
        Thread cleanup = new Thread(() -> {
            if (running[0] != null) {
                running[0].destroyForcibly();
            }
            deleteQuietly(partial);
            deleteQuietly(configuration);
        }, "cnlearn-db start-up cache cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            for (int i = 0; i < runs.size(); i++) {
                boolean show = shown != null && i == 0;
                ProcessBuilder builder = new ProcessBuilder(runs.get(i)).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                        .redirectOutput(show ? ProcessBuilder.Redirect.PIPE : ProcessBuilder.Redirect.DISCARD)
                        .redirectError(show ? ProcessBuilder.Redirect.INHERIT : ProcessBuilder.Redirect.DISCARD);
                Process process = builder.start();
                running[0] = process;
                if (show) {
                    try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                            if (!line.startsWith(NOISE)) {
                                shown.println(line);
                            }
                        }
                    }
                }
                int status = process.waitFor();
                if (status != 0) {
                    deleteQuietly(partial);
                    return status;
                }
            }
            return 0;
        } catch (IOException e) {
            deleteQuietly(partial);
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            deleteQuietly(partial);
            return 1;
        } finally {
            running[0] = null;
            deleteQuietly(configuration);
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException e) {
                // the JVM is exiting: the hook runs
            }
        }
    }

    private static List<String> command(String java, List<String> recording, List<String> arguments) {
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(recording);
        command.addAll(arguments);
        return command;
    }

    /** The recorded cache put in place in one step, and the older ones beyond the newest four removed. */
    private static boolean keep(Path cache) {
        Path partial = partial(cache);
        try {
            if (!Files.isRegularFile(partial) || Files.size(partial) == 0) {
                return false;
            }
            Files.move(partial, cache, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            return false;
        } finally {
            deleteQuietly(partial);
        }
        try (Stream<Path> files = Files.list(cache.getParent())) {
            files.filter(file -> file.getFileName().toString().matches("cnlearn-db-jdk\\d+-\\d+\\.(?:aot|jsa)"))
                    .sorted(Comparator.comparing(StartupCacheRecorder::modified).reversed())
                    .skip(KEPT).forEach(StartupCacheRecorder::deleteQuietly);
        } catch (IOException e) {
            // an old cache left is only disk
        }
        return true;
    }

    private static Path partial(Path cache) {
        return cache.resolveSibling(cache.getFileName() + "." + ProcessHandle.current().pid() + ".partial");
    }

    private static long modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a leftover partial file is never read: its name is this run's own
        }
    }
}
