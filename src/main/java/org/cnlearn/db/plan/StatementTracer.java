package org.cnlearn.db.plan;

import org.cnlearn.db.connection.JdbcQueries;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * What each statement a changeset runs does to the tables that were there before it, seen on the copy
 * while it runs. The connection Liquibase is given is this tracer's: every statement it executes there
 * is observed, through the real connection, by what PostgreSQL itself says:
 * <ul>
 * <li>the locks: the relation locks its backend holds after it ({@code pg_locks}), which in a
 * transaction stay until the commit;</li>
 * <li>the rewrites: the tables whose storage it replaced (a new {@code relfilenode});</li>
 * <li>the scans: the tables it read whole (the transaction's sequential scans, {@code pg_stat_xact_user_tables}).</li>
 * </ul>
 * A statement that cannot run in a transaction block (CREATE INDEX CONCURRENTLY) holds its locks only
 * while it runs. It is watched from another session, while a third holds an old snapshot, which such a
 * statement waits for with its locks held; its scans are read from the statistics once flushed.
 * Indexes and TOAST tables are left out: their table's lock is the one that matters to traffic; so is
 * the search path Liquibase sets before each changeset.
 */
final class StatementTracer {

    /** A relation lock, as pg_locks names its mode. */
    record Lock(String relation, String mode) implements Comparable<Lock> {
        @Override
        public int compareTo(Lock other) {
            int byRelation = relation.compareTo(other.relation);
            return byRelation != 0 ? byRelation : mode.compareTo(other.mode);
        }
    }

    /** One statement, as it ran on the copy. {@code held} is every lock its session held after it, its own and earlier ones. */
    record Traced(String sql, List<Lock> locks, List<Lock> held, List<String> rewrites, List<String> scans, boolean inTransaction) {
    }

    /** A table, view or sequence of the copy. */
    private record Relation(String name, long filenode, char kind) {
        boolean table() {
            return kind == 'r' || kind == 'm';
        }
    }

    /** What the session saw at one moment. */
    private record Moment(Map<Long, Relation> relations, Set<Lock> locks, Map<Long, Long> seqScans) {
    }

    private static final String RELATIONS = "SELECT c.oid::bigint, n.nspname || '.' || c.relname, c.relfilenode::bigint, c.relkind"
            + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p', 'm', 'v', 'S', 'f')"
            + " AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%'";
    private static final String LOCKS = "SELECT relation::bigint, mode, granted, locktype FROM pg_locks WHERE pid = ?";
    private static final String XACT_SCANS = "SELECT relid::bigint, seq_scan FROM pg_stat_xact_user_tables";
    private static final String SCANS = "SELECT relid::bigint, seq_scan FROM pg_stat_user_tables";
    /** What Liquibase runs before each changeset's changes, of its own: it touches no table. */
    private static final java.util.regex.Pattern LIQUIBASE_SEARCH_PATH = java.util.regex.Pattern.compile("(?i)SET SEARCH_PATH TO ");
    /** How long a statement outside a transaction is watched before the snapshot it may wait for is let go anyway. */
    private static final long WATCH_NANOS = TimeUnit.SECONDS.toNanos(60);

    /** Opens another session on the copy (the watcher's, the old snapshot's). */
    @FunctionalInterface
    interface Sessions {
        Connection open() throws SQLException;
    }

    private final Connection real;
    private final Sessions sessions;
    private final int pid;
    private final List<Traced> traced = new ArrayList<>();
    private boolean recording;
    /** The relations there before the changeset: what it creates itself blocks nobody. */
    private Map<Long, Relation> beforeChangeset = Map.of();

    StatementTracer(Connection real, Sessions sessions) throws SQLException {
        this.real = real;
        this.sessions = sessions;
        this.pid = JdbcQueries.single(real, "SELECT pg_backend_pid()", rs -> rs.getInt(1));
    }

    /** The connection to give Liquibase: the real one, whose statements are traced while recording. */
    Connection connection() {
        return (Connection) Proxy.newProxyInstance(StatementTracer.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    Object result = invoke(real, method, args);
                    return switch (method.getName()) {
                        case "prepareCall" -> traced((CallableStatement) result, CallableStatement.class, (String) args[0]);
                        case "prepareStatement" -> traced((PreparedStatement) result, PreparedStatement.class, (String) args[0]);
                        case "createStatement" -> traced((Statement) result, Statement.class, null);
                        default -> result;
                    };
                });
    }

    /** Starts tracing a changeset's statements. */
    void start() throws SQLException {
        traced.clear();
        beforeChangeset = moment(false).relations();
        recording = true;
    }

    /** Stops, and gives the statements traced since {@link #start}. */
    List<Traced> stop() {
        recording = false;
        return List.copyOf(traced);
    }

    private <T extends Statement> T traced(T statement, Class<T> type, String preparedSql) {
        InvocationHandler handler = (proxy, method, args) -> {
            String sql = executedSql(method, args, preparedSql);
            if (!recording || sql == null || LIQUIBASE_SEARCH_PATH.matcher(sql).lookingAt()) {
                return invoke(statement, method, args);
            }
            return trace(sql, () -> invoke(statement, method, args));
        };
        return type.cast(Proxy.newProxyInstance(StatementTracer.class.getClassLoader(), new Class<?>[] {type}, handler));
    }

    /** The SQL a call runs for its effect (execute, executeUpdate), or null: queries are Liquibase's and this project's own reads. */
    private static String executedSql(Method method, Object[] args, String preparedSql) {
        String name = method.getName();
        if (!name.equals("execute") && !name.equals("executeUpdate") && !name.equals("executeLargeUpdate")) {
            return null;
        }
        if (args != null && args.length > 0 && args[0] instanceof String sql) {
            return sql;
        }
        return (args == null || args.length == 0) ? preparedSql : null;
    }

    @FunctionalInterface
    private interface Call {
        Object run() throws Throwable;
    }

    private Object trace(String sql, Call call) throws Throwable {
        if (!real.getAutoCommit()) {
            Moment before = moment(true);
            Object result = call.run();
            record(sql, before, moment(true), true);
            return result;
        }
        // in a transaction of its own, so that its locks can be read before they go; unless it cannot run in one
        Moment before = moment(true);
        real.setAutoCommit(false);
        try {
            Object result = call.run();
            Moment after = moment(true);
            real.commit();
            record(sql, before, after, true);
            return result;
        } catch (SQLException e) {
            if (!"25001".equals(e.getSQLState())) {
                throw e;
            }
            real.rollback();
        } finally {
            real.setAutoCommit(true);
        }
        return watched(sql, call);
    }

    /** A statement that runs outside any transaction, watched from another session while it runs. */
    private Object watched(String sql, Call call) throws Throwable {
        Set<Lock> seen = new TreeSet<>();
        Map<Long, Relation> relations = moment(false).relations();
        try (Connection watcher = sessions.open(); Connection snapshot = sessions.open()) {
            Map<Long, Long> scansBefore = flushedScans(watcher);
            snapshot.setAutoCommit(false);
            try (Statement statement = snapshot.createStatement()) {
                statement.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
                statement.execute("SELECT 1"); // takes the snapshot that CONCURRENTLY waits out, its locks held meanwhile
            }
            CompletableFuture<Object> running = CompletableFuture.supplyAsync(() -> {
                try {
                    return call.run();
                } catch (Throwable e) {
                    throw new CompletionException(e);
                }
            });
            long started = System.nanoTime();
            boolean released = false;
            while (!running.isDone()) {
                boolean waiting = false;
                for (Object[] row : JdbcQueries.list(watcher, LOCKS, rs -> new Object[] {rs.getObject(1), rs.getString(2),
                        rs.getBoolean(3), rs.getString(4)}, pid)) {
                    Relation relation = row[0] == null ? null : relations.get(((Number) row[0]).longValue());
                    if ((Boolean) row[2] && relation != null && beforeChangeset.containsKey(((Number) row[0]).longValue())) {
                        seen.add(new Lock(relation.name(), (String) row[1]));
                    }
                    waiting |= !(Boolean) row[2];
                }
                if (!released && (waiting || System.nanoTime() - started > WATCH_NANOS)) {
                    snapshot.commit();
                    released = true;
                }
                Thread.sleep(1);
            }
            if (!released) {
                snapshot.commit();
            }
            Object result;
            try {
                result = running.join();
            } catch (CompletionException e) {
                throw e.getCause();
            }
            Map<Long, Long> scansAfter = flushedScans(watcher);
            Moment after = moment(false);
            List<Lock> locks = List.copyOf(seen);
            traced.add(new Traced(sql, locks, locks, rewrites(relations, after.relations()), scans(scansBefore, scansAfter), false));
            return result;
        }
    }

    /** Every table's sequential scans so far, once this session's counts are flushed to the statistics the watcher reads. */
    private Map<Long, Long> flushedScans(Connection watcher) throws SQLException {
        JdbcQueries.execute(real, "SELECT pg_stat_force_next_flush()");
        JdbcQueries.execute(real, "SELECT 1"); // the flush happens as the session goes idle after the statement before
        JdbcQueries.execute(watcher, "SELECT pg_stat_clear_snapshot()");
        return counts(watcher, SCANS);
    }

    private void record(String sql, Moment before, Moment after, boolean inTransaction) {
        List<Lock> held = after.locks().stream().sorted().toList();
        List<Lock> added = held.stream().filter(lock -> !before.locks().contains(lock)).toList();
        traced.add(new Traced(sql, added, held, rewrites(before.relations(), after.relations()), scans(before.seqScans(), after.seqScans()),
                inTransaction));
    }

    /** The tables there before the changeset whose storage changed. */
    private List<String> rewrites(Map<Long, Relation> before, Map<Long, Relation> after) {
        List<String> rewritten = new ArrayList<>();
        before.forEach((oid, relation) -> {
            Relation now = after.get(oid);
            if (relation.table() && beforeChangeset.containsKey(oid) && now != null && now.filenode() != relation.filenode()) {
                rewritten.add(relation.name());
            }
        });
        rewritten.sort(null);
        return rewritten;
    }

    /** The tables there before the changeset with more sequential scans than before. */
    private List<String> scans(Map<Long, Long> before, Map<Long, Long> after) {
        Set<String> scanned = new TreeSet<>();
        after.forEach((oid, count) -> {
            Relation relation = beforeChangeset.get(oid);
            if (relation != null && count > before.getOrDefault(oid, 0L)) {
                scanned.add(relation.name());
            }
        });
        return List.copyOf(scanned);
    }

    /** Relations, this session's granted locks on those there before the changeset, and (in its transaction) its scans. */
    private Moment moment(boolean withLocks) throws SQLException {
        Map<Long, Relation> relations = new HashMap<>();
        for (Object[] row : JdbcQueries.list(real, RELATIONS, rs -> new Object[] {rs.getLong(1), rs.getString(2), rs.getLong(3),
                rs.getString(4).charAt(0)})) {
            relations.put((Long) row[0], new Relation((String) row[1], (Long) row[2], (Character) row[3]));
        }
        if (!withLocks) {
            return new Moment(relations, Set.of(), Map.of());
        }
        Set<Lock> locks = new LinkedHashSet<>();
        for (Object[] row : JdbcQueries.list(real, LOCKS, rs -> new Object[] {rs.getObject(1), rs.getString(2), rs.getBoolean(3),
                rs.getString(4)}, pid)) {
            if (row[0] != null && (Boolean) row[2] && beforeChangeset.containsKey(((Number) row[0]).longValue())) {
                locks.add(new Lock(beforeChangeset.get(((Number) row[0]).longValue()).name(), (String) row[1]));
            }
        }
        return new Moment(relations, locks, counts(real, XACT_SCANS));
    }

    private static Map<Long, Long> counts(Connection connection, String sql) throws SQLException {
        Map<Long, Long> counts = new HashMap<>();
        for (long[] row : JdbcQueries.list(connection, sql, rs -> new long[] {rs.getLong(1), rs.getLong(2)})) {
            counts.put(row[0], row[1]);
        }
        return counts;
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
