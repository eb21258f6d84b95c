package org.cnlearn.db.safety;

import liquibase.changelog.ChangeSet;
import liquibase.exception.DatabaseException;

import java.sql.SQLException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A changeset's statement that PostgreSQL refused, told as an operator needs it at 2 a.m.: the
 * server's reason and SQL state, the changeset and its file, the statement, what the database holds
 * now, and what to do. Its text is its whole {@link #toString()}, so that Liquibase, which wraps it
 * into its own exceptions by their text, adds no class name in front of it.
 */
public final class FailedChangeset extends DatabaseException {

    private static final long serialVersionUID = 1L;
    /** How Liquibase's JdbcExecutor appends the statement to the driver's message. */
    private static final Pattern FAILED_SQL = Pattern.compile("\\[Failed SQL: (?:\\(-?\\d+\\) )?(.*)]\\s*$", Pattern.DOTALL);

    private FailedChangeset(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * @param recordedBefore the changesets the history table records (all before this one), or -1 when unknown
     */
    static FailedChangeset of(DatabaseException failure, ChangeSet changeSet, int recordedBefore) {
        SQLException server = null;
        for (Throwable t = failure; t != null && server == null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                server = sql;
            }
        }
        // the server's words verbatim, and it as the cause: Maven's closing block adds any cause whose
        // text the message does not already hold, and Liquibase's wrapper of it only adds the statement
        Throwable cause = server != null && server.getMessage() != null ? server : failure;
        Matcher sql = FAILED_SQL.matcher(String.valueOf(failure.getMessage()));
        StringBuilder message = new StringBuilder("Changeset ").append(changeSet.getId()).append(" (")
                .append(changeSet.getFilePath()).append(") failed");
        if (server != null && server.getSQLState() != null) {
            message.append(", SQL state ").append(server.getSQLState());
        }
        message.append(": ").append(cause == server ? server.getMessage().strip() : String.valueOf(failure.getMessage()).strip());
        if (cause == server && sql.find()) {
            message.append("\n  Statement: ").append(sql.group(1).strip().replace("\n", "\n    "));
        }
        String before = recordedBefore < 0 ? "the changesets recorded before it stay applied"
                : recordedBefore == 1 ? "the 1 changeset recorded before it stays applied"
                : "the " + recordedBefore + " changesets recorded before it stay applied";
        message.append("\n  State: ").append(changeSet.isRunInTransaction()
                ? "nothing of this changeset was applied or recorded (its transaction was rolled back); " + before + "."
                : "it runs outside a transaction (runInTransaction: false), so its statements before this one stay applied,"
                        + " unrecorded; " + before + ".");
        message.append("\n  Next: fix the changeset in ").append(changeSet.getFilePath())
                .append(" (it was never recorded, so it may still be edited)")
                .append(changeSet.isRunInTransaction() ? "" : ", undo or keep what it did,")
                .append(" and run update again.");
        return new FailedChangeset(message.toString(), cause);
    }

    /** Where it was thrown says nothing the server's exception (its cause) does not: Liquibase's own frames. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }

    @Override
    public String toString() {
        return getMessage();
    }
}
