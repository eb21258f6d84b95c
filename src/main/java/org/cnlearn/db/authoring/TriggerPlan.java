package org.cnlearn.db.authoring;

import org.cnlearn.db.catalog.CatalogObject.Kind;
import org.cnlearn.db.catalog.Difference;

import java.util.List;

import static org.cnlearn.db.authoring.ChangePlan.added;
import static org.cnlearn.db.authoring.ChangePlan.changed;
import static org.cnlearn.db.authoring.ChangePlan.gone;

/**
 * Triggers on tables that stay: dropped first of all (before what they call goes), created and changed last
 * (after what they call is there), in PostgreSQL's own SQL. A new table's triggers come with the table.
 */
final class TriggerPlan {

    private final List<Difference> differences;
    private final DeparsedChanges deparsed;

    TriggerPlan(List<Difference> differences, DeparsedChanges deparsed) {
        this.differences = differences;
        this.deparsed = deparsed;
    }

    void drops() {
        gone(differences, Kind.TRIGGER).forEach(deparsed::drop);
    }

    void creations() {
        added(differences, Kind.TRIGGER).forEach(deparsed::create);
        changed(differences, Kind.TRIGGER).forEach(deparsed::alter);
    }
}
