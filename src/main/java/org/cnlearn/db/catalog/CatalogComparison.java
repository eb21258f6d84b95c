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

    public static List<Difference> compare(List<CatalogObject> built, List<CatalogObject> found) {
        Map<String, CatalogObject> builtByKey = byKey(built);
        Map<String, CatalogObject> foundByKey = byKey(found);
        List<Difference> differences = new ArrayList<>();
        Set<String> wholeTables = new java.util.HashSet<>();
        for (CatalogObject object : builtByKey.values()) {
            CatalogObject other = foundByKey.get(object.key());
            if (other == null || !other.definition().equals(object.definition())) {
                differences.add(difference(object, other, built, wholeTables));
            }
        }
        for (CatalogObject object : foundByKey.values()) {
            if (!builtByKey.containsKey(object.key())) {
                differences.add(difference(null, object, found, wholeTables));
            }
        }
        // what belongs to a table only one side has is part of that one difference
        differences.removeIf(d -> d.kind() != CatalogObject.Kind.TABLE && d.either().table() != null
                && wholeTables.contains(d.either().schema() + "." + d.either().table()));
        return differences;
    }

    private static Difference difference(CatalogObject built, CatalogObject found, List<CatalogObject> side, Set<String> wholeTables) {
        CatalogObject object = found != null ? found : built;
        List<CatalogObject> parts = List.of();
        if (object.kind() == CatalogObject.Kind.TABLE && (built == null || found == null)) {
            wholeTables.add(object.schema() + "." + object.table());
            parts = side.stream().filter(o -> o.kind() != CatalogObject.Kind.TABLE && !o.implied()
                    && object.schema().equals(o.schema()) && object.table().equals(o.table())).toList();
        }
        return new Difference(built, found, parts);
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
