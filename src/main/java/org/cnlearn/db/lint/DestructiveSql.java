package org.cnlearn.db.lint;

import java.util.ArrayList;
import java.util.List;

/**
 * What raw SQL destroys, read by the lint's own parser ({@link SqlStatements}): the data-loss guard's
 * view of an {@code sql} or {@code sqlFile} change, at run time. Names are given as the statement
 * writes them, so that PostgreSQL resolves them as it would resolve the statement.
 */
public final class DestructiveSql {

    public enum Kind { DROP_TABLE, DROP_COLUMN, TRUNCATE, DROP_SCHEMA_CASCADE }

    /**
     * One thing a statement destroys: a table, one column of it, a table's rows (with {@code cascade},
     * the rows of the tables that reference it too), or a schema and every table in it.
     */
    public record Target(Kind kind, String relation, String column, boolean cascade) {
    }

    /**
     * One statement of the SQL: what it destroys (empty: nothing the guard counts), or, when it cannot
     * be read and its command is one that can destroy rows, why ({@code unreadable}, and then no targets).
     */
    public record Reading(String statement, List<Target> targets, String unreadable) {
    }

    private DestructiveSql() {
    }

    /**
     * The commands that can destroy rows, by the word PostgreSQL's grammar starts them with: DROP,
     * ALTER (… DROP COLUMN), TRUNCATE, and DO, whose block may run any of them. DELETE and UPDATE change
     * data, as the changeset means to; a function a SELECT calls is that function's business.
     */
    private static final java.util.Set<String> MAY_DESTROY = java.util.Set.of("DROP", "ALTER", "TRUNCATE", "DO");

    private static boolean mayDestroyRows(String statement) {
        try {
            List<SqlTokens.Token> tokens = SqlTokens.tokenize(statement);
            return tokens.isEmpty() || MAY_DESTROY.stream().anyMatch(tokens.get(0)::is);
        } catch (IllegalArgumentException e) {
            return true; // not even split into words: nothing can be told
        }
    }

    /** The SQL's statements (split as the lint splits a sql change), each read. */
    public static List<Reading> read(String sql) {
        List<String> statements;
        try {
            statements = SqlTokens.statements(sql);
        } catch (IllegalArgumentException e) {
            return List.of(new Reading(sql.strip(), List.of(), e.getMessage()));
        }
        List<Reading> readings = new ArrayList<>();
        for (String statement : statements) {
            List<Target> targets = new ArrayList<>();
            String unreadable = null;
            for (Operation operation : SqlStatements.parse(statement)) {
                if (operation instanceof Operation.Unparseable unparseable) {
                    unreadable = unparseable.reason();
                } else if (operation instanceof Operation.DropTable drop) {
                    targets.add(new Target(Kind.DROP_TABLE, drop.written(), null, false));
                } else if (operation instanceof Operation.DropColumn drop) {
                    targets.add(new Target(Kind.DROP_COLUMN, drop.writtenTable(), drop.writtenColumn(), false));
                } else if (operation instanceof Operation.Truncate truncate) {
                    targets.add(new Target(Kind.TRUNCATE, truncate.written(), null, truncate.cascade()));
                } else if (operation instanceof Operation.DropSchemaCascade drop) {
                    targets.add(new Target(Kind.DROP_SCHEMA_CASCADE, drop.written(), null, true));
                }
            }
            if (unreadable != null && !mayDestroyRows(statement)) {
                unreadable = null; // a CREATE, COMMENT, GRANT… the parser cannot read still drops nothing
            }
            readings.add(unreadable != null ? new Reading(statement, List.of(), unreadable) : new Reading(statement, targets, null));
        }
        return readings;
    }
}
