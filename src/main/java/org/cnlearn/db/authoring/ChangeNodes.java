package org.cnlearn.db.authoring;

import org.cnlearn.db.catalog.CatalogObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Liquibase's change types as the YAML nodes a changeset file holds ({@code createTable}, {@code sql}…), and
 * the names they take: what every planner writes its changes with.
 */
final class ChangeNodes {

    private ChangeNodes() {
    }

    static Map<String, Object> change(String type, Map<String, Object> attributes) {
        Map<String, Object> change = new LinkedHashMap<>();
        change.put(type, attributes);
        return change;
    }

    static Map<String, Object> sql(String statement) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("sql", statement);
        if (statement.contains(";")) {
            attributes.put("splitStatements", false);
        }
        return change("sql", attributes);
    }

    static List<Object> sqls(List<String> statements) {
        List<Object> changes = new ArrayList<>();
        statements.forEach(statement -> changes.add(sql(statement)));
        return changes;
    }

    /** schemaName (outside public) and tableName of the object's table, as Liquibase's changes take them. */
    static Map<String, Object> table(CatalogObject object) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        if (!"public".equals(object.schema())) {
            attributes.put("schemaName", plain(object.schema()));
        }
        attributes.put("tableName", plain(object.table()));
        return attributes;
    }

    /** The same, as a foreign key's changes name the table it is on. */
    static Map<String, Object> baseTable(CatalogObject object) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        if (!"public".equals(object.schema())) {
            attributes.put("baseTableSchemaName", plain(object.schema()));
        }
        attributes.put("baseTableName", plain(object.table()));
        return attributes;
    }

    static Map<String, Object> with(Map<String, Object> attributes, Object... pairs) {
        for (int i = 0; i < pairs.length; i += 2) {
            attributes.put((String) pairs[i], pairs[i + 1]);
        }
        return attributes;
    }

    /** CREATE [UNIQUE] INDEX … as CREATE [UNIQUE] INDEX CONCURRENTLY …. */
    static String concurrently(String ddl) {
        return ddl.replaceFirst("^CREATE (UNIQUE )?INDEX ", "CREATE $1INDEX CONCURRENTLY ");
    }

    static String plain(String identifier) {
        return CatalogObject.unquote(identifier);
    }

    static String names(List<CatalogObject> columns) {
        return (columns.size() == 1 ? "column " : "columns ") + String.join(", ", columns.stream().map(CatalogObject::qualifiedName).toList());
    }
}
