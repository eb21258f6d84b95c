package org.cnlearn.db.connection;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Before anything is locked or written, the target must be a database session a migration can own:
 * writable (not a standby, not default_transaction_read_only), and one server session for the whole
 * connection. A connection pooler in transaction mode hands each transaction to whichever server
 * session is free, so the migration lock (a session lock) would protect nothing and a changeset
 * could commit in a session that never held it. That is detected by what the server says, never by
 * host names or ports: a second connection runs between the first one's transactions, and each
 * connection must keep its own backend.
 */
public final class SessionCheck {

    /** Transactions per connection in the probe: enough to see a pool hand out another session. */
    private static final int ROUNDS = 3;

    private SessionCheck() {
    }

    static void refuseUnfitTarget(ConnectionSettings settings, Connection connection, String source) throws SQLException {
        refuseUnfitTarget(settings, connection, source, true, SecondConnection.open(settings));
    }

    /**
     * The same, with the pooler check's second connection already being opened (beside the first, not
     * after it); a command that only reads is not refused a read-only database (a replica is a fine place
     * to ask what is pending).
     */
    static void refuseUnfitTarget(ConnectionSettings settings, Connection connection, String source, boolean writes,
                                  SecondConnection second) throws SQLException {
        try {
            String why = writes ? readOnlyReason(connection) : null;
            if (why != null) {
                throw refusal(connection, readOnlyMessage(settings.describe(), why, source));
            }
        } catch (SQLException e) {
            second.discard();
            throw e;
        }
        refuseTransactionPooling(settings, connection, source, second);
    }

    /** Why a migration cannot write through this connection ("a standby (in recovery)", "read-only (…)"), or null. */
    public static String readOnlyReason(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT pg_is_in_recovery(), current_setting('transaction_read_only')")) {
            rs.next();
            return rs.getBoolean(1) ? "a standby (in recovery)" : "on".equals(rs.getString(2))
                    ? "read-only (default_transaction_read_only is on)" : null;
        }
    }

    /** The refusal of a command that writes, on a target that cannot be written: what it is, and what to do. */
    public static String readOnlyMessage(String target, String why, String source) {
        return target + " is " + why + ": a migration writes, so it needs the primary. Point " + source
                + " at the primary database. Nothing was changed.";
    }

    static void refuseTransactionPooling(ConnectionSettings settings, Connection connection, String source) throws SQLException {
        refuseTransactionPooling(settings, connection, source, SecondConnection.open(settings));
    }

    private static void refuseTransactionPooling(ConnectionSettings settings, Connection connection, String source,
                                                 SecondConnection second) throws SQLException {
        int first;
        try {
            first = backend(connection);
        } catch (SQLException e) {
            second.discard();
            throw e;
        }
        Integer other = null;
        try (Connection probe = second.get()) {
            for (int round = 0; round < ROUNDS; round++) {
                int probePid = backend(probe);
                int again = backend(probe);
                int mine = backend(connection);
                if (other == null) {
                    other = probePid;
                }
                String seen = probePid == first ? "two connections were given the same server session (backend pid " + first + ")"
                        : mine != first ? "one connection's transactions ran in different server sessions (backend pids " + first + " then " + mine + ")"
                        : again != probePid ? "one connection's transactions ran in different server sessions (backend pids " + probePid + " then " + again + ")"
                        : probePid != other ? "one connection's transactions ran in different server sessions (backend pids " + other + " then " + probePid + ")"
                        : null;
                if (seen != null) {
                    throw refusal(connection, settings.describe() + " is a connection pooler in transaction mode: " + seen + "."
                            + " A migration needs one session: its lock and its changesets live in it. Point " + source + " at the"
                            + " database itself, or at a pool in session mode (docs/topologies.md). Nothing was changed.");
                }
            }
        } catch (SessionRefused e) {
            throw e;
        } catch (SQLException e) {
            // no second connection to compare with (a connection limit, say): the first must still keep its session
            for (int round = 0; round < ROUNDS; round++) {
                if (backend(connection) != first) {
                    throw refusal(connection, settings.describe() + " is a connection pooler in transaction mode: successive"
                            + " transactions ran in different server sessions. Point " + source + " at the database itself,"
                            + " or at a pool in session mode. Nothing was changed.");
                }
            }
        }
    }

    /**
     * The pooler check's second connection, opened on a thread of its own so that a command does not
     * wait for two logins one after the other.
     */
    static final class SecondConnection {
        private final Thread thread;
        private Connection connection;
        private SQLException failure;

        private SecondConnection(ConnectionSettings settings) {
            thread = new Thread(() -> {
                try {
                    connection = settings.open();
                } catch (SQLException e) {
                    failure = e;
                } catch (RuntimeException e) {
                    failure = new SQLException(e.getMessage(), "08001", e);
                }
            }, "cnlearn-db session check");
            thread.setDaemon(true);
            thread.start();
        }

        static SecondConnection open(ConnectionSettings settings) {
            return new SecondConnection(settings);
        }

        /** The connection, once open; the failure to open it otherwise. */
        Connection get() throws SQLException {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted while opening the session check's second connection", "08001", e);
            }
            if (failure != null) {
                throw failure;
            }
            return connection;
        }

        /** Not needed after all: closed once open. */
        void discard() {
            try {
                get().close();
            } catch (SQLException e) {
                // it was only a probe
            }
        }
    }

    private static int backend(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static SessionRefused refusal(Connection connection, String message) {
        try {
            connection.close();
        } catch (SQLException e) {
            // the refusal is what matters
        }
        return new SessionRefused(message);
    }

    /** The target cannot host a migration; its message says why and what to do. */
    static final class SessionRefused extends SQLException {
        SessionRefused(String message) {
            super(message, "55000");
        }
    }
}
