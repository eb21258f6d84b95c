package org.cnlearn.db.catalog;

import org.cnlearn.db.connection.JdbcQueries;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a database holds, read from its catalog: which tables a drop would reach (a schema's, a role's, those
 * whose foreign keys reach a table, the columns of a type) and how many rows or values they hold, counted up
 * to just past {@link #MOST_COUNTED}. Names are SQL as a statement writes them, unless a method says otherwise.
 */
public final class StoredData {

    /** Counting stops just past this: more says enough. */
    public static final long MOST_COUNTED = 1_000_000;

    /** The tables (ordinary and partitioned) that a condition on pg_class c and pg_namespace n, added after it, picks. */
    private static final String TABLES = "SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) FROM pg_class c"
            + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p') AND ";
    /** The type a statement names (its name as written, which to_regtype parses). */
    private static final String TYPE_ITSELF = "SELECT to_regtype(?)::oid";
    /** The types an extension made (its name as written, which parse_ident folds). */
    private static final String TYPES_OF_EXTENSION = "SELECT d.objid FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid"
            + " WHERE d.refclassid = 'pg_extension'::regclass AND d.classid = 'pg_type'::regclass AND d.deptype = 'e'"
            + " AND e.extname = (parse_ident(?))[1]";

    private StoredData() {
    }

    /**
     * Rows of the table, or, if a column is named, its values that are data: those not null, or, where the column
     * has a constant default, those other than the default (adding the column again gives back every row's
     * default, so only what differs from it would be lost); and not the value the column was added with, which
     * the rows there then still hold ({@link #dataCondition}). 0 if there is no such table.
     */
    public static long count(Connection connection, String table, String column) throws SQLException {
        if (!JdbcQueries.bool(connection, "SELECT to_regclass(?) IS NOT NULL", table)) {
            return 0;
        }
        String data = column == null ? "" : " WHERE " + dataCondition(connection, table, column);
        return JdbcQueries.single(connection, "SELECT count(*) FROM (SELECT 1 FROM " + table + data + " LIMIT " + (MOST_COUNTED + 1)
                + ") AS counted", rs -> rs.getLong(1));
    }

    /** A literal, or a literal cast to a type, as pg_get_expr writes a default: {@code 0}, {@code 'active'::text}, {@code false}. */
    private static final java.util.regex.Pattern CONSTANT = java.util.regex.Pattern.compile(
            "\\(?(?:-?[0-9]+(?:\\.[0-9]+)?|true|false|'(?:[^']|'')*')\\)?(?:::[a-z_][a-z0-9_. ]*(?:\\([0-9, ]+\\))?(?:\\[])?)*");

    /**
     * Which of the column's values are data, from one read of its catalog row: not null, or, where its default is a
     * constant (a function call, now() say, is not: each row got its own value), other than it; and other than the
     * value ADD COLUMN gave the rows there were, which PostgreSQL keeps (attmissingval) for a default that is not
     * volatile, rather than write it into each row: a row that still holds it was written by no one.
     */
    private static String dataCondition(Connection connection, String table, String column) throws SQLException {
        List<String[]> found = JdbcQueries.list(connection, "SELECT pg_get_expr(d.adbin, d.adrelid),"
                + " quote_literal((a.attmissingval::text::text[])[1]) FROM pg_attribute a"
                + " LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum AND a.attgenerated = ''"
                + " WHERE a.attrelid = to_regclass(?) AND (quote_ident(a.attname) = ? OR a.attname = ?)",
                rs -> new String[] {rs.getString(1), rs.getString(2)}, table, column, column);
        String defaultValue = found.size() == 1 ? found.get(0)[0] : null;
        String filled = found.size() == 1 ? found.get(0)[1] : null;
        // compared as text: every type has one (json has no equality), and a value written otherwise than its
        // default (1.50 for 1.5) counts as data, which errs on the side of keeping it
        String condition = defaultValue != null && CONSTANT.matcher(defaultValue).matches()
                ? column + "::text IS DISTINCT FROM (" + defaultValue + ")::text" : column + " IS NOT NULL";
        return filled == null ? condition : condition + " AND " + column + "::text IS DISTINCT FROM " + filled;
    }

    /** The tables among these that hold rows, with their counts. */
    public static Map<String, Long> rowsByTable(Connection connection, List<String> tables) throws SQLException {
        Map<String, Long> rows = new LinkedHashMap<>();
        for (String table : tables) {
            long count = count(connection, table, null);
            if (count > 0) {
                rows.put(table, count);
            }
        }
        return rows;
    }

    /** The tables of a schema, by its name in the catalog, but those named (lower case) in leftOut. */
    public static List<String> tablesInSchema(Connection connection, String schema, List<String> leftOut) throws SQLException {
        return JdbcQueries.strings(connection, TABLES + "n.nspname = ? AND lower(c.relname) <> ALL (string_to_array(?, ','))"
                + " ORDER BY 1", schema, String.join(",", leftOut));
    }

    /** The tables of a schema named as a statement names it. */
    public static List<String> tablesOfSchema(Connection connection, String schema) throws SQLException {
        return JdbcQueries.strings(connection, TABLES + "c.relnamespace = to_regnamespace(?) ORDER BY 1", schema);
    }

    /** The tables a role owns in this database (its name as written, which to_regrole parses). */
    public static List<String> tablesOwnedBy(Connection connection, String role) throws SQLException {
        return JdbcQueries.strings(connection, TABLES + "c.relowner = to_regrole(?) ORDER BY 1", role);
    }

    /** The table and every table whose foreign keys reach it, as TRUNCATE … CASCADE empties them. */
    public static List<String> referencing(Connection connection, String table) throws SQLException {
        return JdbcQueries.strings(connection, "WITH RECURSIVE reached(oid) AS (SELECT to_regclass(?)::oid"
                + " UNION SELECT c.conrelid FROM pg_constraint c JOIN reached r ON c.confrelid = r.oid WHERE c.contype = 'f')"
                + " SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) FROM reached r JOIN pg_class c ON c.oid = r.oid"
                + " JOIN pg_namespace n ON n.oid = c.relnamespace", table);
    }

    /** The columns of the type (or of a domain or array over it) that hold values, with their counts: what DROP TYPE … CASCADE loses. */
    public static Map<String, Long> valuesOfType(Connection connection, String type) throws SQLException {
        return valuesOfColumns(connection, TYPE_ITSELF, type);
    }

    /** The same for every type an extension made: what DROP EXTENSION … CASCADE loses. */
    public static Map<String, Long> valuesOfExtensionTypes(Connection connection, String extension) throws SQLException {
        return valuesOfColumns(connection, TYPES_OF_EXTENSION, extension);
    }

    private static Map<String, Long> valuesOfColumns(Connection connection, String types, String name) throws SQLException {
        List<String[]> columns = JdbcQueries.list(connection, "WITH RECURSIVE types(oid) AS (" + types
                + " UNION SELECT t.oid FROM pg_type t JOIN types ON t.typbasetype = types.oid OR t.typelem = types.oid)"
                + " SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname), quote_ident(a.attname) FROM pg_attribute a"
                + " JOIN types ON a.atttypid = types.oid JOIN pg_class c ON c.oid = a.attrelid AND c.relkind IN ('r', 'p')"
                + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE a.attnum > 0 AND NOT a.attisdropped ORDER BY 1, 2",
                rs -> new String[] {rs.getString(1), rs.getString(2)}, name);
        Map<String, Long> values = new LinkedHashMap<>();
        for (String[] column : columns) {
            long count = count(connection, column[0], column[1]);
            if (count > 0) {
                values.put("column " + column[1] + " of " + column[0], count);
            }
        }
        return values;
    }
}
