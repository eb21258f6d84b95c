package org.cnlearn.db.authoring;

import org.cnlearn.db.catalog.CatalogDdl;
import org.cnlearn.db.catalog.CatalogObject;
import org.cnlearn.db.catalog.CatalogObject.Kind;
import org.cnlearn.db.catalog.Difference;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.cnlearn.db.authoring.ChangeNodes.change;
import static org.cnlearn.db.authoring.ChangeNodes.plain;
import static org.cnlearn.db.authoring.ChangeNodes.sql;
import static org.cnlearn.db.authoring.ChangeNodes.table;
import static org.cnlearn.db.authoring.ChangeNodes.with;
import static org.cnlearn.db.authoring.Definitions.columnList;

/**
 * Tables: a new one in a changeset of its own with its columns, keys, checks and indexes (createTable where
 * Liquibase can say its columns, else PostgreSQL's CREATE TABLE), a referenced table first; a dropped one
 * with the rollback that creates it again, the same way; a rename the author asked for.
 */
final class TablePlan {

    private final List<ChangePlan.Planned> planned;
    private final Set<String> tablesBefore;
    private final ConstraintPlan constraints;
    private final DeparsedChanges deparsed;

    TablePlan(List<ChangePlan.Planned> planned, Set<String> tablesBefore, ConstraintPlan constraints, DeparsedChanges deparsed) {
        this.planned = planned;
        this.tablesBefore = tablesBefore;
        this.constraints = constraints;
        this.deparsed = deparsed;
    }

    /** A table renamed, as the author said with -Drename: its rows, keys and indexes go with it. */
    static ChangePlan.Planned rename(CatalogObject table, String to) {
        Map<String, Object> forward = new LinkedHashMap<>();
        Map<String, Object> back = new LinkedHashMap<>();
        if (!"public".equals(table.schema())) {
            forward.put("schemaName", plain(table.schema()));
            back.put("schemaName", plain(table.schema()));
        }
        forward.put("oldTableName", plain(table.table()));
        forward.put("newTableName", to);
        back.put("oldTableName", to);
        back.put("newTableName", plain(table.table()));
        return new ChangePlan.Planned("rename table " + table.qualifiedName() + " to " + to, true, List.of(change("renameTable", forward)),
                List.of(change("renameTable", back)), new ChangePlan.Waiver("renaming-table", "the author asked for this rename with -Drename;"
                + " deploy it with the application version that reads the new name"));
    }

    /** Tables gone, a table before the tables it references; each rollback creates it again with its parts. */
    void drop(List<Difference> tables) {
        List<Difference> dropOrder = new ArrayList<>(ordered(tables));
        Collections.reverse(dropOrder);
        for (Difference d : dropOrder) {
            CatalogObject table = d.from();
            planned.add(new ChangePlan.Planned("drop table " + table.qualifiedName() + ", with its rows", true,
                    List.of(change("dropTable", table(table))), createTable(table, d.parts()), null));
        }
    }

    /** New tables, each in a changeset with its columns, keys, checks, indexes and triggers, a referenced table first. */
    void create(List<Difference> added) {
        List<Difference> tables = ordered(added);
        Set<String> available = new HashSet<>(tablesBefore);
        List<CatalogObject> late = new ArrayList<>();
        for (Difference d : tables) {
            CatalogObject table = d.target();
            available.add(table.qualifiedName());
            List<CatalogObject> parts = new ArrayList<>();
            for (CatalogObject part : d.parts()) {
                if (part.kind() == Kind.FOREIGN_KEY && !available.contains(ConstraintPlan.referencedTable(part))) {
                    late.add(part); // points at a table created later: added once both exist
                } else {
                    parts.add(part);
                }
            }
            planned.add(new ChangePlan.Planned("create table " + table.qualifiedName() + " with its keys, checks and indexes", true,
                    createTable(table, parts), List.of(change("dropTable", table(table))), null));
        }
        late.forEach(constraints::add);
    }

