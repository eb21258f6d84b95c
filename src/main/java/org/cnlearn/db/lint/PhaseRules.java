package org.cnlearn.db.lint;

import org.cnlearn.db.lint.Operation.Table;
import org.cnlearn.db.phases.Phase;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rules of a deploy in two phases, applied changeset after changeset in the changelog's order: an expand
 * changeset runs while the old version still works on the tables as they were, so it may not take anything
 * from it; and a contract changeset placed before an expand one that changes the same column (or creates,
 * drops or renames the same table) runs in one order at a phased deploy and in the other at a plain update.
 * Two changesets on different columns of one table are independent, whatever their order: no finding.
 */
final class PhaseRules {

    /** What a changeset changes: a column of a table, or (column null) the table itself, created, dropped or renamed. */
    private record Part(Table table, String column) {
        boolean meets(Part other) {
            return table.equals(other.table) && (column == null || other.column == null || column.equals(other.column));
        }

        @Override
        public String toString() {
            return column == null ? table.toString() : table + "." + column;
        }
    }

    private record Contract(String file, String changeset, Set<Part> parts) {
    }

    /** The contract changesets seen so far, in the changelog's order. */
    private final List<Contract> contracts = new ArrayList<>();

    /** The findings the changeset's changes raise: its own, or an earlier contract changeset's (named by its file and id). */
    List<Finding> check(String file, String changeset, Set<Phase> phases, List<LockRules.Statement> statements) {
        List<Finding> findings = new ArrayList<>();
        Set<Table> created = new HashSet<>();
        Set<Part> parts = new LinkedHashSet<>();
        for (LockRules.Statement statement : statements) {
            for (Operation operation : statement.operations()) {
                if (operation instanceof Operation.CreateTable create) {
                    created.add(create.table());
                }
                parts.addAll(parts(operation));
            }
        }
        if (phases.contains(Phase.EXPAND)) {
            for (LockRules.Statement statement : statements) {
                for (Operation operation : statement.operations()) {
                    if (takesFromTheOldVersion(operation) && !created.contains(operation.table())) {
                        findings.add(new Finding(file, changeset, Rule.EXPAND_BREAKS_OLD_VERSION, LockRules.summary(statement.sql()) + " "
                                + String.format(Rule.EXPAND_BREAKS_OLD_VERSION.blocks, operation.table())));
                    }
                }
            }
            for (Contract contract : contracts) {
                Map<Part, Part> met = new LinkedHashMap<>();
                for (Part part : contract.parts()) {
                    parts.stream().filter(part::meets).findFirst().ifPresent(other -> met.putIfAbsent(part, other));
                }
                if (!met.isEmpty()) {
                    findings.add(new Finding(contract.file(), contract.changeset(), Rule.CONTRACT_BEFORE_EXPAND,
                            String.format(Rule.CONTRACT_BEFORE_EXPAND.blocks, changeset + " (labelled expand, also on "
                                    + met.keySet().iterator().next() + ")")));
                }
            }
        }
        if (phases.contains(Phase.CONTRACT) && !parts.isEmpty()) {
            contracts.add(new Contract(file, changeset, parts));
        }
        return findings;
    }

    /** What one operation changes, in the terms the order of two changesets depends on. */
    private static List<Part> parts(Operation operation) {
        if (operation instanceof Operation.CreateTable || operation instanceof Operation.DropTable) {
            return List.of(new Part(operation.table(), null));
        }
        if (operation instanceof Operation.RenameTable rename) {
            return List.of(new Part(rename.table(), null), new Part(new Table(rename.table().schema(), rename.to()), null));
        }
        if (operation instanceof Operation.AddColumn add) {
            return List.of(new Part(add.table(), add.column()));
        }
        if (operation instanceof Operation.DropColumn drop) {
            return List.of(new Part(drop.table(), drop.column()));
        }
        if (operation instanceof Operation.RenameColumn rename) {
            return List.of(new Part(rename.table(), rename.from()), new Part(rename.table(), rename.to()));
        }
        if (operation instanceof Operation.SetNotNull set) {
            return List.of(new Part(set.table(), set.column()));
        }
        if (operation instanceof Operation.AlterType alter) {
            return List.of(new Part(alter.table(), alter.column()));
        }
        return List.of();
    }

    /** What the old version, still running, would trip on: a table or column gone or renamed, or a value it does not write now required. */
    private static boolean takesFromTheOldVersion(Operation operation) {
        return operation instanceof Operation.DropTable || operation instanceof Operation.DropColumn
                || operation instanceof Operation.RenameTable || operation instanceof Operation.RenameColumn
                || operation instanceof Operation.SetNotNull
                || operation instanceof Operation.AddColumn column && column.notNull() && !column.hasDefault();
    }
}
