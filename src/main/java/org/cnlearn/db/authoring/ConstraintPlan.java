package org.cnlearn.db.authoring;

import org.cnlearn.db.catalog.CatalogDdl;
import org.cnlearn.db.catalog.CatalogObject;
import org.cnlearn.db.catalog.CatalogObject.Kind;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.cnlearn.db.authoring.ChangeNodes.baseTable;
import static org.cnlearn.db.authoring.ChangeNodes.change;
import static org.cnlearn.db.authoring.Definitions.columnList;
import static org.cnlearn.db.authoring.ChangeNodes.concurrently;
import static org.cnlearn.db.authoring.ChangeNodes.plain;
import static org.cnlearn.db.authoring.ChangeNodes.sql;
import static org.cnlearn.db.authoring.ChangeNodes.with;

/**
 * Constraints on a table that exists: a check or foreign key added NOT VALID, then validated in the next
 * changeset; a unique constraint or primary key built as a concurrent unique index, then attached with USING
 * INDEX; an exclusion constraint refused (no lock-safe way). Dropped, each with the rollback that adds it again.
 */
final class ConstraintPlan {

    private final List<ChangePlan.Planned> planned;
    private final List<String> refused;

    ConstraintPlan(List<ChangePlan.Planned> planned, List<String> refused) {
        this.planned = planned;
        this.refused = refused;
    }

    void drop(CatalogObject constraint) {
        List<Object> back = new ArrayList<>();
        String add = ddl(constraint);
        if ((constraint.kind() == Kind.FOREIGN_KEY || constraint.kind() == Kind.CHECK_CONSTRAINT) && !constraint.definition().endsWith(" NOT VALID")) {
            back.add(sql(add + " NOT VALID"));
            back.add(sql("ALTER TABLE " + constraint.qualifiedTable() + " VALIDATE CONSTRAINT " + constraint.name()));
        } else {
            back.add(sql(add));
        }
        planned.add(new ChangePlan.Planned("drop " + constraint.kind().words + " " + constraint.qualifiedName(), true,
                List.of(sql(CatalogDdl.drop(constraint))), back, null));
    }

    /** A constraint on a table that exists (or was created by an earlier changeset): lock-safe, in two steps where it needs a scan. */
    void add(CatalogObject constraint) {
        String table = constraint.qualifiedTable();
        String validate = "ALTER TABLE " + table + " VALIDATE CONSTRAINT " + constraint.name();
        boolean notValid = constraint.definition().endsWith(" NOT VALID");
        switch (constraint.kind()) {
            case CHECK_CONSTRAINT, FOREIGN_KEY -> {
                boolean fk = constraint.kind() == Kind.FOREIGN_KEY;
                Object add = fk ? foreignKey(constraint, false) : sql(ddl(constraint) + (notValid ? "" : " NOT VALID"));
                Object drop = fk ? change("dropForeignKeyConstraint", with(baseTable(constraint), "constraintName", plain(constraint.name())))
                        : sql(CatalogDdl.drop(constraint));
                planned.add(new ChangePlan.Planned("add " + constraint.kind().words + " " + constraint.qualifiedName() + " NOT VALID", true,
                        List.of(add), List.of(drop), null));
                if (!notValid) {
                    planned.add(new ChangePlan.Planned("validate " + constraint.kind().words + " " + constraint.qualifiedName(), true,
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
                planned.add(new ChangePlan.Planned("build the unique index of " + constraint.qualifiedName() + " concurrently", false,
                        List.of(sql(concurrently(index))), List.of(sql("DROP INDEX CONCURRENTLY " + constraint.schema() + "." + constraint.name())), null));
                planned.add(new ChangePlan.Planned("make it " + constraint.kind().words + " " + constraint.qualifiedName(), true,
                        List.of(sql("ALTER TABLE " + table + " ADD CONSTRAINT " + constraint.name() + " " + keyword + " USING INDEX " + constraint.name())),
                        List.of(sql(CatalogDdl.drop(constraint)), sql(index)), null));
            }
            default -> refused.add(constraint.kind().words + " " + constraint.qualifiedName() + " on a table that exists: it is built"
                    + " under an ACCESS EXCLUSIVE lock, with no lock-safe way.");
        }
    }

    /** addForeignKeyConstraint where its definition is plain (NOT VALID unless {@code validated}), else PostgreSQL's own ADD CONSTRAINT. */
    static Object foreignKey(CatalogObject fk, boolean validated) {
        Definitions.ForeignKey parsed = Definitions.foreignKey(fk.definition());
        if (parsed == null) {
            return sql(ddl(fk) + (validated || fk.definition().endsWith(" NOT VALID") ? "" : " NOT VALID"));
        }
        Map<String, Object> attributes = baseTable(fk);
        attributes.put("baseColumnNames", String.join(", ", parsed.columns()));
        attributes.put("constraintName", plain(fk.name()));
        List<String> target = parsed.referencedTable();
        if (target.size() == 2) {
            attributes.put("referencedTableSchemaName", target.get(0));
        }
        attributes.put("referencedTableName", target.get(target.size() - 1));
        attributes.put("referencedColumnNames", String.join(", ", parsed.referencedColumns()));
        attributes.putAll(parsed.actions());
        if (parsed.deferrable()) {
            attributes.put("deferrable", true);
        }
        if (parsed.initiallyDeferred()) {
            attributes.put("initiallyDeferred", true);
        }
        if (!validated || parsed.notValid()) {
            attributes.put("validate", false);
        }
        return change("addForeignKeyConstraint", attributes);
    }

    /** The table a foreign key points at, as the catalog names tables (public."user"). */
    static String referencedTable(CatalogObject fk) {
        return Definitions.referencedTable(fk.definition());
    }

    /** PostgreSQL's ALTER TABLE … ADD CONSTRAINT for it, as it is defined. */
    static String ddl(CatalogObject constraint) {
        return "ALTER TABLE " + constraint.qualifiedTable() + " ADD CONSTRAINT " + constraint.name() + " " + constraint.definition();
    }
}
