package org.cnlearn.db.safety;

import liquibase.changelog.ChangeSet;
import liquibase.exception.DatabaseException;
import org.cnlearn.db.connection.ConnectionSettings;

import java.sql.SQLException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A changeset's statement that PostgreSQL refused, or whose connection ended, in an update or a
 * rollback, told as an operator needs it at 2 a.m.: the server's reason and SQL state, the changeset
 * and its file, the statement, what the database holds now, and what to do.
 */
public final class FailedChangeset extends ExplainedFailure {

    private static final long serialVersionUID = 1L;
    /** How Liquibase's JdbcExecutor appends the statement to the driver's message. */
    private static final Pattern FAILED_SQL = Pattern.compile("\\[Failed SQL: (?:\\(-?\\d+\\) )?(.*)]\\s*$", Pattern.DOTALL);
    /** PostgreSQL's SQL state for lock_timeout. */
    private static final String LOCK_NOT_AVAILABLE = "55P03";

    private FailedChangeset(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * A statement of {@code changeSet} failed in an update.
     *
     * @param recordedBefore the changesets the history table records (all before this one), or -1 when unknown
     */
    static FailedChangeset of(DatabaseException failure, ChangeSet changeSet, int recordedBefore) {
        SQLException lost = connectionLost(failure);
        if (lost != null) {
            // a failover or pg_terminate_backend reads as a plain SQL error: say what happened to the changeset
            String reason = lost.getMessage().lines().findFirst().orElse("").strip();
            return new FailedChangeset("The connection to the database was lost in the middle of changeset " + changeSet.getId()
                    + " (" + reason + "). " + (changeSet.isRunInTransaction()
                    ? "PostgreSQL rolled the changeset back with its transaction: nothing of it is applied or recorded. Run update again."
                    : "It runs outside a transaction (runInTransaction: false): what it had done before stays, unrecorded. Check it,"
                            + " then run update again.") + " (docs/topologies.md)", failure);
        }
        String before = recordedBefore < 0 ? "the changesets recorded before it stay applied"
                : recordedBefore == 1 ? "the 1 changeset recorded before it stays applied"
                : "the " + recordedBefore + " changesets recorded before it stay applied";
        String state = changeSet.isRunInTransaction()
                ? "nothing of this changeset was applied or recorded (its transaction was rolled back); " + before + "."
                : "it runs outside a transaction (runInTransaction: false), so its statements before this one stay applied,"
                        + " unrecorded; " + before + ".";
        String next = "fix the changeset in " + changeSet.getFilePath() + " (it was never recorded, so it may still be edited)"
                + (changeSet.isRunInTransaction() ? "" : ", undo or keep what it did,") + " and run update again.";
        return build("Changeset " + changeSet.getId() + " (" + changeSet.getFilePath() + ") failed", failure, state, next);
    }

    /** A statement of a changeset's rollback failed (Liquibase says which changeset, "Rolling Back Changeset", just before). */
    static FailedChangeset ofRollback(DatabaseException failure) {
        return build("Rolling back the changeset failed", failure,
                "nothing of this rollback was applied (its transaction was rolled back): the changeset stays applied and recorded.",
                "fix what the server says and run the rollback again.");
    }

    /** The server's exception when the connection ended (SQL states 08..., 57P...), or null. */
    private static SQLException connectionLost(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getMessage() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
                return sql;
            }
        }
        return null;
    }

    private static FailedChangeset build(String what, DatabaseException failure, String state, String next) {
        SQLException server = null;
        for (Throwable t = failure; t != null && server == null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getMessage() != null) {
                server = sql;
            }
        }
        StringBuilder message = new StringBuilder(what);
        if (server != null && server.getSQLState() != null) {
            message.append(", SQL state ").append(server.getSQLState());
        }
        if (server != null) {
            // the server's words, but its Position (a character offset into the statement, given below)
            List<String> said = server.getMessage().strip().lines().toList();
            message.append(": ").append(said.get(0).strip());
            said.stream().skip(1).map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("Position:"))
                    .forEach(line -> message.append("\n  ").append(line));
            Matcher sql = FAILED_SQL.matcher(String.valueOf(failure.getMessage()));
            if (sql.find()) {
                message.append("\n  Statement: ").append(sql.group(1).strip().replace("\n", "\n    "));
            }
        } else {
            message.append(": ").append(String.valueOf(failure.getMessage()).strip());
        }
        message.append("\n  State: ").append(state);
        if (server != null && LOCK_NOT_AVAILABLE.equals(server.getSQLState())) {
            message.append("\n  Next: another transaction holds a lock the statement needs: let it finish (pg_stat_activity names it)"
                    + " and run again, or raise the lock timeout (" + ConnectionSettings.LOCK_TIMEOUT_VARIABLE + ", 30s by default).");
        } else {
            message.append("\n  Next: ").append(next);
        }
        // the server's exception as the cause: Liquibase's wrapper of it only adds the statement, said above
        return new FailedChangeset(message.toString(), server != null ? server : failure);
    }
}
