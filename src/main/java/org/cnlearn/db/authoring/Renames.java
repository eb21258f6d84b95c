package org.cnlearn.db.authoring;

import org.cnlearn.db.catalog.CatalogObject;

import java.util.ArrayList;
import java.util.List;

/**
 * -Drename=TABLE.OLD:NEW[,…] and -Drename=OLD_TABLE:NEW_TABLE: columns and tables the author says were renamed,
 * not dropped and added. {@code schema.table:new} is read as a column of table {@code schema} unless what the
 * changelog builds has no such column and has that table ({@link Autogenerate} asks).
 */
record Renames(List<Rename> columns, List<TableRename> tables) {

    /** One column renamed; {@code schema} is "public" unless the table was given as schema.table. */
    record Rename(String schema, String table, String from, String to) {

        /** Whether a catalog object (a column) belongs to this rename's table. */
        boolean onTableOf(CatalogObject object) {
            return object.table() != null && CatalogObject.unquote(object.schema()).equals(schema)
                    && CatalogObject.unquote(object.table()).equals(table);
        }

        String given() {
            return (schema.equals("public") ? "" : schema + ".") + table + "." + from + ":" + to;
        }

        /** The same words read as a table renamed: schema.old:new, when it was given as TABLE.OLD:NEW in public. */
        TableRename asTable() {
            return schema.equals("public") ? new TableRename(table, from, to) : null;
        }
    }

    /** One table renamed, in its schema. */
    record TableRename(String schema, String from, String to) {

        boolean is(CatalogObject object) {
            return object.kind() == CatalogObject.Kind.TABLE && CatalogObject.unquote(object.schema()).equals(schema)
                    && CatalogObject.unquote(object.table()).equals(from);
        }

        String given() {
            return (schema.equals("public") ? "" : schema + ".") + from + ":" + to;
        }
    }

    static Renames parse(String value) {
        List<Rename> renames = new ArrayList<>();
        List<TableRename> tables = new ArrayList<>();
        if (value == null || value.isBlank()) {
            return new Renames(renames, tables);
        }
        for (String item : value.split(",")) {
            String text = item.strip();
            int colon = text.indexOf(':');
            int dot = colon < 0 ? -1 : text.lastIndexOf('.', colon);
            if (colon > 0 && dot < 0 && colon < text.length() - 1) {
                tables.add(new TableRename("public", text.substring(0, colon), text.substring(colon + 1)));
                continue;
            }
            if (colon < 0 || dot <= 0 || colon == text.length() - 1 || dot == colon - 1) {
                throw new AuthoringFailure("-Drename=" + text + " is neither TABLE.OLD:NEW, a column renamed (for example"
                        + " -Drename=user.nick_name:nickname), nor OLD:NEW, a table renamed (-Drename=packages:crates). Nothing was written.");
            }
            String table = text.substring(0, dot);
            int schemaDot = table.indexOf('.');
            renames.add(new Rename(schemaDot < 0 ? "public" : table.substring(0, schemaDot), schemaDot < 0 ? table : table.substring(schemaDot + 1),
                    text.substring(dot + 1, colon), text.substring(colon + 1)));
        }
        return new Renames(renames, tables);
    }

    boolean isEmpty() {
        return columns.isEmpty() && tables.isEmpty();
    }
}
