package org.cnlearn.db.authoring;

import org.cnlearn.db.catalog.CatalogObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.cnlearn.db.authoring.ChangeNodes.change;
import static org.cnlearn.db.authoring.ChangeNodes.concurrently;
import static org.cnlearn.db.authoring.ChangeNodes.plain;
import static org.cnlearn.db.authoring.ChangeNodes.sql;
import static org.cnlearn.db.authoring.ChangeNodes.table;

/**
 * Indexes: on a table that exists, built and dropped CONCURRENTLY, each alone in a changeset outside a
 * transaction; on a new table, createIndex where the index is a plain btree of columns, else PostgreSQL's own.
 */
final class IndexPlan {

    private final List<ChangePlan.Planned> planned;
    private final List<String> refused;

    IndexPlan(List<ChangePlan.Planned> planned, List<String> refused) {
        this.planned = planned;
        this.refused = refused;
    }

    void drop(CatalogObject index) {
        planned.add(new ChangePlan.Planned("drop index " + index.qualifiedName() + " concurrently", false,
                List.of(sql("DROP INDEX CONCURRENTLY " + index.qualifiedName())), List.of(sql(concurrently(index.ddl()))), null));
    }

    /** An index on a table that exists: built CONCURRENTLY, alone in its changeset. */
    void add(CatalogObject index) {
        if (index.definition().endsWith(" (INVALID)")) {
            refused.add("index " + index.qualifiedName() + " is invalid (a failed concurrent build): rebuild it or drop it, then run again.");
            return;
        }
        planned.add(new ChangePlan.Planned("build index " + index.qualifiedName() + " concurrently", false,
                List.of(sql(concurrently(index.ddl()))), List.of(sql("DROP INDEX CONCURRENTLY " + index.qualifiedName())), null));
    }

    /** createIndex for a plain btree index of columns, else PostgreSQL's CREATE INDEX: for a table created in the same changeset. */
    static Object create(CatalogObject index) {
        Definitions.SimpleIndex simple = Definitions.simpleIndex(index.ddl());
        if (simple == null) {
            return sql(index.ddl());
        }
        Map<String, Object> attributes = table(index);
        attributes.put("indexName", plain(index.name()));
        if (simple.unique()) {
            attributes.put("unique", true);
        }
        List<Object> nodes = new ArrayList<>();
        simple.columns().forEach(c -> nodes.add(Map.of("column", Map.of("name", c))));
        attributes.put("columns", nodes);
        return change("createIndex", attributes);
    }
}
