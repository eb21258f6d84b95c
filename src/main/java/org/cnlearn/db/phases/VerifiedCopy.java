package org.cnlearn.db.phases;

import liquibase.changelog.ChangeSet;
import org.cnlearn.db.connection.JdbcQueries;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Two columns of a table that an expand and contract keeps in step, as a changeset's comment declares them:
 * {@code verified-copy(full_name, display_name)}. Where that changeset drops one of them, nothing is lost if
 * every row's value of the dropped column is the other's, cast back to the dropped column's type: the data-loss
 * guard counts the rows where it is not, and needs the flag only for those.
 */
public final class VerifiedCopy {

    private static final Pattern DECLARED = Pattern.compile("verified-copy\\(\\s*([^,()\\s]+)\\s*,\\s*([^,()\\s]+)\\s*\\)");

    private VerifiedCopy() {
    }

    /** The declaration, as a changeset's comment holds it. */
    public static String declare(String one, String other) {
        return "verified-copy(" + one + ", " + other + ")";
    }

    /** The column that a changeset declares a copy of another, and the declaration as its comment writes it. */
    public record Declared(String copy, String text) {
    }

    /** What the changeset declares a copy of {@code column} (its plain name), or null. */
    public static Declared partnerOf(ChangeSet changeSet, String column) {
        if (changeSet == null || changeSet.getComments() == null) {
            return null;
        }
        Matcher declared = DECLARED.matcher(changeSet.getComments());
        while (declared.find()) {
            if (declared.group(1).equals(column)) {
                return new Declared(declared.group(2), declared.group());
            }
            if (declared.group(2).equals(column)) {
                return new Declared(declared.group(1), declared.group());
            }
        }
        return null;
    }

    /**
     * The rows of {@code table} (as SQL names it) whose {@code dropped} column holds a value its copy does not:
     * compared as text, after the copy is cast to the dropped column's type (an integer copied into a bigint
     * comes back the same). With {@code lock}, inside a transaction, the table is locked first, in the mode the drop
     * itself takes, so no write comes between this count and the drop.
     */
    public static long differing(Connection connection, String table, String dropped, String copy, boolean lock) throws SQLException {
        String type = JdbcQueries.single(connection, "SELECT (SELECT format_type(atttypid, atttypmod) FROM pg_attribute"
                + " WHERE attrelid = to_regclass(?) AND attname = ? AND NOT attisdropped)", rs -> rs.getString(1), table, dropped);
        boolean copied = JdbcQueries.bool(connection, "SELECT EXISTS (SELECT FROM pg_attribute WHERE attrelid = to_regclass(?)"
                + " AND attname = ? AND NOT attisdropped)", table, copy);
        if (type == null) {
            return 0;
        }
        String d = quoted(connection, dropped);
        if (lock && !connection.getAutoCommit()) {
            JdbcQueries.execute(connection, "LOCK TABLE " + table + " IN ACCESS EXCLUSIVE MODE");
        }
        String condition = !copied ? d + " IS NOT NULL"
                : d + " IS NOT NULL AND " + d + "::text IS DISTINCT FROM CAST(" + quoted(connection, copy) + " AS " + type + ")::text";
        return JdbcQueries.single(connection, "SELECT count(*) FROM " + table + " WHERE " + condition, rs -> rs.getLong(1));
    }

    private static String quoted(Connection connection, String name) throws SQLException {
        return JdbcQueries.single(connection, "SELECT quote_ident(?)", rs -> rs.getString(1), name);
    }
}
