package org.cnlearn.db.catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A table as the application sees it, one line per column, constraint and index, read from
 * pg_catalog. SERIAL and IDENTITY columns both read as "auto-increment": to the application they
 * are the same, and the Alembic revision used SERIAL where Liquibase writes IDENTITY.
 */
public final class TableShape {

    private static final String COLUMNS = "SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,"
            + " a.attidentity <> '', pg_get_expr(d.adbin, d.adrelid)"
            + " FROM pg_attribute a"
            + " JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
            + " LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
            + " WHERE n.nspname = ? AND c.relname = ? AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped"
            + " ORDER BY a.attnum";
    private static final String CONSTRAINTS = "SELECT con.conname, pg_get_constraintdef(con.oid, true) FROM pg_constraint con"
            + " JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
            + " WHERE n.nspname = ? AND c.relname = ? AND con.contype <> 'n' ORDER BY con.conname";
    private static final String INDEXES = "SELECT pg_get_indexdef(x.indexrelid) FROM pg_index x"
            + " JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class c ON c.oid = x.indrelid"
            + " JOIN pg_namespace n ON n.oid = c.relnamespace"
            + " WHERE n.nspname = ? AND c.relname = ? ORDER BY i.relname";

    private TableShape() {
    }

    /** The lines, or an empty list when the table does not exist. */
    public static List<String> describe(Connection connection, String schema, String table) throws SQLException {
        List<String> lines = new ArrayList<>();
        read(connection, COLUMNS, schema, table, rs -> {
            String defaultExpression = rs.getString(5);
            boolean serial = defaultExpression != null && defaultExpression.startsWith("nextval(");
            StringBuilder line = new StringBuilder("column ").append(rs.getString(1)).append(' ').append(rs.getString(2));
            line.append(rs.getBoolean(3) ? " not null" : " null");
            if (rs.getBoolean(4) || serial) {
                line.append(" auto-increment");
            } else if (defaultExpression != null) {
                line.append(" default ").append(defaultExpression);
            }
            lines.add(line.toString());
        });
        if (lines.isEmpty()) {
            return lines;
        }
        read(connection, CONSTRAINTS, schema, table, rs -> lines.add("constraint " + rs.getString(1) + " " + rs.getString(2)));
        // "CREATE UNIQUE INDEX ix ON public.\"user\" USING btree (email)", less what names the table.
        read(connection, INDEXES, schema, table,
                rs -> lines.add("index " + rs.getString(1).replaceFirst("^CREATE ", "").replaceFirst(" ON \\S+ USING ", " USING ")));
        return lines;
    }

    private interface Row {
        void read(ResultSet rs) throws SQLException;
    }

    private static void read(Connection connection, String sql, String schema, String table, Row row) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, schema);
            statement.setString(2, table);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    row.read(rs);
                }
            }
        }
    }
}
