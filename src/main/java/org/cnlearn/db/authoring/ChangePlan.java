package org.cnlearn.db.authoring;

import org.cnlearn.db.catalog.CatalogDdl;
import org.cnlearn.db.catalog.CatalogObject;
import org.cnlearn.db.catalog.CatalogObject.Kind;
import org.cnlearn.db.catalog.Difference;
import org.cnlearn.db.catalog.ViewShapes;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The changesets that turn what the changelog builds into the desired schema: Liquibase's open-source
 * change types where one says it (createTable, addColumn, createIndex, addForeignKeyConstraint…), SQL
 * from PostgreSQL's deparsers where none does; each with the rollback that restores exactly the schema
 * before it. In dependency order: drops first, what depends on something before it, then creations,
 * a type before the table that uses it, a table before what points at it.
 *
 * <p>On a table that exists already the changes are lock-safe, as the lint asks: an index is built
 * CONCURRENTLY in a changeset of its own; a check or foreign key is added NOT VALID and validated in
 * the next changeset; a unique constraint is a concurrent index, then attached; NOT NULL goes through a
 * validated check. A difference that has no such change is refused, with the reason.
 *
 * <p>Views are {@link ViewPlan}'s: dropped before the tables change and created after. Columns on tables that exist
 * are {@link ColumnPlan}'s; an enum gaining labels is {@link TypePlan}'s.
 */
final class ChangePlan {

    /** One changeset: what it does (for its comment), whether it runs in a transaction, its changes and rollback. */
    record Planned(String what, boolean runInTransaction, List<Object> changes, List<Object> rollback, Waiver waiver) {
    }

    /** A lint rule a changeset breaks on purpose, and why it is safe: only a rename the author asked for. */
    record Waiver(String rule, String reason) {
    }

