package org.cnlearn.db.authoring;

import org.cnlearn.db.catalog.CatalogDdl;
import org.cnlearn.db.catalog.CatalogObject;
import org.cnlearn.db.catalog.CatalogObject.Kind;
import org.cnlearn.db.catalog.Difference;
import org.cnlearn.db.catalog.ViewShapes;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static org.cnlearn.db.authoring.ChangePlan.added;
import static org.cnlearn.db.authoring.ChangePlan.changed;
import static org.cnlearn.db.authoring.ChangePlan.gone;

/**
 * The views' part of a plan ({@link ChangePlan}). CREATE OR REPLACE VIEW keeps a view's columns (names, types,
 * order), so it serves only a view whose columns stay; any other changed view, a changed materialized view
 * (which has no CREATE OR REPLACE), a view that calls a function dropped (one that goes, or changes beyond what
 * CREATE OR REPLACE FUNCTION can), and every view that reads one of them or one that goes, are dropped before
 * the tables change, each before the views it reads, and created again after, each after them, a materialized
 * view with its indexes.
 */
final class ViewPlan {

    private final List<CatalogObject> before;
    private final List<CatalogObject> wanted;
    private final List<Difference> differences;
    private final ViewShapes viewsBefore;
    private final ViewShapes viewsWanted;
    /** Dropped first and created again last. */
    private final Set<String> rebuilt;

    ViewPlan(List<CatalogObject> before, List<CatalogObject> wanted, List<Difference> differences, ViewShapes viewsBefore,
             ViewShapes viewsWanted) {
        this.before = before;
        this.wanted = wanted;
        this.differences = differences;
        this.viewsBefore = viewsBefore;
        this.viewsWanted = viewsWanted;
        this.rebuilt = rebuilt();
    }

    /**
     * The views that must be dropped first and created again last: a changed materialized view; a changed view
     * whose columns change (PostgreSQL refuses to replace it); a changed view that reads one of those, or a view
     * created now; and every view that reads one of these, or a view that goes (it could not be dropped under them).
     */
    private Set<String> rebuilt() {
        Set<String> gone = goneViews();
        Set<String> added = addedViews();
        Set<String> changedViews = new LinkedHashSet<>();
        changed(differences, Kind.VIEW).forEach(d -> changedViews.add(d.qualifiedName()));
        Set<String> rebuilt = new LinkedHashSet<>();
        changed(differences, Kind.MATERIALIZED_VIEW).forEach(d -> rebuilt.add(d.qualifiedName()));
        changedViews.stream().filter(v -> !viewsBefore.columns(v).equals(viewsWanted.columns(v))).forEach(rebuilt::add);
        rebuilt.addAll(viewsBefore.calling(droppedFunctions(differences)));
        boolean grew = true;
        while (grew) {
            int size = rebuilt.size();
            for (String view : changedViews) {
                if (viewsWanted.uses(view).stream().anyMatch(used -> rebuilt.contains(used) || added.contains(used))) {
                    rebuilt.add(view);
                }
            }
            for (String view : List.copyOf(rebuilt)) {
                rebuilt.addAll(viewsBefore.dependents(view));
            }
            gone.forEach(view -> rebuilt.addAll(viewsBefore.dependents(view)));
            rebuilt.removeAll(gone);
            grew = rebuilt.size() > size;
        }
        return rebuilt;
    }

    /** The functions and procedures dropped: those that go, and those CREATE OR REPLACE cannot change (dropped and created). */
    static Set<String> droppedFunctions(List<Difference> differences) {
        Set<String> names = new LinkedHashSet<>();
        for (Kind kind : List.of(Kind.FUNCTION, Kind.PROCEDURE)) {
            gone(differences, kind).forEach(d -> names.add(d.qualifiedName()));
            changed(differences, kind).stream().filter(d -> !CatalogDdl.replaceable(d.from(), d.target())).forEach(d -> names.add(d.qualifiedName()));
        }
        return names;
    }

    /** The views and materialized views that go. */
    private Set<String> goneViews() {
        Set<String> names = new LinkedHashSet<>();
        gone(differences, Kind.VIEW).forEach(d -> names.add(d.qualifiedName()));
        gone(differences, Kind.MATERIALIZED_VIEW).forEach(d -> names.add(d.qualifiedName()));
        return names;
    }

    /** The views and materialized views that come. */
    private Set<String> addedViews() {
        Set<String> names = new LinkedHashSet<>();
        added(differences, Kind.VIEW).forEach(d -> names.add(d.qualifiedName()));
        added(differences, Kind.MATERIALIZED_VIEW).forEach(d -> names.add(d.qualifiedName()));
        return names;
    }

