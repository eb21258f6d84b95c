package org.cnlearn.db.lint;

import org.cnlearn.db.lint.Operation.Table;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The lock-safety rules, applied changeset after changeset in the changelog's order. A live table is
 * one that exists before the changeset runs (created by an earlier changeset, or by nobody in this
 * changelog); a table the changeset itself creates is new, and nothing on it blocks anybody. What
 * earlier changesets did is remembered where a rule needs it: column types (widening a varchar
 * rewrites nothing) and validated CHECK (column IS NOT NULL) constraints (SET NOT NULL then scans
 * nothing). The rollbacks are checked after every change, from the last changeset's back, as rolling the
 * whole back runs them, each remembered in turn too.
 */
public final class LockRules {

    /** One statement of a changeset or of its rollback, and what it does. */
    record Statement(String sql, boolean rawSql, List<Operation> operations) {
    }

    private final Map<Table, Map<String, String>> columnTypes = new HashMap<>();
    /** Checks by table and name: the column they keep from being null, and whether they are valid. */
    private final Map<Table, Map<String, NotNullCheck>> notNullChecks = new HashMap<>();

    private record NotNullCheck(String column, boolean valid) {
    }

    /** A column that exists before the first changeset (the lint of one file, on a known database). */
    void know(ChangelogLint.KnownColumn column) {
        columnTypes.computeIfAbsent(Table.of(column.schema(), column.table()), t -> new HashMap<>())
                .put(Table.fold(column.column()), column.type());
    }

    /** The findings of one block (a changeset's changes, or its rollback); it also updates what is known. */
    List<Finding> check(String file, String changeset, boolean runInTransaction, List<Statement> statements, boolean rollback) {
        List<Finding> findings = new ArrayList<>();
        String where = rollback ? "its rollback: " : "";
        Set<Table> created = new HashSet<>();
        for (Statement statement : statements) {
            for (Operation operation : statement.operations()) {
                if (operation instanceof Operation.CreateTable create) {
                    created.add(create.table());
                } else if (operation instanceof Operation.CreateMaterializedView view) {
                    created.add(view.table());
                }
            }
        }
        Set<Operation> swaps = runInTransaction ? swaps(statements) : Set.of();
        if (!runInTransaction && statements.size() > 1) {
            findings.add(new Finding(file, changeset, Rule.NON_ATOMIC_CHANGESET, (rollback ? "its rollback " : "it ")
                    + String.format(Rule.NON_ATOMIC_CHANGESET.blocks, statements.size())));
        }
        for (Statement statement : statements) {
            String sql = where + summary(statement.sql());
            for (Operation operation : statement.operations()) {
                Rule rule = swaps.contains(operation) ? null : ruleFor(operation, runInTransaction, created, statement.rawSql());
                if (rule != null) {
                    findings.add(new Finding(file, changeset, rule, sql + " " + detail(rule, operation)));
                }
                remember(operation);
            }
        }
        return findings;
    }

    /**
     * The column renames of a block that swap one column for another under one name, in one transaction: the
     * rename of a copy to the name of a column dropped before it (an expand and contract's type change), or of a
     * column to a name that a column added after it takes again (its rollback). No version sees the name go.
     */
    private static Set<Operation> swaps(List<Statement> statements) {
        List<Operation> operations = statements.stream().flatMap(s -> s.operations().stream()).toList();
        Set<Operation> swaps = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (int i = 0; i < operations.size(); i++) {
            if (!(operations.get(i) instanceof Operation.RenameColumn rename)) {
                continue;
            }
            boolean droppedBefore = operations.subList(0, i).stream().anyMatch(o -> o instanceof Operation.DropColumn drop
                    && drop.table().equals(rename.table()) && drop.column().equals(rename.to()));
            boolean addedAfter = operations.subList(i + 1, operations.size()).stream().anyMatch(o -> o instanceof Operation.AddColumn add
                    && add.table().equals(rename.table()) && add.column().equals(rename.from()));
            if (droppedBefore || addedAfter) {
                swaps.add(rename);
            }
        }
        return swaps;
    }

