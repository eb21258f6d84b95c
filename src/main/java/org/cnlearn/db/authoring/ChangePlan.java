package org.cnlearn.db.authoring;

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

/**
 * The order of the changesets that turn what the changelog builds into the desired schema: renames first,
 * then drops, what depends on something before it (triggers, views, constraints, indexes, columns, tables,
 * functions, then sequences, types, extensions and schemas), then creations, what others depend on first
 * (schemas and extensions, types, sequences, functions, tables, columns, constraints, indexes, views,
 * triggers). Each kind's changes, lock-safe on tables that exist, with the rollback that restores exactly the
 * schema before them, are its planner's: {@link TablePlan}, {@link ColumnPlan}, {@link ConstraintPlan},
 * {@link IndexPlan}, {@link ViewPlan}, {@link FunctionPlan}, {@link TriggerPlan}, {@link TypePlan}, and for
 * what no Liquibase change type says, {@link DeparsedChanges}. A difference that has no such change is
 * refused, with the reason, and nothing is planned.
 */
final class ChangePlan {

    /**
     * One changeset: what it does (for its comment), whether it runs in a transaction, its changes and rollback,
     * and its label (a {@link org.cnlearn.db.phases.Phase}'s, or null).
     */
    record Planned(String what, boolean runInTransaction, List<Object> changes, List<Object> rollback, Waiver waiver, String label) {

        Planned(String what, boolean runInTransaction, List<Object> changes, List<Object> rollback, Waiver waiver) {
            this(what, runInTransaction, changes, rollback, waiver, null);
        }
    }

    /** A lint rule a changeset breaks on purpose, and why it is safe: only a rename the author asked for. */
    record Waiver(String rule, String reason) {
    }

    private final List<Difference> differences;
    private final ViewPlan views;
    private final Set<String> tablesBefore = new HashSet<>();
    private final List<Planned> planned = new ArrayList<>();
    /** Where the views' drop is in the plan (-1: none). */
    private int viewsDropped = -1;
    private final List<String> refused = new ArrayList<>();
    private final DeparsedChanges deparsed = new DeparsedChanges(planned, refused);
    private final ConstraintPlan constraints = new ConstraintPlan(planned, refused);
    private final IndexPlan indexes = new IndexPlan(planned, refused);
    private final TablePlan tables = new TablePlan(planned, tablesBefore, constraints, deparsed);
    private final ColumnPlan columnPlan = new ColumnPlan(planned, refused);
    private final TypePlan typePlan;
    private final FunctionPlan functions;
    private final TriggerPlan triggers;

    private ChangePlan(List<CatalogObject> before, List<CatalogObject> wanted, List<Difference> differences, ViewShapes viewsBefore,
                       ViewShapes viewsWanted) {
        this.differences = differences;
        before.stream().filter(o -> o.kind() == Kind.TABLE).forEach(o -> tablesBefore.add(o.qualifiedName()));
        this.views = new ViewPlan(before, wanted, differences, viewsBefore, viewsWanted);
        this.typePlan = new TypePlan(planned, refused, before);
        this.functions = new FunctionPlan(differences, deparsed);
        this.triggers = new TriggerPlan(differences, deparsed);
    }

    /**
     * The changesets, renames first: {@code before} is what the changelog builds with the renames done,
     * {@code differences} what still differs from the desired schema ({@code wanted}) after them; the views'
     * shapes of both sides say which views can be replaced in place and in what order the others go. A rename
     * done by expand and contract puts its contract last.
     */
    static List<Planned> plan(List<CatalogObject> before, List<CatalogObject> wanted, List<Difference> differences, Renaming.Renamed renames,
                              ViewShapes viewsBefore, ViewShapes viewsWanted) {
        ChangePlan plan = new ChangePlan(before, wanted, differences, viewsBefore, viewsWanted);
        plan.planned.addAll(renames.first());
        plan.drops();
        plan.creations();
        // the other changesets keep no label: they run with the expand phase, as they would without phases
        plan.planned.addAll(renames.last());
        if (!plan.refused.isEmpty()) {
            throw new AuthoringFailure("These differences have no change that is safe on a live table, or none at all; write them by"
                    + " hand (./mvnw cnlearn:revision without -Ddesired), or change the model: " + String.join(" ", plan.refused)
                    + " Nothing was written.");
        }
        return plan.planned;
    }

