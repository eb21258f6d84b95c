package org.cnlearn.db.safety;

import liquibase.Scope;
import org.cnlearn.db.settings.SettingValue;
import liquibase.changelog.ChangeSet;
import liquibase.exception.DatabaseException;
import liquibase.statement.SqlStatement;
import liquibase.statement.core.DropColumnStatement;
import liquibase.statement.core.DropTableStatement;
import liquibase.statement.core.RawParameterizedSqlStatement;
import liquibase.statement.core.RawSqlStatement;
import org.cnlearn.db.lint.ChangelogLint;
import org.cnlearn.db.lint.DestructiveSql;
import org.cnlearn.db.lint.Rule;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * "Nothing that holds data is destroyed without the flag": before a statement runs, the rows it would
 * destroy are counted, and if there are any the run is refused, in the same words whichever path got
 * there: dropTable and dropColumn, raw SQL (DROP TABLE, ALTER TABLE … DROP COLUMN, TRUNCATE, DROP
 * SCHEMA, TYPE, DOMAIN or EXTENSION … CASCADE, DROP OWNED BY, read by the lint's parser), and dropAll. The flag is -DallowDataLoss=true (the
 * launcher's --allow-data-loss). Only what the statement destroys is counted: DELETE and UPDATE are
 * the data changes a changeset means to make, and are left to it.
 */
public final class DataLossGuard {

    public static final String ALLOW_DATA_LOSS = "allowDataLoss";
    /** A scope key: how the front end running Liquibase spells "allow data loss", for the refusal's message. */
    public static final String ALLOW_DATA_LOSS_SETTING = "cnlearn.allowDataLossSetting";
    /** Counting stops here: a refusal needs "there are rows", and a count of a huge table would take minutes. */
    private static final long MOST_COUNTED = 1_000_000;

    private DataLossGuard() {
    }

    /** -DallowDataLoss=true, or the same key in Liquibase's scope (how a program embedding Liquibase says it). */
    public static boolean allowed() {
        Boolean scoped = Scope.getCurrentScope().get(ALLOW_DATA_LOSS, Boolean.class);
        String given = System.getProperty(ALLOW_DATA_LOSS);
        // -DallowDataLoss=maybe is refused, not read as false (the goals refuse it before they start)
        return scoped != null ? scoped : given != null && SettingValue.trueOrFalse("-D" + ALLOW_DATA_LOSS, given);
    }

    static String flagSetting() {
        String setting = Scope.getCurrentScope().get(ALLOW_DATA_LOSS_SETTING, String.class);
        return setting != null ? setting : "-D" + ALLOW_DATA_LOSS + "=true";
    }

    /**
     * Refuses the statements if any of them would destroy rows. {@code changeSet} is the one they belong
     * to, for its lint waivers (null when unknown: then none). Raw SQL the lint cannot read is not
     * guessed at: it is refused with the lint's own finding, unless the changeset waives that finding.
     */
    static void check(Connection connection, SafePostgresDatabase database, SqlStatement[] statements, ChangeSet changeSet,
                      String unchanged) throws DatabaseException {
        if (statements == null || allowed()) {
            return;
        }
        for (SqlStatement statement : statements) {
            try {
                if (statement instanceof DropTableStatement drop) {
                    String table = database.escapeTableName(drop.getCatalogName(), database.schemaOf(drop.getSchemaName()), drop.getTableName());
                    refuseIfAny(count(connection, table, null), "drop table " + table, unchanged);
                } else if (statement instanceof DropColumnStatement drop) {
                    for (DropColumnStatement column : drop.isMultiple() ? drop.getColumns() : List.of(drop)) {
                        String table = database.escapeTableName(column.getCatalogName(), database.schemaOf(column.getSchemaName()),
                                column.getTableName());
                        String name = database.escapeObjectName(column.getColumnName(), liquibase.structure.core.Column.class);
                        refuseIfAny(count(connection, table, name), "drop column " + name + " of " + table, unchanged);
                    }
                } else if (statement instanceof RawSqlStatement raw) {
                    checkRaw(connection, raw.getSql(), changeSet, unchanged);
                } else if (statement instanceof RawParameterizedSqlStatement raw) {
                    checkRaw(connection, raw.getSql(), changeSet, unchanged);
                }
            } catch (SQLException e) {
                throw new DatabaseException("Could not count the rows " + statement.getClass().getSimpleName()
                        + " would destroy, so it did not run: " + e.getMessage(), e);
            }
        }
    }

    private static void checkRaw(Connection connection, String sql, ChangeSet changeSet, String unchanged)
            throws SQLException, DatabaseException {
        for (DestructiveSql.Reading reading : DestructiveSql.read(sql)) {
            String statement = oneLine(reading.statement());
            if (reading.unreadable() != null) {
                if (changeSet == null || !ChangelogLint.waives(changeSet, Rule.UNPARSEABLE_SQL)) {
                    throw new DatabaseException("Cannot tell whether this SQL" + (changeSet == null ? "" : " of changeset " + changeSet.getId())
                            + " destroys data, so it did not run: " + statement + " (" + Rule.UNPARSEABLE_SQL.id + ": "
                            + reading.unreadable() + "). " + unchanged + " If it keeps every row, say why in the changeset's comment"
                            + " with lint-waiver(" + Rule.UNPARSEABLE_SQL.id + "): the reason; to run it anyway, run again with "
                            + flagSetting() + ".");
                }
                continue;
            }
            for (DestructiveSql.Target target : reading.targets()) {
                String sqlSays = " (sql: " + statement + ")";
                switch (target.kind()) {
                    case DROP_TABLE -> refuseIfAny(count(connection, target.relation(), null), "drop table " + target.relation() + sqlSays,
                            unchanged);
                    case DROP_COLUMN -> refuseIfAny(count(connection, target.relation(), target.column()),
                            "drop column " + target.column() + " of " + target.relation() + sqlSays, unchanged);
                    case TRUNCATE -> {
                        if (target.cascade()) {
                            refuseIfAny(rowsByTable(connection, referencing(connection, target.relation())),
                                    "truncate " + target.relation() + " and, by CASCADE, the tables that reference it" + sqlSays, unchanged);
                        } else {
                            refuseIfAny(count(connection, target.relation(), null), "truncate " + target.relation() + sqlSays, unchanged);
                        }
                    }
                    case DROP_SCHEMA_CASCADE -> refuseIfAny(rowsByTable(connection, tablesOfSchema(connection, target.relation())),
                            "drop schema " + target.relation() + " and every table in it" + sqlSays, unchanged);
                    case DROP_TYPE_CASCADE -> refuseIfAny(valuesOfColumns(connection, TYPE_ITSELF, target.relation()),
                            "drop type " + target.relation() + " and, by CASCADE, every column of it" + sqlSays, unchanged);
                    case DROP_EXTENSION_CASCADE -> refuseIfAny(valuesOfColumns(connection, TYPES_OF_EXTENSION, target.relation()),
                            "drop extension " + target.relation() + " and, by CASCADE, every column of its types" + sqlSays, unchanged);
                    case DROP_OWNED -> refuseIfAny(rowsByTable(connection, tablesOwnedBy(connection, target.relation())),
                            "drop every table " + target.relation() + " owns" + sqlSays, unchanged);
                }
            }
        }
    }

    /** The tables of a schema (by its name in the catalog) that hold rows, with their counts: what dropAll would lose. */
    public static Map<String, Long> rowsInSchema(Connection connection, String schema, List<String> leftOut) throws SQLException {
        return rowsByTable(connection, firstColumn(connection, TABLES + "n.nspname = ? AND lower(c.relname) <> ALL (string_to_array(?, ','))"
                + " ORDER BY 1", schema, String.join(",", leftOut)));
    }

    /** "the rows of public.t (3 rows) and public.u (1 row)" */
    public static String describe(Map<String, Long> rows) {
        List<String> parts = new ArrayList<>();
        rows.forEach((table, count) -> parts.add(table + " (" + amount(count) + ")"));
        String last = parts.remove(parts.size() - 1);
        return "the rows of " + (parts.isEmpty() ? last : String.join(", ", parts) + " and " + last);
    }

    public static String amount(long rows) {
        return (rows > MOST_COUNTED ? "more than " + MOST_COUNTED : rows) + (rows == 1 ? " row" : " rows");
    }

    private static void refuseIfAny(long rows, String action, String unchanged) throws DatabaseException {
        if (rows > 0) {
            throw new DatabaseException("Refusing to " + action + ": it holds " + amount(rows)
                    + " of data, which would be lost. " + unchanged + " To drop them anyway, run again with " + flagSetting() + ".");
        }
    }

    private static void refuseIfAny(Map<String, Long> rows, String action, String unchanged) throws DatabaseException {
        if (!rows.isEmpty()) {
            throw new DatabaseException("Refusing to " + action + ": " + describe(rows)
                    + " would be lost. " + unchanged + " To drop them anyway, run again with " + flagSetting() + ".");
        }
    }

    /** The tables among these that hold rows, with their counts. */
    private static Map<String, Long> rowsByTable(Connection connection, List<String> tables) throws SQLException {
        Map<String, Long> rows = new LinkedHashMap<>();
        for (String table : tables) {
            long count = count(connection, table, null);
            if (count > 0) {
                rows.put(table, count);
            }
        }
        return rows;
    }

    /** The table and every table whose foreign keys reach it, as TRUNCATE … CASCADE empties them. */
    private static List<String> referencing(Connection connection, String table) throws SQLException {
        return firstColumn(connection, "WITH RECURSIVE reached(oid) AS (SELECT to_regclass(?)::oid"
                + " UNION SELECT c.conrelid FROM pg_constraint c JOIN reached r ON c.confrelid = r.oid WHERE c.contype = 'f')"
                + " SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) FROM reached r JOIN pg_class c ON c.oid = r.oid"
                + " JOIN pg_namespace n ON n.oid = c.relnamespace", table);
    }

    /** The type a statement names (its name as written, which to_regtype parses). */
    private static final String TYPE_ITSELF = "SELECT to_regtype(?)::oid";
    /** The types an extension made (its name as written, which parse_ident folds). */
    private static final String TYPES_OF_EXTENSION = "SELECT d.objid FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid"
            + " WHERE d.refclassid = 'pg_extension'::regclass AND d.classid = 'pg_type'::regclass AND d.deptype = 'e'"
            + " AND e.extname = (parse_ident(?))[1]";

    /**
     * The columns of tables whose type is one of these (or a domain or array over one), with how many
     * values each holds: what dropping the types with CASCADE loses.
     */
    private static Map<String, Long> valuesOfColumns(Connection connection, String types, String name) throws SQLException {
        Map<String, Long> values = new LinkedHashMap<>();
        try (PreparedStatement statement = connection.prepareStatement("WITH RECURSIVE types(oid) AS (" + types
                + " UNION SELECT t.oid FROM pg_type t JOIN types ON t.typbasetype = types.oid OR t.typelem = types.oid)"
                + " SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname), quote_ident(a.attname) FROM pg_attribute a"
                + " JOIN types ON a.atttypid = types.oid JOIN pg_class c ON c.oid = a.attrelid AND c.relkind IN ('r', 'p')"
                + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE a.attnum > 0 AND NOT a.attisdropped ORDER BY 1, 2")) {
            statement.setString(1, name);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    long count = count(connection, rs.getString(1), rs.getString(2));
                    if (count > 0) {
                        values.put("column " + rs.getString(2) + " of " + rs.getString(1), count);
                    }
                }
            }
        }
        return values;
    }

    /** The tables a role owns in this database (its name as written, which to_regrole parses). */
    private static List<String> tablesOwnedBy(Connection connection, String role) throws SQLException {
        return firstColumn(connection, TABLES + "c.relowner = to_regrole(?) ORDER BY 1", role);
    }

    /** The tables of a schema named as a statement names it. */
    private static List<String> tablesOfSchema(Connection connection, String schema) throws SQLException {
        return firstColumn(connection, TABLES + "c.relnamespace = to_regnamespace(?) ORDER BY 1", schema);
    }

    /** The tables (ordinary and partitioned) that a condition on pg_class c and pg_namespace n, added after it, picks. */
    private static final String TABLES = "SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) FROM pg_class c"
            + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p') AND ";

    /** The first column of a query's rows, given its parameters. */
    private static List<String> firstColumn(Connection connection, String sql, String... parameters) throws SQLException {
        List<String> values = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setString(i + 1, parameters[i]);
            }
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    values.add(rs.getString(1));
                }
            }
        }
        return values;
    }

    /**
     * Rows of the table (with a value in the column, if one is named), counted up to just past
     * {@link #MOST_COUNTED}; 0 if there is no such table. Names are SQL as a statement writes them.
     */
    static long count(Connection connection, String table, String column) throws SQLException {
        try (PreparedStatement exists = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            exists.setString(1, table);
            try (ResultSet rs = exists.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return 0;
                }
            }
        }
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT count(*) FROM (SELECT 1 FROM " + table
                     + (column == null ? "" : " WHERE " + column + " IS NOT NULL") + " LIMIT " + (MOST_COUNTED + 1) + ") AS counted")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String oneLine(String sql) {
        String line = sql.replaceAll("\\s+", " ").strip();
        return line.length() > 120 ? line.substring(0, 117) + "…" : line;
    }
}
