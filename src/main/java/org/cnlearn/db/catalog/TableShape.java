package org.cnlearn.db.catalog;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A table as the application sees it, one line per column, constraint, index and trigger, as
 * {@link SchemaCatalog} reads them, less the table's own name (so a table moved to another schema
 * reads the same). SERIAL and IDENTITY columns both read as "auto-increment".
 */
public final class TableShape {

    private TableShape() {
    }

    /** The lines, or an empty list when the table does not exist. */
    public static List<String> describe(Connection connection, String schema, String table) throws SQLException {
        List<String> lines = new ArrayList<>();
        for (CatalogObject object : SchemaCatalog.readTable(connection, schema, table)) {
            switch (object.kind()) {
                case TABLE -> {
                }
                case COLUMN -> lines.add("column " + object.name() + " " + object.definition());
                case INDEX -> lines.add("index " + object.definition().replaceFirst("^CREATE ", "").replaceFirst(" ON \\S+ USING ", " USING "));
                case TRIGGER -> lines.add("trigger " + object.definition().replaceFirst(" ON \\S+ ", " ON the table "));
                default -> lines.add("constraint " + object.name() + " " + object.definition());
            }
        }
        return lines;
    }
}
