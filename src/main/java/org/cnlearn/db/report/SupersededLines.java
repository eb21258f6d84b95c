package org.cnlearn.db.report;

import java.util.Collection;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Lines of Liquibase's log that this project has already said better, each left out once where the
 * goals and the launcher print the log: the "Table user created" Liquibase logs after each change of
 * a changeset that was adopted, not run (safety.SafePostgresDatabase says what happened instead).
 * <p>
 * The goals print from another class loader than the one that adopts, so the lines wait in a
 * collection of the JDK's among the system properties.
 */
public final class SupersededLines {

    private static final String KEY = "cnlearn.supersededLines";

    private SupersededLines() {
    }

    /** The next time Liquibase logs exactly this line, it is not shown. */
    public static void supersede(String line) {
        if (line != null) {
            lines().add(line);
        }
    }

    /** True, once, for a line superseded before: the caller leaves it out. */
    public static boolean takeIfSuperseded(String line) {
        return line != null && lines().remove(line);
    }

    /** The line is no longer waited for (its changeset is done, and a log that shows nothing took no line). */
    public static void forget(String line) {
        if (line != null) {
            lines().remove(line);
        }
    }

    @SuppressWarnings("unchecked")
    private static Collection<String> lines() {
        Object lines = System.getProperties().get(KEY);
        if (lines == null) {
            synchronized (System.getProperties()) {
                lines = System.getProperties().get(KEY);
                if (lines == null) {
                    lines = new ConcurrentLinkedQueue<String>();
                    System.getProperties().put(KEY, lines);
                }
            }
        }
        return (Collection<String>) lines;
    }
}
