package org.cnlearn.db.authoring;

import org.cnlearn.db.catalog.CatalogObject;
import org.cnlearn.db.catalog.Difference;
import org.cnlearn.db.lint.LockRules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static org.cnlearn.db.authoring.ChangePlan.Planned;
import static org.cnlearn.db.authoring.ChangePlan.Waiver;
import static org.cnlearn.db.authoring.ChangeNodes.change;
import static org.cnlearn.db.authoring.ChangeNodes.names;
import static org.cnlearn.db.authoring.ChangeNodes.plain;
import static org.cnlearn.db.authoring.ChangeNodes.sql;
import static org.cnlearn.db.authoring.ChangeNodes.table;
import static org.cnlearn.db.authoring.ChangeNodes.with;

/**
 * The columns' part of a plan ({@link ChangePlan}) on tables that exist: a column renamed, added (nullable, with a
 * default PostgreSQL stores once, or, for a default that fills every row, with no default, filled in batches and
 * made NOT NULL by a validated check), dropped, or changed (a type widened in place, its default, its NOT NULL),
 * each with its rollback.
 */
final class ColumnPlan {

    private final List<Planned> planned;
    private final List<String> refused;

    ColumnPlan(List<Planned> planned, List<String> refused) {
        this.planned = planned;
        this.refused = refused;
    }

    /** A rename in place, for the reason given (what keeps it from expand and contract), and its changeset. */
    static Planned rename(CatalogObject column, String to, String because) {
        Map<String, Object> forward = table(column);
        forward.put("oldColumnName", plain(column.name()));
        forward.put("newColumnName", to);
        Map<String, Object> back = table(column);
        back.put("oldColumnName", to);
        back.put("newColumnName", plain(column.name()));
        return new Planned("rename column " + column.qualifiedName() + " to " + to + " in place, not by expand and contract, since "
                + because, true, List.of(change("renameColumn", forward)),
                List.of(change("renameColumn", back)), new Waiver("renaming-column", "the author asked for this rename with -Drename;"
                + " deploy it with the application version that reads the new name"));
    }

    /**
     * A default as defaultValueComputed must say it: Liquibase writes NOW() for anything it sees start with
     * CURRENT_TIMESTAMP (losing a precision, CURRENT_TIMESTAMP(3), too), so such a default is put in parentheses,
     * which PostgreSQL stores as the same expression.
     */
    static String computed(String expression) {
        String lower = expression.toLowerCase(java.util.Locale.ROOT);
        return lower.startsWith("current_timestamp") || lower.startsWith("current_datetime") ? "(" + expression + ")" : expression;
    }

    /** A column as createTable and addColumn write it. */
    static Map<String, Object> node(CatalogObject column, String primaryKeyName, String uniqueName) {
        CatalogObject.Column c = column.column();
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("name", plain(column.name()));
        node.put("type", c.type());
        if (column.definition().endsWith(" auto-increment")) {
            node.put("autoIncrement", true);
        }
        if (c.defaultValue() != null) {
            node.put("defaultValueComputed", computed(c.defaultValue()));
        }
        Map<String, Object> constraints = new LinkedHashMap<>();
        if (c.notNull()) {
            constraints.put("nullable", false);
        }
        if (primaryKeyName != null) {
            constraints.put("primaryKey", true);
            constraints.put("primaryKeyName", primaryKeyName);
        }
        if (uniqueName != null) {
            constraints.put("unique", true);
            constraints.put("uniqueConstraintName", uniqueName);
        }
        if (!constraints.isEmpty()) {
            node.put("constraints", constraints);
        }
        return node;
    }

    void drop(List<CatalogObject> columns) {
        CatalogObject first = columns.get(0);
        Map<String, Object> drop = table(first);
        Map<String, Object> add = table(first);
        List<Object> dropped = new ArrayList<>();
        List<Object> added = new ArrayList<>();
        for (CatalogObject column : columns) {
            dropped.add(Map.of("column", Map.of("name", plain(column.name()))));
            added.add(Map.of("column", node(column, null, null)));
        }
        if (columns.size() == 1) {
            drop.put("columnName", plain(first.name()));
        } else {
            drop.put("columns", dropped);
        }
        add.put("columns", added);
        planned.add(new Planned("drop " + names(columns) + (columns.size() == 1 ? ", with its data" : ", with their data"), true, List.of(change("dropColumn", drop)),
                List.of(change("addColumn", add)), null));
    }

