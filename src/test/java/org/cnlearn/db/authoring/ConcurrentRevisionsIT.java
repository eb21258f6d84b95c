package org.cnlearn.db.authoring;

import org.cnlearn.db.MavenRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Four cnlearn:revision runs at once, through the real goal: four distinct numbers, four includes in
 * the master. (They wrote two 0002 files and two 0003 files, and the master lost an include, all
 * with exit status 0.)
 */
class ConcurrentRevisionsIT {

    @Test
    void fourRevisionsAtOnceGetFourNumbersAndEveryIncludeSurvives(@TempDir Path copy) throws Exception {
        Path project = MavenRun.projectCopy(copy);
        List<Process> runs = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            runs.add(MavenRun.builderIn(project, Map.of(), "cnlearn:revision", "-Dmessage=revision " + i, "-Dauthor=ana").start());
        }
        for (Process run : runs) {
            String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(run.waitFor(3, TimeUnit.MINUTES), output);
            MavenRun.of(run.exitValue(), output).assertSucceeded();
        }
        List<String> files;
        try (Stream<Path> changes = Files.list(project.resolve("db-changelog/changes"))) {
            files = changes.map(p -> p.getFileName().toString()).filter(name -> !name.startsWith("0001-")).sorted().toList();
        }
        assertEquals(List.of("0002", "0003", "0004", "0005"), files.stream().map(name -> name.substring(0, 4)).toList(), files.toString());
        String master = Files.readString(project.resolve("db-changelog/db.changelog-master.yaml"));
        for (String file : files) {
            assertEquals(1, master.split("file: changes/" + java.util.regex.Pattern.quote(file) + "\n", -1).length - 1, master);
        }
    }
}
