package org.cnlearn.db.authoring;

import org.cnlearn.db.catalog.CatalogObject;

import java.util.ArrayList;
import java.util.List;

/** -Drename=TABLE.OLD:NEW[,…]: columns the author says were renamed, not dropped and added. */
record Renames(List<Rename> columns) {

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
    }

    static Renames parse(String value) {
        List<Rename> renames = new ArrayList<>();
        if (value == null || value.isBlank()) {
            return new Renames(renames);
        }
        for (String item : value.split(",")) {
            String text = item.strip();
            int colon = text.indexOf(':');
            int dot = colon < 0 ? -1 : text.lastIndexOf('.', colon);
            if (colon < 0 || dot <= 0 || colon == text.length() - 1 || dot == colon - 1) {
                throw new AuthoringFailure("-Drename=" + text + " is not TABLE.OLD:NEW (for example -Drename=user.nick_name:nickname)."
                        + " Nothing was written.");
            }
            String table = text.substring(0, dot);
            int schemaDot = table.indexOf('.');
            renames.add(new Rename(schemaDot < 0 ? "public" : table.substring(0, schemaDot), schemaDot < 0 ? table : table.substring(schemaDot + 1),
                    text.substring(dot + 1, colon), text.substring(colon + 1)));
        }
        return new Renames(renames);
    }

    boolean isEmpty() {
        return columns.isEmpty();
    }
}
