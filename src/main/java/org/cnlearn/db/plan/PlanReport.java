package org.cnlearn.db.plan;

import org.cnlearn.db.plan.StatementTracer.Lock;
import org.cnlearn.db.plan.TargetSizes.Size;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@code plan} found: each pending changeset's statements as they ran on the copy, joined with the
 * target's sizes, and which are risky. A statement is risky when it holds a lock that blocks writes
 * on a table it rewrites or scans, of {@code riskyRows} rows or more on the target.
 */
record PlanReport(String target, String targetVersion, String copyVersion, long riskyRows, List<String> drift,
                  List<Changeset> changesets) {

    /** The lock modes that stop INSERT, UPDATE and DELETE (those that conflict with RowExclusiveLock). */
    static final Set<String> BLOCKS_WRITES = Set.of("ShareLock", "ShareRowExclusiveLock", "ExclusiveLock", "AccessExclusiveLock");

    /** A pending changeset: its statements, what the lint says of it, and, when it failed on the copy, why. */
    record Changeset(String id, String author, String file, List<String> lint, List<Statement> statements, String failure) {
    }

    /**
     * One statement: the locks it took (new ones), the tables it rewrote and scanned, the target's rows in
     * each table it touches, and why it is risky (null when it is not).
     */
    record Statement(String sql, List<Lock> locks, List<String> rewrites, List<String> scans, Map<String, Size> targetSizes,
                     boolean inTransaction, String risk) {
    }

    /** The statement as traced, sized and judged. */
    static Statement judge(StatementTracer.Traced traced, Map<String, Size> sizes, long riskyRows) {
        String risk = null;
        for (String table : touched(traced)) {
            Size size = sizes.get(table);
            boolean rewritten = traced.rewrites().contains(table);
            if (size == null || size.rows() < riskyRows || (!rewritten && !traced.scans().contains(table))) {
                continue;
            }
            for (Lock lock : traced.held()) {
                if (lock.relation().equals(table) && BLOCKS_WRITES.contains(lock.mode())) {
                    risk = "holds " + lock.mode() + " on " + table + ", which blocks writes to it, while it " + (rewritten ? "rewrites" : "scans")
                            + " about " + String.format("%,d", size.rows()) + " rows";
                    break;
                }
            }
            if (risk != null) {
                break;
            }
        }
        Map<String, Size> touchedSizes = new java.util.TreeMap<>();
        for (String table : touched(traced)) {
            if (sizes.containsKey(table)) {
                touchedSizes.put(table, sizes.get(table));
            }
        }
        return new Statement(traced.sql(), traced.locks(), traced.rewrites(), traced.scans(), touchedSizes, traced.inTransaction(), risk);
    }

    /** The tables a statement locks, rewrites or scans. */
    static Set<String> touched(StatementTracer.Traced traced) {
        Set<String> tables = new java.util.TreeSet<>();
        traced.held().forEach(lock -> tables.add(lock.relation()));
        tables.addAll(traced.rewrites());
        tables.addAll(traced.scans());
        return tables;
    }

    int statements() {
        return changesets.stream().mapToInt(c -> c.statements().size()).sum();
    }

    int risky() {
        return (int) changesets.stream().flatMap(c -> c.statements().stream()).filter(s -> s.risk() != null).count();
    }

    /** The first changeset that failed on the copy, or null. */
    Changeset failed() {
        return changesets.stream().filter(c -> c.failure() != null).findFirst().orElse(null);
    }
}