    /**
     * Columns added to a table that exists: nullable, or with a default PostgreSQL keeps rather than writes into
     * every row, in one changeset; one whose default fills every row, in batches ({@link #addFilledInBatches});
     * an identity, serial or generated column, or one NOT NULL with no default, refused.
     */
    void add(List<CatalogObject> columns) {
        List<Object> added = new ArrayList<>();
        List<Object> dropped = new ArrayList<>();
        for (CatalogObject column : columns) {
            if (column.definition().endsWith(" auto-increment") || column.definition().contains(" generated always as ")) {
                refused.add("column " + column.qualifiedName() + " is an identity, serial or generated column on a table that exists:"
                        + " PostgreSQL fills every row while the table is locked (adding-field-with-default).");
                continue;
            }
            String fills = column.column().defaultValue() == null ? null : LockRules.fillsEveryRow(column.column().type(), column.column().defaultValue());
            if (fills != null) {
                addFilledInBatches(column);
                continue;
            }
            if (column.column().notNull() && column.column().defaultValue() == null) {
                refused.add("column " + column.qualifiedName() + " is NOT NULL with no default, on a table that exists: its rows"
                        + " would have no value (adding-required-field). Add it nullable or with a server default, backfill it, then"
                        + " make it NOT NULL in a later change.");
                continue;
            }
            added.add(Map.of("column", node(column, null, null)));
            dropped.add(Map.of("column", Map.of("name", plain(column.name()))));
        }
        if (added.isEmpty()) {
            return;
        }
        Object drop = dropped.size() == 1 ? change("dropColumn", with(table(columns.get(0)), "columnName",
                ((Map<?, ?>) ((Map<?, ?>) dropped.get(0)).get("column")).get("name")))
                : change("dropColumn", with(table(columns.get(0)), "columns", dropped));
        planned.add(new Planned("add " + names(columns), true, List.of(change("addColumn", with(table(columns.get(0)), "columns", added))),
                List.of(drop), null));
    }

    /**
     * A column whose default fills every row as it is added (a volatile default, or one the lint cannot tell
     * is not), on a table that exists, without the long lock: added with no default, so nothing is
     * rewritten; the default set, for the rows written from then on; the rows there are filled in batches
     * of ten blocks (about a thousand rows), each committed, then the rows moved past them meanwhile; and
     * NOT NULL, if it is, by a validated check.
     */
    private void addFilledInBatches(CatalogObject column) {
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("name", plain(column.name()));
        node.put("type", column.column().type());
        planned.add(new Planned("add column " + column.qualifiedName() + ", with no default yet", true,
                List.of(change("addColumn", with(table(column), "columns", List.of(Map.of("column", node))))),
                List.of(change("dropColumn", with(table(column), "columnName", plain(column.name())))), null));
        planned.add(new Planned("set the default of column " + column.qualifiedName() + ", for the rows written from now on", true,
                List.of(change("addDefaultValue", with(table(column), "columnName", plain(column.name()), "defaultValueComputed",
                        computed(column.column().defaultValue())))),
                List.of(change("dropDefaultValue", with(table(column), "columnName", plain(column.name())))), null));
        String procedure = column.schema() + "." + fillName(column);
        String table = column.qualifiedTable();
        String name = column.name();
        String fill = "CREATE PROCEDURE " + procedure + "() LANGUAGE plpgsql AS $$\n"
                + "DECLARE\n"
                + "  last_block bigint := pg_relation_size('" + table.replace("'", "''") + "'::regclass) / current_setting('block_size')::bigint;\n"
                + "  filled bigint;\n"
                + "BEGIN\n"
                + "  FOR first_block IN 0 .. last_block BY 10 LOOP\n"
                + "    UPDATE " + table + " SET " + name + " = DEFAULT WHERE ctid >= format('(%s,0)', first_block)::tid\n"
                + "      AND ctid < format('(%s,0)', first_block + 10)::tid AND " + name + " IS NULL;\n"
                + "    COMMIT;\n"
                + "  END LOOP;\n"
                + "  LOOP\n"
                + "    UPDATE " + table + " SET " + name + " = DEFAULT\n"
                + "      WHERE ctid = ANY (ARRAY(SELECT ctid FROM " + table + " WHERE " + name + " IS NULL LIMIT 1000));\n"
                + "    GET DIAGNOSTICS filled = ROW_COUNT;\n"
                + "    COMMIT;\n"
                + "    EXIT WHEN filled = 0;\n"
                + "  END LOOP;\n"
                + "END $$";
        String drop = "DROP PROCEDURE " + procedure + "()";
        planned.add(new Planned("create procedure " + procedure + ", which fills column " + column.qualifiedName() + " in batches", true,
                List.of(sql(fill)), List.of(sql(drop)), null));
        // outside a transaction, so that each batch commits; nothing to undo: the values go with the column
        planned.add(new Planned("fill column " + column.qualifiedName() + " on the rows there are, each batch committed", false,
                List.of(sql("CALL " + procedure + "()")), List.of(change("empty", new LinkedHashMap<>())), null));
        planned.add(new Planned("drop procedure " + procedure, true, List.of(sql(drop)), List.of(sql(fill)), null));
        if (column.column().notNull()) {
            notNull(column);
        }
    }

    /** The fill procedure's name, for as long as it runs: cnlearn_fill_TABLE_COLUMN, quoted where it must be. */
    private static String fillName(CatalogObject column) {
        return identifier("cnlearn_fill_" + plain(column.table()) + "_" + plain(column.name()));
    }