    private static final Pattern COLUMN_LIST = Pattern.compile("\\(([^()]*)\\)");
    private static final Pattern FOREIGN_KEY = Pattern.compile("^FOREIGN KEY \\(([^()]*)\\) REFERENCES (.+?)\\(([^()]*)\\)"
            + "((?: ON (?:UPDATE|DELETE) (?:NO ACTION|RESTRICT|CASCADE|SET NULL|SET DEFAULT))*)( DEFERRABLE)?( INITIALLY DEFERRED)?( NOT VALID)?$");
    private static final Pattern FK_ACTION = Pattern.compile(" ON (UPDATE|DELETE) (NO ACTION|RESTRICT|CASCADE|SET NULL|SET DEFAULT)");
    private static final Pattern SIMPLE_INDEX = Pattern.compile("^CREATE (UNIQUE )?INDEX (\\S+) ON (\\S+) USING btree \\(([^()]*)\\)$");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_$]*|\"(?:[^\"]|\"\")+\"");

    private final List<Difference> differences;
    private final ViewPlan views;
    private final Set<String> tablesBefore = new HashSet<>();
    private final List<Planned> planned = new ArrayList<>();
    /** Where the views' drop is in the plan (-1: none). */
    private int viewsDropped = -1;
    private final List<String> refused = new ArrayList<>();
    private final ColumnPlan columnPlan = new ColumnPlan(planned, refused);
    private final TypePlan typePlan;

    private ChangePlan(List<CatalogObject> before, List<CatalogObject> wanted, List<Difference> differences, ViewShapes viewsBefore,
                       ViewShapes viewsWanted) {
        this.differences = differences;
        before.stream().filter(o -> o.kind() == Kind.TABLE).forEach(o -> tablesBefore.add(o.qualifiedName()));
        this.views = new ViewPlan(before, wanted, differences, viewsBefore, viewsWanted);
        this.typePlan = new TypePlan(planned, refused, before);
    }

    /**
     * The changesets, renames first: {@code before} is what the changelog builds with the renames done,
     * {@code differences} what still differs from the desired schema ({@code wanted}) after them; the views'
     * shapes of both sides say which views can be replaced in place and in what order the others go.
     */
    static List<Planned> plan(List<CatalogObject> before, List<CatalogObject> wanted, List<Difference> differences, List<Planned> renames,
                              ViewShapes viewsBefore, ViewShapes viewsWanted) {
        ChangePlan plan = new ChangePlan(before, wanted, differences, viewsBefore, viewsWanted);
        plan.planned.addAll(renames);
        plan.drops();
        plan.creations();
        if (!plan.refused.isEmpty()) {
            throw new AuthoringFailure("These differences have no change that is safe on a live table, or none at all; write them by"
                    + " hand (./mvnw cnlearn:revision without -Ddesired), or change the model: " + String.join(" ", plan.refused)
                    + " Nothing was written.");
        }
        return plan.planned;
    }

    // ---- drops: what depends on something goes before it

    private void drops() {
        gone(Kind.TRIGGER).forEach(this::dropInSql);
        Planned viewDrops = views.drops();
        if (viewDrops != null) {
            planned.add(viewDrops);
            viewsDropped = planned.size() - 1;
        }
        for (Difference d : gone(null)) {
            if (d.kind().isConstraint() && d.kind() == Kind.FOREIGN_KEY) {
                dropConstraint(d.from());
            }
        }
        for (Difference d : gone(null)) {
            if (d.kind().isConstraint() && d.kind() != Kind.FOREIGN_KEY) {
                dropConstraint(d.from());
            }
        }
        gone(Kind.INDEX).stream().filter(d -> !views.onDroppedView(d.from())).forEach(d -> dropIndex(d.from()));
        Map<String, List<CatalogObject>> columns = new LinkedHashMap<>();
        gone(Kind.COLUMN).forEach(d -> columns.computeIfAbsent(d.from().qualifiedTable(), t -> new ArrayList<>()).add(d.from()));
        columns.values().forEach(columnPlan::drop);
        List<Difference> tables = gone(Kind.TABLE);
        List<Difference> dropOrder = new ArrayList<>(ordered(tables));
        java.util.Collections.reverse(dropOrder);
        for (Difference d : dropOrder) {
            CatalogObject table = d.from();
            planned.add(new Planned("drop table " + table.qualifiedName() + ", with its rows", true,
                    List.of(change("dropTable", table(table))), createTable(table, d.parts(), Set.of()), null));
        }
        for (Kind kind : List.of(Kind.FUNCTION, Kind.PROCEDURE)) {
            changed(kind).stream().filter(d -> !CatalogDdl.replaceable(d.from(), d.target())).forEach(this::dropInSql);
        }
        for (Kind kind : List.of(Kind.FUNCTION, Kind.PROCEDURE, Kind.SEQUENCE, Kind.TYPE, Kind.EXTENSION, Kind.SCHEMA)) {
            gone(kind).forEach(this::dropInSql);
        }
        for (Difference d : differences) {
            if (d.kind() == Kind.AGGREGATE) {
                refused.add("aggregate " + d.qualifiedName() + ": PostgreSQL has no deparser for aggregates.");
            }
        }
    }

    private void dropConstraint(CatalogObject constraint) {
        List<Object> back = new ArrayList<>();
        String add = "ALTER TABLE " + constraint.qualifiedTable() + " ADD CONSTRAINT " + constraint.name() + " " + constraint.definition();
        if ((constraint.kind() == Kind.FOREIGN_KEY || constraint.kind() == Kind.CHECK_CONSTRAINT) && !constraint.definition().endsWith(" NOT VALID")) {
            back.add(sql(add + " NOT VALID"));
            back.add(sql("ALTER TABLE " + constraint.qualifiedTable() + " VALIDATE CONSTRAINT " + constraint.name()));
        } else {
            back.add(sql(add));
        }
        planned.add(new Planned("drop " + constraint.kind().words + " " + constraint.qualifiedName(), true,
                List.of(sql(CatalogDdl.drop(constraint))), back, null));
    }

    private void dropIndex(CatalogObject index) {
        planned.add(new Planned("drop index " + index.qualifiedName() + " concurrently", false,
                List.of(sql("DROP INDEX CONCURRENTLY " + index.qualifiedName())), List.of(sql(concurrently(index.ddl()))), null));
    }

    // ---- creations: what others depend on first

    private void creations() {
        for (Kind kind : List.of(Kind.SCHEMA, Kind.EXTENSION)) {
            added(kind).forEach(this::createInSql);
        }
        added(Kind.TYPE).forEach(this::createInSql);
        changed(Kind.TYPE).forEach(typePlan::alter);
        for (Kind kind : List.of(Kind.SEQUENCE, Kind.FUNCTION, Kind.PROCEDURE)) {
            added(kind).forEach(this::createInSql);
            for (Difference d : changed(kind)) {
                if (kind == Kind.SEQUENCE || CatalogDdl.replaceable(d.from(), d.target())) {
                    alterInPlace(d);
                } else {
                    createInSql(d); // dropped with the drops, after the views that call it
                }
            }
        }
        changed(Kind.TABLE).forEach(this::alterInPlace);
        newTables();
        Map<String, List<CatalogObject>> columns = new LinkedHashMap<>();
        added(Kind.COLUMN).forEach(d -> columns.computeIfAbsent(d.target().qualifiedTable(), t -> new ArrayList<>()).add(d.target()));
        columns.values().forEach(columnPlan::add);
        changed(Kind.COLUMN).forEach(columnPlan::alter);
        for (Difference d : differences) {
            if (d.kind().isConstraint() && d.target() != null && tablesBefore.contains(d.target().qualifiedTable())) {
                if (d.from() != null) {
                    dropConstraint(d.from());
                }
                addConstraint(d.target());
            }
        }
        for (Difference d : differences) {
            if (d.kind() == Kind.INDEX && d.target() != null && !views.onCreatedView(d.target())) {
                if (d.from() != null) {
                    dropIndex(d.from());
                }
                addIndex(d.target());
            }
        }
        changed(Kind.VIEW).stream().filter(views::replacedInPlace).forEach(this::alterInPlace);
        // nothing between the views' drop and their creation: one changeset, so that no moment is without them
        Planned viewDrops = viewsDropped >= 0 && viewsDropped == planned.size() - 1 ? planned.remove(viewsDropped) : null;
        Planned viewCreations = views.creations(viewDrops);
        if (viewCreations != null) {
            planned.add(viewCreations);
        }
        added(Kind.TRIGGER).forEach(this::createInSql);
        changed(Kind.TRIGGER).forEach(this::alterInPlace);
    }

    /** New tables, each in a changeset with its columns, keys, checks, indexes and triggers, a referenced table first. */
    private void newTables() {
        List<Difference> tables = ordered(added(Kind.TABLE));
        Set<String> available = new HashSet<>(tablesBefore);
        List<CatalogObject> late = new ArrayList<>();
        for (Difference d : tables) {
            CatalogObject table = d.target();
            available.add(table.qualifiedName());
            List<CatalogObject> parts = new ArrayList<>();
            for (CatalogObject part : d.parts()) {
                if (part.kind() == Kind.FOREIGN_KEY && !available.contains(referencedTable(part))) {
                    late.add(part); // points at a table created later: added once both exist
                } else {
                    parts.add(part);
                }
            }
            planned.add(new Planned("create table " + table.qualifiedName() + " with its keys, checks and indexes", true,
                    createTable(table, parts, available), List.of(change("dropTable", table(table))), null));
        }
        late.forEach(this::addConstraint);
    }

    /** New tables in an order where a table comes after the new tables its foreign keys point at, where one exists. */
    private List<Difference> ordered(List<Difference> tables) {
        List<Difference> left = new ArrayList<>(tables);
        List<Difference> ordered = new ArrayList<>();
        Set<String> placed = new HashSet<>();
        Set<String> names = new HashSet<>();
        tables.forEach(d -> names.add(d.qualifiedName()));
        while (!left.isEmpty()) {
            Difference next = left.stream().filter(d -> d.parts().stream().filter(p -> p.kind() == Kind.FOREIGN_KEY)
                    .map(ChangePlan::referencedTable).filter(names::contains).filter(r -> !r.equals(d.qualifiedName()))
                    .allMatch(placed::contains)).findFirst().orElse(left.get(0)); // a cycle: its foreign keys come later
            left.remove(next);
            placed.add(next.qualifiedName());
            ordered.add(next);
        }
        return ordered;
    }

    /** createTable (or, where its columns need what createTable cannot say, PostgreSQL's CREATE TABLE), then the table's other parts. */
    private List<Object> createTable(CatalogObject table, List<CatalogObject> parts, Set<String> available) {
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
                        after.add(keyColumns == null ? sql(constraintDdl(part)) : change("addPrimaryKey", with(table(part),
                                "columnNames", String.join(", ", keyColumns), "constraintName", plain(part.name()))));
                    }
                }
                case UNIQUE_CONSTRAINT -> {
                    List<String> unique = columnList(part.definition(), "UNIQUE ");
                    if (unique != null && unique.size() == 1 && !uniqueInline.containsKey(unique.get(0))) {
                        uniqueInline.put(unique.get(0), plain(part.name()));
                    } else {
                        after.add(unique == null ? sql(constraintDdl(part)) : change("addUniqueConstraint", with(table(part),
                                "columnNames", String.join(", ", unique), "constraintName", plain(part.name()))));
                    }
                }
                case FOREIGN_KEY -> after.add(foreignKey(part, true));
                case INDEX -> after.add(createIndex(part));
                default -> createStatements(part, List.of()).forEach(statement -> after.add(sql(statement)));
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

    /** A constraint on a table that exists (or was created by an earlier changeset): lock-safe, in two steps where it needs a scan. */
    private void addConstraint(CatalogObject constraint) {
        String table = constraint.qualifiedTable();
        String validate = "ALTER TABLE " + table + " VALIDATE CONSTRAINT " + constraint.name();
        boolean notValid = constraint.definition().endsWith(" NOT VALID");
        switch (constraint.kind()) {
            case CHECK_CONSTRAINT, FOREIGN_KEY -> {
                boolean fk = constraint.kind() == Kind.FOREIGN_KEY;
                Object add = fk ? foreignKey(constraint, false) : sql(constraintDdl(constraint) + (notValid ? "" : " NOT VALID"));
                Object drop = fk ? change("dropForeignKeyConstraint", with(baseTable(constraint), "constraintName", plain(constraint.name())))
                        : sql(CatalogDdl.drop(constraint));
                planned.add(new Planned("add " + constraint.kind().words + " " + constraint.qualifiedName() + " NOT VALID", true,
                        List.of(add), List.of(drop), null));
                if (!notValid) {
                    planned.add(new Planned("validate " + constraint.kind().words + " " + constraint.qualifiedName(), true,
                            List.of(sql(validate)), List.of(drop, add), null));
                }
            }
            case UNIQUE_CONSTRAINT, PRIMARY_KEY -> {
                String keyword = constraint.kind() == Kind.PRIMARY_KEY ? "PRIMARY KEY" : "UNIQUE";
                List<String> columns = columnList(constraint.definition(), keyword + " ");
                if (columns == null) {
                    refused.add(constraint.kind().words + " " + constraint.qualifiedName() + " (" + constraint.definition() + ") on a table"
                            + " that exists: only a plain column list can be built as a concurrent index first.");
                    return;
                }
                // the column list as PostgreSQL wrote it, quoting and all
                String index = "CREATE UNIQUE INDEX " + constraint.name() + " ON " + table + " USING btree "
                        + constraint.definition().substring(keyword.length() + 1);
                planned.add(new Planned("build the unique index of " + constraint.qualifiedName() + " concurrently", false,
                        List.of(sql(concurrently(index))), List.of(sql("DROP INDEX CONCURRENTLY " + constraint.schema() + "." + constraint.name())), null));
                planned.add(new Planned("make it " + constraint.kind().words + " " + constraint.qualifiedName(), true,
                        List.of(sql("ALTER TABLE " + table + " ADD CONSTRAINT " + constraint.name() + " " + keyword + " USING INDEX " + constraint.name())),
                        List.of(sql(CatalogDdl.drop(constraint)), sql(index)), null));
            }
            default -> refused.add(constraint.kind().words + " " + constraint.qualifiedName() + " on a table that exists: it is built"
                    + " under an ACCESS EXCLUSIVE lock, with no lock-safe way.");
        }
    }

    /** An index on a table that exists: built CONCURRENTLY, alone in its changeset. */
    private void addIndex(CatalogObject index) {
        if (index.definition().endsWith(" (INVALID)")) {
            refused.add("index " + index.qualifiedName() + " is invalid (a failed concurrent build): rebuild it or drop it, then run again.");
            return;
        }
        planned.add(new Planned("build index " + index.qualifiedName() + " concurrently", false, List.of(sql(concurrently(index.ddl()))),
                List.of(sql("DROP INDEX CONCURRENTLY " + index.qualifiedName())), null));
    }

    private void alterInPlace(Difference d) {
        try {
            List<Object> forward = new ArrayList<>();
            List<Object> back = new ArrayList<>();
            CatalogDdl.alter(d.from(), d.target()).forEach(s -> forward.add(sql(s)));
            CatalogDdl.alter(d.target(), d.from()).forEach(s -> back.add(sql(s)));
            planned.add(new Planned("change " + d.kind().words + " " + d.qualifiedName(), true, forward, back, null));
        } catch (UnsupportedOperationException e) {
            refused.add(d.kind().words + " " + d.qualifiedName() + ": " + e.getMessage() + ".");
        }
    }

    /** An object of a kind no Liquibase change type creates: PostgreSQL's CREATE, and DROP for its rollback. */
    private void createInSql(Difference d) {
        planned.add(new Planned("create " + d.kind().words + " " + d.qualifiedName(), true,
                sqls(createStatements(d.target(), List.of())), sqls(List.of(CatalogDdl.drop(d.target()))), null));
    }

    /** The same, dropped: DROP, and the CREATE (with its parts) for its rollback. */
    private void dropInSql(Difference d) {
        planned.add(new Planned("drop " + d.kind().words + " " + d.qualifiedName(), true,
                sqls(List.of(CatalogDdl.drop(d.from()))), sqls(createStatements(d.from(), d.parts())), null));
    }

    static List<Object> sqls(List<String> statements) {
        List<Object> changes = new ArrayList<>();
        statements.forEach(statement -> changes.add(sql(statement)));
        return changes;
    }

    private List<String> createStatements(CatalogObject object, List<CatalogObject> parts) {
        try {
            return CatalogDdl.create(object, parts);
        } catch (UnsupportedOperationException e) {
            refused.add(object.kind().words + " " + object.qualifiedName() + ": " + e.getMessage() + ".");
            return List.of();
        }
    }

    // ---- the differences, by kind and side

    private List<Difference> gone(Kind kind) {
        return gone(differences, kind);
    }

    private List<Difference> added(Kind kind) {
        return added(differences, kind);
    }

    private List<Difference> changed(Kind kind) {
        return changed(differences, kind);
    }

    /** What only the target lacks (of that kind; null: any). */
    static List<Difference> gone(List<Difference> differences, Kind kind) {
        return differences.stream().filter(d -> d.target() == null && (kind == null || d.kind() == kind)).toList();
    }

    static List<Difference> added(List<Difference> differences, Kind kind) {
        return differences.stream().filter(d -> d.from() == null && d.kind() == kind).toList();
    }

    static List<Difference> changed(List<Difference> differences, Kind kind) {
        return differences.stream().filter(d -> d.from() != null && d.target() != null && d.kind() == kind).toList();
    }

    /** A table renamed, as the author said with -Drename: its rows, keys and indexes go with it. */
    static Planned renameTable(CatalogObject table, String to) {
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
        return new Planned("rename table " + table.qualifiedName() + " to " + to, true, List.of(change("renameTable", forward)),
                List.of(change("renameTable", back)), new Waiver("renaming-table", "the author asked for this rename with -Drename;"
                + " deploy it with the application version that reads the new name"));
    }

    // ---- Liquibase's change types, as YAML nodes

    static Map<String, Object> change(String type, Map<String, Object> attributes) {
        Map<String, Object> change = new LinkedHashMap<>();
        change.put(type, attributes);
        return change;
    }

    static Map<String, Object> sql(String statement) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("sql", statement);
        if (statement.contains(";")) {
            attributes.put("splitStatements", false);
        }
        return change("sql", attributes);
    }

    /** schemaName (outside public) and tableName of the object's table, as Liquibase's changes take them. */
    static Map<String, Object> table(CatalogObject object) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        if (!"public".equals(object.schema())) {
            attributes.put("schemaName", plain(object.schema()));
        }
        attributes.put("tableName", plain(object.table()));
        return attributes;
    }

    private static Map<String, Object> baseTable(CatalogObject object) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        if (!"public".equals(object.schema())) {
            attributes.put("baseTableSchemaName", plain(object.schema()));
        }
        attributes.put("baseTableName", plain(object.table()));
        return attributes;
    }

    static Map<String, Object> with(Map<String, Object> attributes, Object... pairs) {
        for (int i = 0; i < pairs.length; i += 2) {
            attributes.put((String) pairs[i], pairs[i + 1]);
        }
        return attributes;
    }

    /** addForeignKeyConstraint where its definition is plain (NOT VALID unless {@code validated}), else PostgreSQL's own ADD CONSTRAINT. */
    private static Object foreignKey(CatalogObject fk, boolean validated) {
        Matcher m = FOREIGN_KEY.matcher(fk.definition());
        List<String> base = m.matches() ? splitNames(m.group(1)) : null;
        List<String> referenced = m.matches() ? splitNames(m.group(3)) : null;
        List<String> target = m.matches() ? splitNames(m.group(2).replace('.', ',')) : null;
        if (base == null || referenced == null || target == null || target.size() > 2) {
            return sql(constraintDdl(fk) + (validated || fk.definition().endsWith(" NOT VALID") ? "" : " NOT VALID"));
        }
        Map<String, Object> attributes = baseTable(fk);
        attributes.put("baseColumnNames", String.join(", ", base));
        attributes.put("constraintName", plain(fk.name()));
        if (target.size() == 2) {
            attributes.put("referencedTableSchemaName", target.get(0));
        }
        attributes.put("referencedTableName", target.get(target.size() - 1));
        attributes.put("referencedColumnNames", String.join(", ", referenced));
        Matcher action = FK_ACTION.matcher(m.group(4));
        while (action.find()) {
            attributes.put(action.group(1).equals("DELETE") ? "onDelete" : "onUpdate", action.group(2));
        }
        if (m.group(5) != null) {
            attributes.put("deferrable", true);
        }
        if (m.group(6) != null) {
            attributes.put("initiallyDeferred", true);
        }
        if (!validated || m.group(7) != null) {
            attributes.put("validate", false);
        }
        return change("addForeignKeyConstraint", attributes);
    }

    /** The table a foreign key points at, as the catalog names tables (public."user"). */
    private static String referencedTable(CatalogObject fk) {
        Matcher m = FOREIGN_KEY.matcher(fk.definition());
        if (!m.matches()) {
            return null;
        }
        String target = m.group(2);
        return target.replaceAll("\"(?:[^\"]|\"\")*\"", "").contains(".") ? target : "public." + target;
    }

    /** createIndex for a plain btree index of columns, else PostgreSQL's CREATE INDEX. */
    private static Object createIndex(CatalogObject index) {
        Matcher m = SIMPLE_INDEX.matcher(index.ddl());
        List<String> columns = m.matches() ? splitNames(m.group(4)) : null;
        if (columns == null) {
            return sql(index.ddl());
        }
        Map<String, Object> attributes = table(index);
        attributes.put("indexName", plain(index.name()));
        if (m.group(1) != null) {
            attributes.put("unique", true);
        }
        List<Object> nodes = new ArrayList<>();
        columns.forEach(c -> nodes.add(Map.of("column", Map.of("name", c))));
        attributes.put("columns", nodes);
        return change("createIndex", attributes);
    }

    private static String constraintDdl(CatalogObject constraint) {
        return "ALTER TABLE " + constraint.qualifiedTable() + " ADD CONSTRAINT " + constraint.name() + " " + constraint.definition();
    }

    /** CREATE [UNIQUE] INDEX … as CREATE [UNIQUE] INDEX CONCURRENTLY …. */
    static String concurrently(String ddl) {
        return ddl.replaceFirst("^CREATE (UNIQUE )?INDEX ", "CREATE $1INDEX CONCURRENTLY ");
    }

    /** The plain column names of "(a, b)" after a keyword, or null when they are more than names (expressions, options). */
    private static List<String> columnList(String definition, String keyword) {
        if (!definition.startsWith(keyword)) {
            return null;
        }
        Matcher m = COLUMN_LIST.matcher(definition.substring(keyword.length()));
        return m.lookingAt() && m.end() == definition.length() - keyword.length() ? splitNames(m.group(1)) : null;
    }

    /** "a, \"b c\"" as plain names, or null when one is more than a name. */
    private static List<String> splitNames(String list) {
        List<String> names = new ArrayList<>();
        for (String part : list.split(",\\s*")) {
            String name = part.strip();
            if (!IDENTIFIER.matcher(name).matches()) {
                return null;
            }
            names.add(plain(name));
        }
        return names;
    }

    static String plain(String identifier) {
        return CatalogObject.unquote(identifier);
    }

    static String names(List<CatalogObject> columns) {
        return (columns.size() == 1 ? "column " : "columns ") + String.join(", ", columns.stream().map(CatalogObject::qualifiedName).toList());
    }
}
