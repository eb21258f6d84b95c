package org.cnlearn.db.authoring;

import org.cnlearn.db.catalog.CatalogDdl;
import org.cnlearn.db.catalog.CatalogObject;
import org.cnlearn.db.catalog.Difference;

import java.util.ArrayList;
import java.util.List;

import static org.cnlearn.db.authoring.ChangeNodes.sql;
import static org.cnlearn.db.authoring.ChangeNodes.sqls;

/**
 * The recipe for what no Liquibase change type says (a schema, an extension, a sequence, a type, a function,
 * a trigger, a view replaced in place): PostgreSQL's own deparsed CREATE, DROP or ALTER ({@link CatalogDdl}),
 * with its opposite as the rollback. What the deparser cannot write is refused, with its reason.
 */
final class DeparsedChanges {

    private final List<ChangePlan.Planned> planned;
    private final List<String> refused;

    DeparsedChanges(List<ChangePlan.Planned> planned, List<String> refused) {
        this.planned = planned;
        this.refused = refused;
    }

    /** PostgreSQL's CREATE, and DROP for its rollback. */
    void create(Difference d) {
        planned.add(new ChangePlan.Planned("create " + d.kind().words + " " + d.qualifiedName(), true,
                sqls(statements(d.target(), List.of())), sqls(List.of(CatalogDdl.drop(d.target()))), null));
    }

    /** DROP, and the CREATE (with its parts) for its rollback. */
    void drop(Difference d) {
        planned.add(new ChangePlan.Planned("drop " + d.kind().words + " " + d.qualifiedName(), true,
                sqls(List.of(CatalogDdl.drop(d.from()))), sqls(statements(d.from(), d.parts())), null));
    }

    /** Changed in place: ALTER (or CREATE OR REPLACE) one way, and the other way for its rollback. */
    void alter(Difference d) {
        try {
            List<Object> forward = new ArrayList<>();
            List<Object> back = new ArrayList<>();
            CatalogDdl.alter(d.from(), d.target()).forEach(s -> forward.add(sql(s)));
            CatalogDdl.alter(d.target(), d.from()).forEach(s -> back.add(sql(s)));
            planned.add(new ChangePlan.Planned("change " + d.kind().words + " " + d.qualifiedName(), true, forward, back, null));
        } catch (UnsupportedOperationException e) {
            refused.add(d.kind().words + " " + d.qualifiedName() + ": " + e.getMessage() + ".");
        }
    }

    /** The statements that create the object with those parts, or none, its refusal said. */
    List<String> statements(CatalogObject object, List<CatalogObject> parts) {
        try {
            return CatalogDdl.create(object, parts);
        } catch (UnsupportedOperationException e) {
            refused.add(object.kind().words + " " + object.qualifiedName() + ": " + e.getMessage() + ".");
            return List.of();
        }
    }
}