    /** A column of both sides that differs: its type (only a widening), its default, its NOT NULL. */
    void alter(Difference d) {
        CatalogObject from = d.from();
        CatalogObject to = d.target();
        CatalogObject.Column a = from.column();
        CatalogObject.Column b = to.column();
        boolean identity = from.definition().endsWith(" auto-increment") != to.definition().endsWith(" auto-increment")
                || !Objects.equals(generation(from), generation(to));
        if (identity) {
            refused.add("column " + to.qualifiedName() + ": its identity, serial or generation changed, which has no in-place change.");
            return;
        }
        if (!a.type().equals(b.type())) {
            if (!LockRules.widens(a.type(), b.type())) {
                refused.add("column " + to.qualifiedName() + " changes type from " + a.type() + " to " + b.type() + ": PostgreSQL rewrites"
                        + " the table under an ACCESS EXCLUSIVE lock (changing-column-type); do it by expand and contract: a new column,"
                        + " a backfill, then the old one dropped. cnlearn:revision writes that itself only for a column with no index, no"
                        + " check and nothing else that depends on it, whose default and NOT NULL stay as they are; write this one by hand.");
                return;
            }
            planned.add(new Planned("widen column " + to.qualifiedName() + " to " + b.type(), true,
                    List.of(change("modifyDataType", with(table(to), "columnName", plain(to.name()), "newDataType", b.type()))),
                    List.of(change("modifyDataType", with(table(to), "columnName", plain(to.name()), "newDataType", a.type()))), null));
        }
        if (!Objects.equals(a.defaultValue(), b.defaultValue())) {
            Object forward = b.defaultValue() == null ? change("dropDefaultValue", with(table(to), "columnName", plain(to.name())))
                    : change("addDefaultValue", with(table(to), "columnName", plain(to.name()), "defaultValueComputed", computed(b.defaultValue())));
            Object back = a.defaultValue() == null ? change("dropDefaultValue", with(table(to), "columnName", plain(to.name())))
                    : change("addDefaultValue", with(table(to), "columnName", plain(to.name()), "defaultValueComputed", computed(a.defaultValue())));
            planned.add(new Planned((b.defaultValue() == null ? "drop the default of " : "set the default of ") + "column " + to.qualifiedName(),
                    true, List.of(forward), List.of(back), null));
        }
        if (a.notNull() && !b.notNull()) {
            planned.add(new Planned("let column " + to.qualifiedName() + " be null", true,
                    List.of(change("dropNotNullConstraint", with(table(to), "columnName", plain(to.name())))),
                    List.of(change("addNotNullConstraint", with(table(to), "columnName", plain(to.name())))), null));
        } else if (!a.notNull() && b.notNull()) {
            notNull(to);
        }
    }

    /** NOT NULL on a live table without a long lock: a NOT VALID check, validated, then SET NOT NULL (which uses it) and the check dropped. */
    private void notNull(CatalogObject column) {
        String table = column.qualifiedTable();
        String check = checkName(column);
        String add = "ALTER TABLE " + table + " ADD CONSTRAINT " + check + " CHECK (" + column.name() + " IS NOT NULL) NOT VALID";
        String validate = "ALTER TABLE " + table + " VALIDATE CONSTRAINT " + check;
        String drop = "ALTER TABLE " + table + " DROP CONSTRAINT " + check;
        planned.add(new Planned("check that column " + column.qualifiedName() + " is not null, for new rows", true,
                List.of(sql(add)), List.of(sql(drop)), null));
        planned.add(new Planned("validate that check on the rows there are", true, List.of(sql(validate)),
                List.of(sql(drop), sql(add)), null));
        planned.add(new Planned("make column " + column.qualifiedName() + " NOT NULL, by the valid check, and drop the check", true,
                List.of(change("addNotNullConstraint", with(table(column), "columnName", plain(column.name()))), sql(drop)),
                List.of(change("dropNotNullConstraint", with(table(column), "columnName", plain(column.name()))), sql(add), sql(validate)), null));
    }

    private static String checkName(CatalogObject column) {
        return notNullCheck(column.table(), plain(column.name()));
    }

    /**
     * The name of the CHECK (column IS NOT NULL) that stands in for a scan while a column of {@code table} is made NOT
     * NULL; not TABLE_COLUMN_not_null, which PostgreSQL 18 gives the NOT NULL itself (it would take TABLE_COLUMN_not_null1).
     */
    static String notNullCheck(String table, String column) {
        return identifier(plain(table) + "_" + column + "_not_null_check");
    }

    /** A name made here, cut to PostgreSQL's 63 characters and quoted unless it is a plain lower-case word. */
    static String identifier(String name) {
        return name.length() <= 63 && name.matches("[a-z_][a-z0-9_]*") ? name
                : "\"" + (name.length() > 63 ? name.substring(0, 63) : name).replace("\"", "\"\"") + "\"";
    }

    private static String generation(CatalogObject column) {
        int at = column.definition().indexOf(" generated always as ");
        return at < 0 ? null : column.definition().substring(at);
    }
}