    /** Whether a changed view is replaced in place, rather than dropped and created again. */
    boolean replacedInPlace(Difference view) {
        return !rebuilt.contains(view.qualifiedName());
    }

    /** The changeset that drops the views that go and those created again later (null: none). */
    ChangePlan.Planned drops() {
        Set<String> dropped = new LinkedHashSet<>(rebuilt);
        dropped.addAll(goneViews());
        if (dropped.isEmpty()) {
            return null;
        }
        List<String> order = viewsBefore.ordered(dropped);
        return new ChangePlan.Planned("drop " + words(order) + (rebuilt.isEmpty() ? "" : " (created again later in this file: "
                + String.join(", ", viewsBefore.ordered(rebuilt)) + ")"), true, dropAll(order, before), createAll(order, before), null);
    }

    /**
     * The changeset that creates the new views and those dropped to change (null: none), with the drops
     * ({@link #drops}) first in it when they are given: nothing came between them.
     */
    ChangePlan.Planned creations(ChangePlan.Planned drops) {
        Set<String> created = new LinkedHashSet<>(rebuilt);
        created.addAll(addedViews());
        if (created.isEmpty()) {
            return drops;
        }
        List<String> order = viewsWanted.ordered(created);
        List<Object> forward = createAll(order, wanted);
        List<Object> back = dropAll(order, wanted);
        if (drops == null) {
            return new ChangePlan.Planned("create " + words(order), true, forward, back, null);
        }
        List<Object> changes = new ArrayList<>(drops.changes());
        changes.addAll(forward);
        List<Object> rollback = new ArrayList<>(back);
        rollback.addAll(drops.rollback());
        List<String> what = new ArrayList<>();
        Set<String> gone = goneViews();
        if (!gone.isEmpty()) {
            what.add("drop " + words(viewsBefore.ordered(gone)));
        }
        if (!rebuilt.isEmpty()) {
            what.add("drop and create again " + words(viewsWanted.ordered(rebuilt)) + " (CREATE OR REPLACE cannot change them)");
        }
        Set<String> added = addedViews();
        if (!added.isEmpty()) {
            what.add("create " + words(viewsWanted.ordered(added)));
        }
        return new ChangePlan.Planned(String.join("; ", what), true, changes, rollback, null);
    }

    /** An index on a materialized view that these changesets drop: it goes with it. */
    boolean onDroppedView(CatalogObject index) {
        String table = index.qualifiedTable();
        return rebuilt.contains(table) || gone(differences, Kind.MATERIALIZED_VIEW).stream().anyMatch(d -> d.qualifiedName().equals(table));
    }

    /** An index on a materialized view that these changesets create: it is made with it. */
    boolean onCreatedView(CatalogObject index) {
        String table = index.qualifiedTable();
        return rebuilt.contains(table) || added(differences, Kind.MATERIALIZED_VIEW).stream().anyMatch(d -> d.qualifiedName().equals(table));
    }

    /** The views created in that order (each after those it reads), as that side has them. */
    private static List<Object> createAll(List<String> order, List<CatalogObject> side) {
        List<Object> changes = new ArrayList<>();
        order.forEach(view -> changes.addAll(ChangeNodes.sqls(statements(view, side))));
        return changes;
    }

    /** The same views dropped, the other way round (each before those it reads). */
    private static List<Object> dropAll(List<String> order, List<CatalogObject> side) {
        List<Object> changes = new ArrayList<>();
        for (int i = order.size() - 1; i >= 0; i--) {
            changes.add(ChangeNodes.sql(CatalogDdl.drop(view(order.get(i), side))));
        }
        return changes;
    }

    /** CREATE [MATERIALIZED] VIEW, and a materialized view's indexes, as that side has them. */
    private static List<String> statements(String name, List<CatalogObject> side) {
        List<String> statements = new ArrayList<>(CatalogDdl.create(view(name, side), List.of()));
        side.stream().filter(o -> o.kind() == Kind.INDEX && o.qualifiedTable().equals(name)).forEach(index -> statements.add(index.ddl()));
        return statements;
    }

    private static CatalogObject view(String name, List<CatalogObject> side) {
        return side.stream().filter(o -> (o.kind() == Kind.VIEW || o.kind() == Kind.MATERIALIZED_VIEW) && o.qualifiedName().equals(name))
                .findFirst().orElseThrow(() -> new IllegalStateException("no view " + name + " on this side"));
    }

    private static String words(List<String> views) {
        return (views.size() == 1 ? "view " : "views ") + String.join(", ", views);
    }
}
