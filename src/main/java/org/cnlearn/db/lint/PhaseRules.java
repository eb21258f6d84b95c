package org.cnlearn.db.lint;

import org.cnlearn.db.lint.Operation.Table;
import org.cnlearn.db.phases.Phase;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rules of a deploy in two phases, applied changeset after changeset in the changelog's order: an expand
 * changeset runs while the old version still works on the tables as they were, so it may not take anything
 * from it; and a contract changeset placed before an expand one on the same table runs in one order at a
 * phased deploy and in the other at a plain update.
 */
final class PhaseRules {

    /** A contract changeset seen so far, by the tables it changes (the first one only). */
    private final Map<Table, Contract> contracts = new LinkedHashMap<>();

    private record Contract(String file, String changeset) {
    }

    /** The findings the changeset's changes raise, its own, or an earlier contract changeset's (named by its file and id). */
    List<Finding> check(String file, String changeset, Set<Phase> phases, List<LockRules.Statement> statements) {
        List<Finding> findings = new ArrayList<>();
        Set<Table> created = new HashSet<>();
        Set<Table> tables = new HashSet<>();
        for (LockRules.Statement statement : statements) {
            for (Operation operation : statement.operations()) {
                if (operation instanceof Operation.CreateTable create) {
                    created.add(create.table());
                }
                if (operation.table() != null) {
                    tables.add(operation.table());
                }
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
            Set<Contract> told = new HashSet<>();
            for (Map.Entry<Table, Contract> contract : contracts.entrySet()) {
                if (tables.contains(contract.getKey()) && told.add(contract.getValue())) {
                    findings.add(new Finding(contract.getValue().file(), contract.getValue().changeset(), Rule.CONTRACT_BEFORE_EXPAND,
                            String.format(Rule.CONTRACT_BEFORE_EXPAND.blocks, changeset + " (labelled expand, also on " + contract.getKey() + ")")));
                }
            }
        }
        if (phases.contains(Phase.CONTRACT)) {
            tables.forEach(table -> contracts.putIfAbsent(table, new Contract(file, changeset)));
        }
        return findings;
    }

    /** What the old version, still running, would trip on: a table or column gone or renamed, or a value it does not write now required. */
    private static boolean takesFromTheOldVersion(Operation operation) {
        return operation instanceof Operation.DropTable || operation instanceof Operation.DropColumn
                || operation instanceof Operation.RenameTable || operation instanceof Operation.RenameColumn
                || operation instanceof Operation.SetNotNull
                || operation instanceof Operation.AddColumn column && column.notNull() && !column.hasDefault();
    }
}
