package org.cnlearn.db.safety;

import liquibase.exception.LiquibaseException;

/**
 * A failure this project tells in full for a person: what went wrong, what the database holds, what
 * to do. Its text is its whole {@link #toString()}, so that Liquibase, which wraps it into its own
 * exceptions by their text, adds no class name in front of it; and it has no stack of its own, since
 * where it was thrown is Liquibase's machinery (its cause, the server's exception say, keeps its own).
 */
abstract class ExplainedFailure extends LiquibaseException {

    private static final long serialVersionUID = 1L;

    ExplainedFailure(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }

    @Override
    public String toString() {
        return getMessage();
    }
}
