package org.cnlearn.db.safety;

import org.cnlearn.db.catalog.CatalogObject;
import org.cnlearn.db.catalog.StoredData;
import org.cnlearn.db.phases.VerifiedCopy;

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
import java.sql.SQLException;
import java.util.ArrayList;
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
        check(connection, database, statements, changeSet, unchanged, true);
    }

    /**
     * The same refusal, said before the run starts ({@link WholeRunCheck}), from the rows as they are: nothing is
     * locked, since nothing is dropped yet. False where the rows cannot be counted yet (a column an earlier
     * changeset of the run adds): then the guard counts them as the statement runs.
     */
    static boolean predict(Connection connection, SafePostgresDatabase database, SqlStatement[] statements, ChangeSet changeSet,
                           String unchanged) throws DatabaseException {
        return check(connection, database, statements, changeSet, unchanged, false);
    }

    private static boolean check(Connection connection, SafePostgresDatabase database, SqlStatement[] statements, ChangeSet changeSet,
                                 String unchanged, boolean running) throws DatabaseException {
        if (statements == null || allowed()) {
            return true;
        }
        for (SqlStatement statement : statements) {
            try {
                if (statement instanceof DropTableStatement drop) {
                    String table = database.escapeTableName(drop.getCatalogName(), database.schemaOf(drop.getSchemaName()), drop.getTableName());
                    refuseIfAny(StoredData.count(connection, table, null), "drop table " + table, unchanged);
                } else if (statement instanceof DropColumnStatement drop) {
                    for (DropColumnStatement column : drop.isMultiple() ? drop.getColumns() : List.of(drop)) {
                        String table = database.escapeTableName(column.getCatalogName(), database.schemaOf(column.getSchemaName()),
                                column.getTableName());
                        String name = database.escapeObjectName(column.getColumnName(), liquibase.structure.core.Column.class);
                        dropColumn(connection, table, column.getColumnName(), name, changeSet, "", unchanged, running);
                    }
                } else if (statement instanceof RawSqlStatement raw) {
                    checkRaw(connection, raw.getSql(), changeSet, unchanged, running);
                } else if (statement instanceof RawParameterizedSqlStatement raw) {
                    checkRaw(connection, raw.getSql(), changeSet, unchanged, running);
                }
            } catch (SQLException e) {
                if (!running) {
                    return false;
                }
                throw new DatabaseException("Could not count the rows " + statement.getClass().getSimpleName()
                        + " would destroy, so it did not run: " + e.getMessage(), e);
            }
        }
        return true;
    }

    private static void checkRaw(Connection connection, String sql, ChangeSet changeSet, String unchanged, boolean running)
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
                    case DROP_TABLE -> refuseIfAny(StoredData.count(connection, target.relation(), null), "drop table " + target.relation() + sqlSays,
                            unchanged);
                    case DROP_COLUMN -> dropColumn(connection, target.relation(), CatalogObject.unquote(target.column()), target.column(),
                            changeSet, sqlSays, unchanged, running);
                    case TRUNCATE -> {
                        if (target.cascade()) {
                            refuseIfAny(StoredData.rowsByTable(connection, StoredData.referencing(connection, target.relation())),
                                    "truncate " + target.relation() + " and, by CASCADE, the tables that reference it" + sqlSays, unchanged);
                        } else {
                            refuseIfAny(StoredData.count(connection, target.relation(), null), "truncate " + target.relation() + sqlSays, unchanged);
                        }
                    }
                    case DROP_SCHEMA_CASCADE -> refuseIfAny(StoredData.rowsByTable(connection, StoredData.tablesOfSchema(connection, target.relation())),
                            "drop schema " + target.relation() + " and every table in it" + sqlSays, unchanged);
                    case DROP_TYPE_CASCADE -> refuseIfAny(StoredData.valuesOfType(connection, target.relation()),
                            "drop type " + target.relation() + " and, by CASCADE, every column of it" + sqlSays, unchanged);
                    case DROP_EXTENSION_CASCADE -> refuseIfAny(StoredData.valuesOfExtensionTypes(connection, target.relation()),
                            "drop extension " + target.relation() + " and, by CASCADE, every column of its types" + sqlSays, unchanged);
                    case DROP_OWNED -> refuseIfAny(StoredData.rowsByTable(connection, StoredData.tablesOwnedBy(connection, target.relation())),
                            "drop every table " + target.relation() + " owns" + sqlSays, unchanged);
                }
            }
        }
    }

    /**
     * A column dropped: its values that are data, unless the changeset declares it a copy of another column
     * ({@link VerifiedCopy}), and then only the rows where the two differ.
     */
    private static void dropColumn(Connection connection, String table, String plainName, String name, ChangeSet changeSet, String sqlSays,
                                   String unchanged, boolean running) throws SQLException, DatabaseException {
        VerifiedCopy.Declared copy = VerifiedCopy.partnerOf(changeSet, plainName);
        if (copy == null) {
            refuseIfAny(StoredData.count(connection, table, name), "drop column " + name + " of " + table + sqlSays, unchanged);
            return;
        }
        long differing = VerifiedCopy.differing(connection, table, plainName, copy.copy(), running);
        if (differing > 0) {
            throw new DatabaseException("Refusing to drop column " + name + " of " + table + sqlSays + ": in " + amount(differing)
                    + " it holds a value that its copy, column " + copy.copy() + ", does not (" + copy.text() + " in the changeset's"
                    + " comment), which would be lost. " + unchanged + " Make those rows agree, or, to drop their values anyway, run"
                    + " again with " + flagSetting() + ".");
        }
    }

    /** The tables of a schema (by its name in the catalog) that hold rows, with their counts: what dropAll would lose. */
    public static Map<String, Long> rowsInSchema(Connection connection, String schema, List<String> leftOut) throws SQLException {
        return StoredData.rowsByTable(connection, StoredData.tablesInSchema(connection, schema, leftOut));
    }

    /** "the rows of public.t (3 rows) and public.u (1 row)" */
    public static String describe(Map<String, Long> rows) {
        List<String> parts = new ArrayList<>();
        rows.forEach((table, count) -> parts.add(table + " (" + amount(count) + ")"));
        String last = parts.remove(parts.size() - 1);
        return "the rows of " + (parts.isEmpty() ? last : String.join(", ", parts) + " and " + last);
    }

    public static String amount(long rows) {
        return (rows > StoredData.MOST_COUNTED ? "more than " + StoredData.MOST_COUNTED : rows) + (rows == 1 ? " row" : " rows");
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

    private static String oneLine(String sql) {
        String line = sql.replaceAll("\\s+", " ").strip();
        return line.length() > 120 ? line.substring(0, 117) + "…" : line;
    }
}
