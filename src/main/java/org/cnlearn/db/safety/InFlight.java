package org.cnlearn.db.safety;

import liquibase.changelog.ChangeSet;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The changeset this JVM is applying or rolling back right now, if any, and how many it applied and
 * rolled back before: what a run stopped by a signal says of itself (the launcher's Stop). Kept by
 * {@link SafePostgresDatabase}, which sees each changeset start and end.
 */
public final class InFlight {

    /** A changeset under way: its identity, its history table, and whether it is a rollback. */
    public record Changeset(String id, String author, String file, String historyTable, boolean rollback, boolean inTransaction) {
    }

    private static volatile Changeset current;
    private static final AtomicInteger APPLIED = new AtomicInteger();
    private static final AtomicInteger ROLLED_BACK = new AtomicInteger();

    private InFlight() {
    }

    static void started(ChangeSet changeSet, String historyTable, boolean rollback) {
        current = new Changeset(changeSet.getId(), changeSet.getAuthor(), changeSet.getFilePath(), historyTable, rollback,
                changeSet.isRunInTransaction());
    }

    /** Its history row is written (or removed) and committed. */
    static void finished() {
        Changeset done = current;
        current = null;
        if (done != null) {
            (done.rollback() ? ROLLED_BACK : APPLIED).incrementAndGet();
        }
    }

    /** Its transaction was rolled back: nothing of it stays (unless it runs outside a transaction). */
    static void abandoned() {
        current = null;
    }

    public static Changeset current() {
        return current;
    }

    public static int applied() {
        return APPLIED.get();
    }

    public static int rolledBack() {
        return ROLLED_BACK.get();
    }
}
