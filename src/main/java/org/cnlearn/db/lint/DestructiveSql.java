package org.cnlearn.db.lint;

import java.util.ArrayList;
import java.util.List;

/**
 * What raw SQL destroys, read by the lint's own parser ({@link SqlStatements}): the data-loss guard's
 * view of an {@code sql} or {@code sqlFile} change, at run time. Names are given as the statement
 * writes them, so that PostgreSQL resolves them as it would resolve the statement.
 */
public final class DestructiveSql {

    public enum Kind { DROP_TABLE, DROP_COLUMN, TRUNCATE, DROP_SCHEMA_CASCADE, DROP_TYPE_CASCADE, DROP_EXTENSION_CASCADE, DROP_OWNED }

    /**
     * One thing a statement destroys: a table, one column of it, a table's rows (with {@code cascade},
     * the rows of the tables that reference it too), a schema and every table in it, a type (or an
     * extension's types) and every column of it, or every table a role owns.
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
     * The commands that can destroy rows, by the words PostgreSQL's grammar names them with: TRUNCATE;
     * DO, whose block may run anything; DROP of a table, schema, type, domain, extension, database, a
     * role's objects (OWNED) or a foreign table; ALTER TABLE (… DROP COLUMN) and ALTER TYPE (… DROP
     * ATTRIBUTE). Any other (DROP INDEX, ALTER SEQUENCE, a CREATE…) drops no row, read or not. DELETE
     * and UPDATE change data, as the changeset means to; a function a SELECT calls is that function's.
     */
    private static final java.util.Set<String> DROPPED_WITH_ROWS = java.util.Set.of("TABLE", "SCHEMA", "TYPE", "DOMAIN", "EXTENSION",
            "DATABASE", "OWNED", "FOREIGN");

    private static boolean mayDestroyRows(String statement) {
        try {
            List<SqlTokens.Token> tokens = SqlTokens.tokenize(statement);
            if (tokens.size() < 2) {
                return tokens.isEmpty() || tokens.get(0).is("TRUNCATE");
            }
            SqlTokens.Token command = tokens.get(0);
            SqlTokens.Token object = tokens.get(1);
            return command.is("TRUNCATE") || command.is("DO")
                    || command.is("DROP") && DROPPED_WITH_ROWS.stream().anyMatch(object::is)
                    || command.is("ALTER") && (object.is("TABLE") || object.is("TYPE"));
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
                } else if (operation instanceof Operation.DropTypeCascade drop) {
                    targets.add(new Target(Kind.DROP_TYPE_CASCADE, drop.written(), null, true));
                } else if (operation instanceof Operation.DropExtensionCascade drop) {
                    targets.add(new Target(Kind.DROP_EXTENSION_CASCADE, drop.written(), null, true));
                } else if (operation instanceof Operation.DropOwned drop) {
                    targets.add(new Target(Kind.DROP_OWNED, drop.role(), null, false));
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
