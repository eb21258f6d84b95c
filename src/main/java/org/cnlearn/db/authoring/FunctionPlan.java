package org.cnlearn.db.authoring;

import org.cnlearn.db.catalog.CatalogDdl;
import org.cnlearn.db.catalog.CatalogObject.Kind;
import org.cnlearn.db.catalog.Difference;

import java.util.List;

import static org.cnlearn.db.authoring.ChangePlan.added;
import static org.cnlearn.db.authoring.ChangePlan.changed;
import static org.cnlearn.db.authoring.ChangePlan.gone;

/**
 * Functions and procedures (both pg_proc's): created and dropped in PostgreSQL's own SQL; changed with CREATE OR
 * REPLACE where that can change them, else dropped with the drops (after the views that call them) and created
 * again with the creations (before the views are).
 */
final class FunctionPlan {

    private static final List<Kind> KINDS = List.of(Kind.FUNCTION, Kind.PROCEDURE);

    private final List<Difference> differences;
    private final DeparsedChanges deparsed;

    FunctionPlan(List<Difference> differences, DeparsedChanges deparsed) {
        this.differences = differences;
        this.deparsed = deparsed;
    }

    /** Those CREATE OR REPLACE cannot change (their result type, parameters' names, defaults), then those gone. */
    void drops() {
        for (Kind kind : KINDS) {
            changed(differences, kind).stream().filter(d -> !CatalogDdl.replaceable(d.from(), d.target())).forEach(deparsed::drop);
        }
        for (Kind kind : KINDS) {
            gone(differences, kind).forEach(deparsed::drop);
        }
    }

    /** Those new, and those changed: replaced in place, or created again after their drop. */
    void creations() {
        for (Kind kind : KINDS) {
            added(differences, kind).forEach(deparsed::create);
            for (Difference d : changed(differences, kind)) {
                if (CatalogDdl.replaceable(d.from(), d.target())) {
                    deparsed.alter(d);
                } else {
                    deparsed.create(d); // dropped with the drops, after the views that call it
                }
            }
        }
    }
}