    private Rule ruleFor(Operation operation, boolean runInTransaction, Set<Table> created, boolean rawSql) {
        if (operation instanceof Operation.Unparseable) {
            return Rule.UNPARSEABLE_SQL;
        }
        if (operation instanceof Operation.Concurrently) {
            return runInTransaction ? Rule.BAN_CONCURRENT_INDEX_CREATION_IN_TRANSACTION : null;
        }
        if (rawSql && (operation instanceof Operation.DropTable || operation instanceof Operation.DropColumn)) {
            return Rule.BAN_RAW_SQL_DROP;
        }
        Table table = operation.table();
        if (table == null || created.contains(table)) {
            return null;
        }
        if (operation instanceof Operation.CreateIndex index) {
            return index.concurrently() ? null : Rule.REQUIRE_CONCURRENT_INDEX_CREATION;
        }
        if (operation instanceof Operation.AddColumn column) {
            if (column.fills() != null) {
                return Rule.ADDING_FIELD_WITH_DEFAULT;
            }
            if (column.notNull() && !column.hasDefault()) {
                return Rule.ADDING_REQUIRED_FIELD;
            }
            if (column.inlineConstraint() != null) {
                return column.inlineConstraint().equals("UNIQUE") || column.inlineConstraint().equals("PRIMARY KEY")
                        ? Rule.DISALLOWED_UNIQUE_CONSTRAINT : Rule.CONSTRAINT_MISSING_NOT_VALID;
            }
            return null;
        }
        if (operation instanceof Operation.SetNotNull set) {
            return hasValidNotNullCheck(set.table(), set.column()) ? null : Rule.ADDING_NOT_NULLABLE_FIELD;
        }
        if (operation instanceof Operation.AlterType alter) {
            return widens(columnTypes.getOrDefault(alter.table(), Map.of()).get(alter.column()), alter.newType())
                    ? null : Rule.CHANGING_COLUMN_TYPE;
        }
        if (operation instanceof Operation.AddConstraint constraint) {
            return switch (constraint.kind()) {
                case CHECK, FOREIGN_KEY -> constraint.notValid() ? null : Rule.CONSTRAINT_MISSING_NOT_VALID;
                case UNIQUE, PRIMARY_KEY -> constraint.usingIndex() ? null : Rule.DISALLOWED_UNIQUE_CONSTRAINT;
            };
        }
        if (operation instanceof Operation.RenameColumn) {
            return Rule.RENAMING_COLUMN;
        }
        if (operation instanceof Operation.RenameTable) {
            return Rule.RENAMING_TABLE;
        }
        return null;
    }

    private static String detail(Rule rule, Operation operation) {
        if (operation instanceof Operation.Unparseable unparseable) {
            return String.format(rule.blocks, unparseable.reason());
        }
        if (operation instanceof Operation.AddColumn column && rule == Rule.ADDING_FIELD_WITH_DEFAULT) {
            return "fills " + column.column() + " with " + column.fills() + ", so PostgreSQL " + String.format(rule.blocks, column.table());
        }
        Table table = operation.table();
        return String.format(rule.blocks, table != null ? table : "the table");
    }

    /** What the changeset changes, for the changesets after it. */
    private void remember(Operation operation) {
        if (operation instanceof Operation.CreateTable create) {
            columnTypes.put(create.table(), new HashMap<>(create.columnTypes()));
        } else if (operation instanceof Operation.AddColumn column) {
            columnTypes.computeIfAbsent(column.table(), t -> new HashMap<>()).put(column.column(), column.type());
        } else if (operation instanceof Operation.AlterType alter) {
            columnTypes.computeIfAbsent(alter.table(), t -> new HashMap<>()).put(alter.column(), alter.newType());
        } else if (operation instanceof Operation.AddConstraint constraint && constraint.notNullColumn() != null && constraint.name() != null) {
            notNullChecks.computeIfAbsent(constraint.table(), t -> new HashMap<>())
                    .put(constraint.name(), new NotNullCheck(constraint.notNullColumn(), !constraint.notValid()));
        } else if (operation instanceof Operation.ValidateConstraint validate) {
            NotNullCheck check = notNullChecks.getOrDefault(validate.table(), Map.of()).get(validate.name());
            if (check != null) {
                notNullChecks.get(validate.table()).put(validate.name(), new NotNullCheck(check.column(), true));
            }
        } else if (operation instanceof Operation.RenameTable rename) {
            Table renamed = new Table(rename.table().schema(), rename.to());
            move(columnTypes, rename.table(), renamed);
            move(notNullChecks, rename.table(), renamed);
        } else if (operation instanceof Operation.DropTable drop) {
            columnTypes.remove(drop.table());
            notNullChecks.remove(drop.table());
        }
    }

