package org.cnlearn.db.authoring;

import org.cnlearn.db.catalog.CatalogObject;
import org.cnlearn.db.catalog.CatalogObject.Kind;
import org.cnlearn.db.catalog.Difference;

import java.util.ArrayList;
import java.util.List;

import static org.cnlearn.db.authoring.ChangePlan.Planned;
import static org.cnlearn.db.authoring.ChangeNodes.plain;
import static org.cnlearn.db.authoring.ChangeNodes.sql;

/**
 * The types' part of a plan ({@link ChangePlan}) where a type changes in place: an enum gaining labels, with the
 * rollback that builds the enum again (PostgreSQL cannot drop a label) and moves its columns onto it; any other
 * changed type is refused, with the reason.
 */
final class TypePlan {


    private final List<Planned> planned;
    private final List<String> refused;
    /** The objects before the change: the columns an enum's rollback moves. */
    private final List<CatalogObject> before;

    TypePlan(List<Planned> planned, List<String> refused, List<CatalogObject> before) {
        this.planned = planned;
        this.refused = refused;
        this.before = before;
    }

    /** An enum that gained labels: ALTER TYPE … ADD VALUE, each where the model puts it; a changed domain or composite is refused. */
    void alter(Difference d) {
        List<String> was = labels(d.from());
        List<String> now = labels(d.target());
        if (was == null || now == null) {
            refused.add("type " + d.qualifiedName() + " changed (" + d.from().definition() + " to " + d.target().definition()
                    + "): only an enum gaining labels has an in-place change.");
            return;
        }
        List<String> kept = now.stream().filter(was::contains).toList();
        if (!kept.equals(was)) {
            refused.add("enum " + d.qualifiedName() + " loses or reorders labels (" + String.join(", ", was) + " to " + String.join(", ", now)
                    + "): PostgreSQL cannot remove a label from an enum in place.");
            return;
        }
        List<Object> forward = new ArrayList<>();
        for (int i = 0; i < now.size(); i++) {
            String label = now.get(i);
            if (!was.contains(label)) {
                forward.add(sql("ALTER TYPE " + d.qualifiedName() + " ADD VALUE " + label
                        + (i + 1 < now.size() && was.contains(now.get(i + 1)) ? " BEFORE " + now.get(i + 1) : i > 0 ? " AFTER " + now.get(i - 1) : "")));
            }
        }
        // PostgreSQL cannot drop a label: the rollback builds the type again and moves its columns onto it
        String old = d.qualifiedName() + "_before_rollback";
        String oldName = plain(d.from().name()) + "_before_rollback";
        List<Object> back = new ArrayList<>();
        back.add(sql("ALTER TYPE " + d.qualifiedName() + " RENAME TO " + oldName));
        back.add(sql(d.from().ddl()));
        for (CatalogObject column : before) {
            if (column.kind() == Kind.COLUMN && usesType(column, d.from())) {
                String alter = "ALTER TABLE " + column.qualifiedTable() + " ALTER COLUMN " + column.name();
                if (column.column().defaultValue() != null) {
                    back.add(sql(alter + " DROP DEFAULT"));
                }
                String type = column.column().type();
                back.add(sql(alter + " TYPE " + type + " USING " + column.name() + "::text" + (type.endsWith("[]") ? "[]" : "") + "::" + type));
                if (column.column().defaultValue() != null) {
                    back.add(sql(alter + " SET DEFAULT " + column.column().defaultValue()));
                }
            }
        }
        back.add(sql("DROP TYPE " + old));
        planned.add(new Planned("add " + (now.size() - was.size() == 1 ? "a label" : "labels") + " to enum " + d.qualifiedName(), true,
                forward, back, null));
    }

    private static boolean usesType(CatalogObject column, CatalogObject type) {
        String columnType = column.column().type().replaceFirst("\\[]$", "");
        return columnType.equals(type.qualifiedName()) || columnType.equals(type.name()) && "public".equals(type.schema());
    }

    private static List<String> labels(CatalogObject type) {
        return Definitions.enumLabels(type.definition());
    }
}