    // ---- drops: what depends on something goes before it

    private void drops() {
        triggers.drops();
        Planned viewDrops = views.drops();
        if (viewDrops != null) {
            planned.add(viewDrops);
            viewsDropped = planned.size() - 1;
        }
        gone(null).stream().filter(d -> d.kind() == Kind.FOREIGN_KEY).forEach(d -> constraints.drop(d.from()));
        gone(null).stream().filter(d -> d.kind().isConstraint() && d.kind() != Kind.FOREIGN_KEY).forEach(d -> constraints.drop(d.from()));
        gone(Kind.INDEX).stream().filter(d -> !views.onDroppedView(d.from())).forEach(d -> indexes.drop(d.from()));
        Map<String, List<CatalogObject>> columns = new LinkedHashMap<>();
        gone(Kind.COLUMN).forEach(d -> columns.computeIfAbsent(d.from().qualifiedTable(), t -> new ArrayList<>()).add(d.from()));
        columns.values().forEach(columnPlan::drop);
        tables.drop(gone(Kind.TABLE));
        functions.drops();
        for (Kind kind : List.of(Kind.SEQUENCE, Kind.TYPE, Kind.EXTENSION, Kind.SCHEMA)) {
            gone(kind).forEach(deparsed::drop);
        }
        for (Difference d : differences) {
            if (d.kind() == Kind.AGGREGATE) {
                refused.add("aggregate " + d.qualifiedName() + ": PostgreSQL has no deparser for aggregates.");
            }
        }
    }

    // ---- creations: what others depend on first

    private void creations() {
        for (Kind kind : List.of(Kind.SCHEMA, Kind.EXTENSION)) {
            added(kind).forEach(deparsed::create);
        }
        added(Kind.TYPE).forEach(deparsed::create);
        changed(Kind.TYPE).forEach(typePlan::alter);
        added(Kind.SEQUENCE).forEach(deparsed::create);
        changed(Kind.SEQUENCE).forEach(deparsed::alter);
        functions.creations();
        changed(Kind.TABLE).forEach(deparsed::alter);
        tables.create(added(Kind.TABLE));
        Map<String, List<CatalogObject>> columns = new LinkedHashMap<>();
        added(Kind.COLUMN).forEach(d -> columns.computeIfAbsent(d.target().qualifiedTable(), t -> new ArrayList<>()).add(d.target()));
        columns.values().forEach(columnPlan::add);
        changed(Kind.COLUMN).forEach(columnPlan::alter);
        for (Difference d : differences) {
            if (d.kind().isConstraint() && d.target() != null && tablesBefore.contains(d.target().qualifiedTable())) {
                if (d.from() != null) {
                    constraints.drop(d.from());
                }
                constraints.add(d.target());
            }
        }
        for (Difference d : differences) {
            if (d.kind() == Kind.INDEX && d.target() != null && !views.onCreatedView(d.target())) {
                if (d.from() != null) {
                    indexes.drop(d.from());
                }
                indexes.add(d.target());
            }
        }
        changed(Kind.VIEW).stream().filter(views::replacedInPlace).forEach(deparsed::alter);
        // nothing between the views' drop and their creation: one changeset, so that no moment is without them
        Planned viewDrops = viewsDropped >= 0 && viewsDropped == planned.size() - 1 ? planned.remove(viewsDropped) : null;
        Planned viewCreations = views.creations(viewDrops);
        if (viewCreations != null) {
            planned.add(viewCreations);
        }
        triggers.creations();
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
}