    private static <V> void move(Map<Table, V> map, Table from, Table to) {
        V value = map.remove(from);
        if (value != null) {
            map.put(to, value);
        }
    }

    private boolean hasValidNotNullCheck(Table table, String column) {
        return notNullChecks.getOrDefault(table, Map.of()).values().stream().anyMatch(c -> c.valid() && c.column().equals(column));
    }

    /**
     * Why adding a column of this type with this default fills every row while the table is locked (a
     * volatile default, or one this lint cannot tell is not), as the lint says it of ADD COLUMN; null when
     * PostgreSQL stores the default once and rewrites nothing.
     */
    public static String fillsEveryRow(String type, String defaultExpression) {
        List<Operation> read = SqlStatements.parse("ALTER TABLE t ADD COLUMN c " + type + " DEFAULT " + defaultExpression);
        return read.size() == 1 && read.get(0) instanceof Operation.AddColumn add ? add.fills() : "a default this lint cannot read";
    }

    /**
     * A type change PostgreSQL makes without a rewrite (its length-coercion support functions turn the cast into
     * a relabel): a varchar's limit raised or dropped, or varchar and text swapped; a numeric's precision raised
     * at the same scale, or its limit dropped; a varbit's limit raised or dropped. Not in an array.
     */
    public static boolean widens(String from, String to) {
        if (from == null) {
            return false;
        }
        String a = normalize(from);
        String b = normalize(to);
        if (a.endsWith("[]") || b.endsWith("[]")) {
            return false; // an array's elements are cast one by one: PostgreSQL rewrites the column (measured: ChangelogLintTest)
        }
        if (textual(a) && textual(b)) {
            return b.equals("text") || b.equals("varchar") || a.startsWith("varchar(") && limit(a) <= limit(b);
        }
        if (a.startsWith("numeric(") && (b.equals("numeric") || b.startsWith("numeric("))) {
            if (b.equals("numeric")) {
                return true;
            }
            int[] was = precisionAndScale(a);
            int[] now = precisionAndScale(b);
            return was[1] == now[1] && now[0] >= was[0];
        }
        if (a.startsWith("varbit") && (b.equals("varbit") || b.startsWith("varbit("))) {
            return b.equals("varbit") || a.startsWith("varbit(") && limit(a) <= limit(b);
        }
        return false;
    }

    private static boolean textual(String type) {
        return type.equals("text") || type.equals("varchar") || type.startsWith("varchar(");
    }

    private static String normalize(String type) {
        return type.toLowerCase(java.util.Locale.ROOT).replace("character varying", "varchar").replace("bit varying", "varbit")
                .replace("decimal", "numeric").replace(" ", "");
    }

    private static int limit(String type) {
        return Integer.parseInt(type.substring(type.indexOf('(') + 1, type.indexOf(')')));
    }

    /** numeric(p) or numeric(p,s): {p, s}. */
    private static int[] precisionAndScale(String numeric) {
        String[] parts = numeric.substring(numeric.indexOf('(') + 1, numeric.indexOf(')')).split(",");
        return new int[] {Integer.parseInt(parts[0]), parts.length > 1 ? Integer.parseInt(parts[1]) : 0};
    }

    /** The statement on one line, shortened. */
    static String summary(String sql) {
        String line = sql.strip().replaceAll("\\s+", " ");
        return line.length() > 120 ? line.substring(0, 117) + "…" : line;
    }
}