    /** Tables in an order where a table comes after the tables among them its foreign keys point at, where one exists. */
    private static List<Difference> ordered(List<Difference> tables) {
        List<Difference> left = new ArrayList<>(tables);
        List<Difference> ordered = new ArrayList<>();
        Set<String> placed = new HashSet<>();
        Set<String> names = new HashSet<>();
        tables.forEach(d -> names.add(d.qualifiedName()));
        while (!left.isEmpty()) {
            Difference next = left.stream().filter(d -> d.parts().stream().filter(p -> p.kind() == Kind.FOREIGN_KEY)
                    .map(ConstraintPlan::referencedTable).filter(names::contains).filter(r -> !r.equals(d.qualifiedName()))
                    .allMatch(placed::contains)).findFirst().orElse(left.get(0)); // a cycle: its foreign keys come later
            left.remove(next);
            placed.add(next.qualifiedName());
            ordered.add(next);
        }
        return ordered;
    }

    /** createTable (or, where its columns need what createTable cannot say, PostgreSQL's CREATE TABLE), then the table's other parts. */
    private List<Object> createTable(CatalogObject table, List<CatalogObject> parts) {
        List<CatalogObject> columns = parts.stream().filter(p -> p.kind() == Kind.COLUMN).toList();
        boolean plain = table.definition().equals("table") && columns.stream().noneMatch(c ->
                c.definition().contains(" generated always as ") || c.column().type().contains(" COLLATE "));
        if (!plain) {
            List<Object> changes = new ArrayList<>();
            CatalogDdl.create(table, parts).forEach(statement -> changes.add(sql(statement)));
            return changes;
        }
        CatalogObject primaryKey = parts.stream().filter(p -> p.kind() == Kind.PRIMARY_KEY).findFirst().orElse(null);
        List<String> keyColumns = primaryKey == null ? null : columnList(primaryKey.definition(), "PRIMARY KEY ");
        Map<String, String> uniqueInline = new LinkedHashMap<>();
        List<Object> after = new ArrayList<>();
        for (CatalogObject part : parts) {
            switch (part.kind()) {
                case COLUMN -> {
                }
                case PRIMARY_KEY -> {
                    if (keyColumns == null || keyColumns.size() > 1) {
                        after.add(keyColumns == null ? sql(ConstraintPlan.ddl(part)) : change("addPrimaryKey", with(table(part),
                                "columnNames", String.join(", ", keyColumns), "constraintName", plain(part.name()))));
                    }
                }
                case UNIQUE_CONSTRAINT -> {
                    List<String> unique = columnList(part.definition(), "UNIQUE ");
                    if (unique != null && unique.size() == 1 && !uniqueInline.containsKey(unique.get(0))) {
                        uniqueInline.put(unique.get(0), plain(part.name()));
                    } else {
                        after.add(unique == null ? sql(ConstraintPlan.ddl(part)) : change("addUniqueConstraint", with(table(part),
                                "columnNames", String.join(", ", unique), "constraintName", plain(part.name()))));
                    }
                }
                case FOREIGN_KEY -> after.add(ConstraintPlan.foreignKey(part, true));
                case INDEX -> after.add(IndexPlan.create(part));
                default -> deparsed.statements(part, List.of()).forEach(statement -> after.add(sql(statement)));
            }
        }
        Map<String, Object> create = table(table);
        List<Object> columnNodes = new ArrayList<>();
        for (CatalogObject column : columns) {
            String name = plain(column.name());
            boolean key = keyColumns != null && keyColumns.size() == 1 && keyColumns.get(0).equals(name);
            columnNodes.add(Map.of("column", ColumnPlan.node(column, key ? plain(primaryKey.name()) : null, uniqueInline.get(name))));
        }
        create.put("columns", columnNodes);
        List<Object> changes = new ArrayList<>();
        changes.add(change("createTable", create));
        changes.addAll(after);
        return changes;
    }
}
