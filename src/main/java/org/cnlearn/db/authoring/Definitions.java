package org.cnlearn.db.authoring;

import org.cnlearn.db.catalog.CatalogObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What PostgreSQL's deparsers wrote (pg_get_constraintdef, pg_get_indexdef, an enum's definition as the catalog
 * reads it), read back into the parts Liquibase's change types take. Each reader answers null where the
 * definition is more than it reads (an expression, an option): the planners then write PostgreSQL's own SQL.
 */
final class Definitions {

    private static final Pattern COLUMN_LIST = Pattern.compile("\\(([^()]*)\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_$]*|\"(?:[^\"]|\"\")+\"");
    private static final Pattern FOREIGN_KEY = Pattern.compile("^FOREIGN KEY \\(([^()]*)\\) REFERENCES (.+?)\\(([^()]*)\\)"
            + "((?: ON (?:UPDATE|DELETE) (?:NO ACTION|RESTRICT|CASCADE|SET NULL|SET DEFAULT))*)( DEFERRABLE)?( INITIALLY DEFERRED)?( NOT VALID)?$");
    private static final Pattern FK_ACTION = Pattern.compile(" ON (UPDATE|DELETE) (NO ACTION|RESTRICT|CASCADE|SET NULL|SET DEFAULT)");
    private static final Pattern SIMPLE_INDEX = Pattern.compile("^CREATE (UNIQUE )?INDEX (\\S+) ON (\\S+) USING btree \\(([^()]*)\\)$");
    private static final Pattern ENUM = Pattern.compile("^enum \\((.*)\\)$", Pattern.DOTALL);
    private static final Pattern LITERAL = Pattern.compile("'(?:[^']|'')*'");

    private Definitions() {
    }

    /**
     * A foreign key of plain names: its columns, the table it references (one part, or schema and table), the
     * columns there, its ON DELETE / ON UPDATE actions (onDelete, onUpdate: the action), and its options.
     */
    record ForeignKey(List<String> columns, List<String> referencedTable, List<String> referencedColumns, Map<String, String> actions,
                      boolean deferrable, boolean initiallyDeferred, boolean notValid) {
    }

    /** A plain btree index of columns. */
    record SimpleIndex(boolean unique, List<String> columns) {
    }

    static ForeignKey foreignKey(String definition) {
        Matcher m = FOREIGN_KEY.matcher(definition);
        if (!m.matches()) {
            return null;
        }
        List<String> base = splitNames(m.group(1));
        List<String> referenced = splitNames(m.group(3));
        List<String> target = splitNames(m.group(2).replace('.', ','));
        if (base == null || referenced == null || target == null || target.size() > 2) {
            return null;
        }
        Map<String, String> actions = new LinkedHashMap<>();
        Matcher action = FK_ACTION.matcher(m.group(4));
        while (action.find()) {
            actions.put(action.group(1).equals("DELETE") ? "onDelete" : "onUpdate", action.group(2));
        }
        return new ForeignKey(base, target, referenced, actions, m.group(5) != null, m.group(6) != null, m.group(7) != null);
    }

    /** The table a foreign key points at, as the catalog names tables (public."user"), or null. */
    static String referencedTable(String definition) {
        Matcher m = FOREIGN_KEY.matcher(definition);
        if (!m.matches()) {
            return null;
        }
        String target = m.group(2);
        return target.replaceAll("\"(?:[^\"]|\"\")*\"", "").contains(".") ? target : "public." + target;
    }

    static SimpleIndex simpleIndex(String ddl) {
        Matcher m = SIMPLE_INDEX.matcher(ddl);
        List<String> columns = m.matches() ? splitNames(m.group(4)) : null;
        return columns == null ? null : new SimpleIndex(m.group(1) != null, columns);
    }

    /** The plain column names of "(a, b)" after a keyword, or null when they are more than names (expressions, options). */
    static List<String> columnList(String definition, String keyword) {
        if (!definition.startsWith(keyword)) {
            return null;
        }
        Matcher m = COLUMN_LIST.matcher(definition.substring(keyword.length()));
        return m.lookingAt() && m.end() == definition.length() - keyword.length() ? splitNames(m.group(1)) : null;
    }

    /** An enum's labels, each a quoted literal as written, or null for a type that is no enum. */
    static List<String> enumLabels(String definition) {
        Matcher matcher = ENUM.matcher(definition);
        if (!matcher.matches()) {
            return null;
        }
        List<String> labels = new ArrayList<>();
        Matcher literal = LITERAL.matcher(matcher.group(1));
        while (literal.find()) {
            labels.add(literal.group());
        }
        return labels;
    }

    /** "a, \"b c\"" as plain names, or null when one is more than a name. */
    private static List<String> splitNames(String list) {
        List<String> names = new ArrayList<>();
        for (String part : list.split(",\\s*")) {
            String name = part.strip();
            if (!IDENTIFIER.matcher(name).matches()) {
                return null;
            }
            names.add(CatalogObject.unquote(name));
        }
        return names;
    }
}
