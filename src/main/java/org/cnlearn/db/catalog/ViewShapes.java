package org.cnlearn.db.catalog;

import org.cnlearn.db.connection.JdbcQueries;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a database's views and materialized views look like from outside, as PostgreSQL records it: each one's
 * columns (name and type, in order: what {@code CREATE OR REPLACE VIEW} must keep), and the views it reads
 * (pg_depend through its rewrite rule: what must be dropped before it, and created after it), and the functions
 * it calls (which cannot be dropped under it). Views are named
 * as {@link CatalogObject#qualifiedName()} names them.
 */
public final class ViewShapes {

    private static final String COLUMNS = "SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname),"
            + " quote_ident(a.attname) || ' ' || format_type(a.atttypid, a.atttypmod)"
            + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_attribute a ON a.attrelid = c.oid"
            + " WHERE c.relkind IN ('v', 'm') AND a.attnum > 0 AND NOT a.attisdropped"
            + " AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema' ORDER BY 1, a.attnum";

    private static final String USES = "SELECT DISTINCT quote_ident(vn.nspname) || '.' || quote_ident(v.relname),"
            + " quote_ident(un.nspname) || '.' || quote_ident(u.relname)"
            + " FROM pg_depend d JOIN pg_rewrite r ON r.oid = d.objid JOIN pg_class v ON v.oid = r.ev_class"
            + " JOIN pg_namespace vn ON vn.oid = v.relnamespace JOIN pg_class u ON u.oid = d.refobjid"
            + " JOIN pg_namespace un ON un.oid = u.relnamespace"
            + " WHERE d.classid = 'pg_rewrite'::regclass AND d.refclassid = 'pg_class'::regclass AND u.oid <> v.oid"
            + " AND v.relkind IN ('v', 'm') AND u.relkind IN ('v', 'm') ORDER BY 1, 2";

    /** The functions and procedures each view calls, named as {@link CatalogObject#qualifiedName()} names them. */
    private static final String CALLS = "SELECT DISTINCT quote_ident(vn.nspname) || '.' || quote_ident(v.relname),"
            + " quote_ident(pn.nspname) || '.' || quote_ident(p.proname) || '(' || pg_get_function_identity_arguments(p.oid) || ')'"
            + " FROM pg_depend d JOIN pg_rewrite r ON r.oid = d.objid JOIN pg_class v ON v.oid = r.ev_class"
            + " JOIN pg_namespace vn ON vn.oid = v.relnamespace JOIN pg_proc p ON p.oid = d.refobjid"
            + " JOIN pg_namespace pn ON pn.oid = p.pronamespace"
            + " WHERE d.classid = 'pg_rewrite'::regclass AND d.refclassid = 'pg_proc'::regclass AND v.relkind IN ('v', 'm')"
            + " AND pn.nspname !~ '^pg_' AND pn.nspname <> 'information_schema' ORDER BY 1, 2";

    private final Map<String, List<String>> columns;
    private final Map<String, Set<String>> uses;
    private final Map<String, Set<String>> calls;

    private ViewShapes(Map<String, List<String>> columns, Map<String, Set<String>> uses, Map<String, Set<String>> calls) {
        this.columns = columns;
        this.uses = uses;
        this.calls = calls;
    }

    /** None: a schema with no views. */
    public static ViewShapes none() {
        return new ViewShapes(Map.of(), Map.of(), Map.of());
    }

    public static ViewShapes read(Connection connection) throws SQLException {
        Map<String, List<String>> columns = new HashMap<>();
        for (String[] row : JdbcQueries.list(connection, COLUMNS, r -> new String[] {r.getString(1), r.getString(2)})) {
            columns.computeIfAbsent(row[0], v -> new ArrayList<>()).add(row[1]);
        }
        return new ViewShapes(columns, pairs(connection, USES), pairs(connection, CALLS));
    }

    private static Map<String, Set<String>> pairs(Connection connection, String query) throws SQLException {
        Map<String, Set<String>> pairs = new HashMap<>();
        for (String[] row : JdbcQueries.list(connection, query, r -> new String[] {r.getString(1), r.getString(2)})) {
            pairs.computeIfAbsent(row[0], v -> new LinkedHashSet<>()).add(row[1]);
        }
        return pairs;
    }

    /** The views and materialized views that call one of these functions or procedures. */
    public Set<String> calling(Set<String> functions) {
        Set<String> found = new LinkedHashSet<>();
        calls.forEach((view, called) -> {
            if (called.stream().anyMatch(functions::contains)) {
                found.add(view);
            }
        });
        return found;
    }

    /** The view's columns, "name type" in order. */
    public List<String> columns(String view) {
        return columns.getOrDefault(view, List.of());
    }

    /** The views and materialized views this one reads. */
    public Set<String> uses(String view) {
        return uses.getOrDefault(view, Set.of());
    }

    /** The views that read this one, directly or through others. */
    public Set<String> dependents(String view) {
        Set<String> found = new LinkedHashSet<>();
        List<String> next = new ArrayList<>(List.of(view));
        while (!next.isEmpty()) {
            String used = next.remove(0);
            uses.forEach((dependent, read) -> {
                if (read.contains(used) && found.add(dependent)) {
                    next.add(dependent);
                }
            });
        }
        return found;
    }

    /** Those views in an order where each comes after the views of the set it reads (creation order). */
    public List<String> ordered(Set<String> views) {
        List<String> left = new ArrayList<>(views.stream().sorted().toList());
        List<String> ordered = new ArrayList<>();
        while (!left.isEmpty()) {
            String next = left.stream().filter(v -> uses(v).stream().noneMatch(left::contains)).findFirst().orElse(left.get(0));
            left.remove(next);
            ordered.add(next);
        }
        return ordered;
    }
}
