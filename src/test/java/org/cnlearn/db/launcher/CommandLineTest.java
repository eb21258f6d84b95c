package org.cnlearn.db.launcher;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * bin/cnlearn-db's command line, refused before anything connects: the launcher's own code, in this
 * JVM (DistributionIT runs a few of these through bin/cnlearn-db). Each says why in one line, names
 * what was typed, says nothing changed, and exits 2.
 */
class CommandLineTest {

    private record Result(int exitCode, String out, String err) {
    }

    private static Result run(Map<String, String> env, String... words) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exitCode = Main.run(List.of(words), env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static void refused(Map<String, String> env, String why, String... words) {
        Result result = run(env, words);
        String typed = String.join(" ", words);
        assertEquals(2, result.exitCode(), typed + ":\n" + result.err());
        assertEquals("", result.out(), typed);
        assertEquals("[cnlearn-db] " + why + " Nothing was changed. Run cnlearn-db --help for the commands and options.\n",
                result.err(), typed);
    }

    private static void refused(String why, String... words) {
        refused(Map.of(), why, words);
    }

    @Test
    void anOptionNobodyKnowsIsNamedAsSuchNotAsOneThatNeedsAValue() {
        refused("--frobnicate is not an option of cnlearn-db.", "status", "--frobnicate");
        refused("'-x' is not an option of cnlearn-db: options are written --name or --name=VALUE.", "status", "-x");
        refused("--allow-data-loss takes no value: give it as --allow-data-loss alone; it was given 'maybe'.",
                "rollback-count", "--count=1", "--allow-data-loss=maybe");
    }

    @Test
    void aCountIsAWholeNumberOfOneOrMore() {
        for (String count : List.of("0", "-1", "abc", "1.5")) {
            refused("--count must be a whole number of changesets, 1 or more; it is '" + count + "'.", "rollback-count", "--count", count);
        }
        refused("--lock-wait-seconds must be a whole number of seconds, 0 or more; it is 'soon'.", "update", "--lock-wait-seconds=soon");
    }

    @Test
    void aLockTimeoutIsADurationWhereverItIsGiven() {
        refused("--lock-timeout must be a PostgreSQL duration such as 30s, 500ms or 2min; it is 'banana'.", "status", "--lock-timeout=banana");
        refused(Map.of("CNLEARN_LOCK_TIMEOUT", "banana"),
                "CNLEARN_LOCK_TIMEOUT must be a PostgreSQL duration such as 30s, 500ms or 2min; it is 'banana'.", "status");
    }
}
