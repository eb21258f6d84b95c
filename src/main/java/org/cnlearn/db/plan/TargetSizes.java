package org.cnlearn.db.plan;

import org.cnlearn.db.connection.JdbcQueries;

import java.sql.Array;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How big the target's tables are, read without reading them: the planner's row estimate (what
 * {@code EXPLAIN} says a full read returns, from the statistics scaled to the table's size now) and the
 * bytes on disk. Where the role may not select from a table, the statistics' own estimate,
 * {@code pg_class.reltuples}; where the table was never analyzed either, the rows are unknown (-1).
 */
final class TargetSizes {

    /** A table's estimated rows (-1 unknown) and bytes. */
    record Size(long rows, long bytes) {
    }

    private static final Pattern PLAN_ROWS = Pattern.compile("\"Plan Rows\":\\s*(\\d+)");

    private TargetSizes() {
    }

    /** The sizes of these tables ("schema.name"), of those the target has. */
    static Map<String, Size> read(Connection target, Collection<String> tables) throws SQLException {
        Map<String, Size> sizes = new HashMap<>();
        if (tables.isEmpty()) {
            return sizes;
        }
        Array names = target.createArrayOf("text", tables.toArray());
        List<Object[]> rows = JdbcQueries.list(target, "SELECT n.nspname || '.' || c.relname, quote_ident(n.nspname) || '.' || quote_ident(c.relname),"
                + " c.reltuples::bigint, pg_table_size(c.oid) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE c.relkind IN ('r', 'p', 'm') AND n.nspname || '.' || c.relname = ANY (?)",
                rs -> new Object[] {rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4)}, names);
        for (Object[] row : rows) {
            sizes.put((String) row[0], new Size(estimate(target, (String) row[1], (Long) row[2]), (Long) row[3]));
        }
        return sizes;
    }

    private static long estimate(Connection target, String quotedName, long reltuples) throws SQLException {
        boolean autoCommit = target.getAutoCommit();
        target.setAutoCommit(false); // a refused EXPLAIN is rolled back to here, whatever the session was doing
        try {
            String plan = JdbcQueries.single(target, "EXPLAIN (FORMAT JSON) SELECT 1 FROM " + quotedName, rs -> rs.getString(1));
            Matcher rows = PLAN_ROWS.matcher(plan);
            return rows.find() ? Long.parseLong(rows.group(1)) : Math.max(reltuples, -1);
        } catch (SQLException e) {
            if (!"42501".equals(e.getSQLState())) {
                throw e;
            }
            return Math.max(reltuples, -1);
        } finally {
            target.rollback();
            target.setAutoCommit(autoCommit);
        }
    }
}
