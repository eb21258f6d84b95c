package org.cnlearn.db.catalog;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The differences between two databases' catalogs, object by object, by definition: what the
 * changelog builds and what a database has (drift), or what the changelog builds and the schema an
 * author wants (cnlearn:revision and cnlearn:check). The migration tools' own history tables are not
 * part of the schema: Liquibase's, and Alembic's, which a database adopted from the application's
 * Alembic revision keeps. An index that backs a constraint is that constraint.
 */
public final class CatalogComparison {

    private static final Set<String> HISTORY_TABLES = Set.of("databasechangelog", "databasechangeloglock", "alembic_version");

    private CatalogComparison() {
    }

    /** The differences from the first schema to the second (Difference's from and target). */
    public static List<Difference> compare(List<CatalogObject> from, List<CatalogObject> target) {
        Map<String, CatalogObject> fromByKey = byKey(from);
        Map<String, CatalogObject> targetByKey = byKey(target);
        List<Difference> differences = new ArrayList<>();
        Set<String> wholeTables = new java.util.HashSet<>();
        for (CatalogObject object : fromByKey.values()) {
            CatalogObject other = targetByKey.get(object.key());
            if (other == null || !other.definition().equals(object.definition())) {
                differences.add(difference(object, other, from, wholeTables));
            }
        }
        for (CatalogObject object : targetByKey.values()) {
            if (!fromByKey.containsKey(object.key())) {
                differences.add(difference(null, object, target, wholeTables));
            }
        }
        // what belongs to a table only one side has is part of that one difference
        differences.removeIf(d -> d.kind() != CatalogObject.Kind.TABLE && d.either().table() != null
                && wholeTables.contains(d.either().schema() + "." + d.either().table()));
        return differences;
    }

    private static Difference difference(CatalogObject from, CatalogObject target, List<CatalogObject> side, Set<String> wholeTables) {
        CatalogObject object = target != null ? target : from;
        List<CatalogObject> parts = List.of();
        if (object.kind() == CatalogObject.Kind.TABLE && (from == null || target == null)) {
            wholeTables.add(object.schema() + "." + object.table());
            parts = side.stream().filter(o -> o.kind() != CatalogObject.Kind.TABLE && !o.implied()
                    && object.schema().equals(o.schema()) && object.table().equals(o.table())).toList();
        }
        return new Difference(from, target, parts);
    }

    private static Map<String, CatalogObject> byKey(List<CatalogObject> objects) {
        Map<String, CatalogObject> byKey = new LinkedHashMap<>();
        for (CatalogObject object : objects) {
            if (!object.implied() && !isHistory(object)) {
                byKey.put(object.key(), object);
            }
        }
        return byKey;
    }

    /** DATABASECHANGELOG, the lock table and alembic_version, with everything on them. */
    public static boolean isHistory(CatalogObject object) {
        return object.table() != null && HISTORY_TABLES.contains(object.table());
    }
}
