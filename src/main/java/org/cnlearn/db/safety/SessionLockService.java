package org.cnlearn.db.safety;

import org.cnlearn.db.connection.JdbcQueries;

import liquibase.Scope;
import liquibase.database.Database;
import liquibase.database.core.PostgresDatabase;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.DatabaseException;
import liquibase.lockservice.DatabaseChangeLogLock;
import liquibase.lockservice.LockService;
import liquibase.exception.LockException;
import org.cnlearn.db.connection.ConnectionSettings;
import org.cnlearn.db.settings.SettingValue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Liquibase's changelog lock as a PostgreSQL session-level advisory lock instead of a row in
 * DATABASECHANGELOGLOCK. The lock dies with its connection, so a killed run leaves nothing behind
 * and the next run goes ahead at once.
 */
public class SessionLockService implements LockService {

    /** The advisory lock's key: "cnlearn" in ASCII. Advisory locks are per database already. */
    public static final long KEY = 0x636e6c6561726eL;
    public static final String WAIT_PROPERTY = ConnectionSettings.LOCK_WAIT_PROPERTY;
    /** How the command that runs names that setting, in Liquibase's scope (the launcher's --lock-wait-seconds); else -D{@value #WAIT_PROPERTY}. */
    public static final String WAIT_SETTING = "cnlearn.lockWaitSetting";

    private Database database;
    private boolean hasLock;

    @Override
    public int getPriority() {
        return PRIORITY_DATABASE;
    }

    @Override
    public boolean supports(Database database) {
        return database instanceof PostgresDatabase;
    }

    @Override
    public void setDatabase(Database database) {
        this.database = database;
    }

    @Override
    public void setChangeLogLockWaitTime(long changeLogLockWaitTime) {
        // the wait is cnlearn.lockWaitSeconds
    }

    @Override
    public void setChangeLogLockRecheckTime(long changeLogLockRecheckTime) {
    }

    @Override
    public boolean hasChangeLogLock() {
        return hasLock;
    }

    @Override
    public void waitForLock() throws LockException {
        String named = Scope.getCurrentScope().get(WAIT_SETTING, String.class);
        String setting = named != null ? named : "-D" + WAIT_PROPERTY;
        long waitSeconds;
        try {
            waitSeconds = ConnectionSettings.lockWaitSeconds(setting);
        } catch (SettingValue.Refused e) {
            throw new LockException(e.getMessage() + " Nothing was changed.");
        }
        long deadline = System.nanoTime() + waitSeconds * 1_000_000_000L;
        long nextNotice = 0;
        while (!acquireLock()) {
            long now = System.nanoTime();
            if (now - deadline > 0) {
                throw new LockException("Gave up after " + waitSeconds + " s waiting for the migration lock, which "
                        + holder() + " holds. Let that migration finish and run again (a killed run's lock goes"
                        + " away with its connection), or wait longer with " + setting + "=N.");
            }
            if (now - nextNotice > 0) {
                Scope.getCurrentScope().getUI().sendMessage("Waiting for the migration lock, which " + holder() + " holds...");
                nextNotice = now + 10_000_000_000L;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LockException("interrupted while waiting for the migration lock");
            }
        }
    }

    @Override
    public boolean acquireLock() throws LockException {
        if (hasLock) {
            return true;
        }
        try {
            hasLock = JdbcQueries.bool(connection(), "SELECT pg_try_advisory_lock(?)", KEY);
            return hasLock;
        } catch (SQLException | DatabaseException e) {
            throw new LockException("Could not take the migration lock: " + e.getMessage(), e);
        }
    }

    @Override
    public void releaseLock() throws LockException {
        if (!hasLock) {
            return;
        }
        try {
            JdbcQueries.execute(connection(), "SELECT pg_advisory_unlock(?)", KEY);
            hasLock = false;
        } catch (SQLException | DatabaseException e) {
            throw new LockException("Could not release the migration lock: " + e.getMessage(), e);
        }
    }

    @Override
    public DatabaseChangeLogLock[] listLocks() throws LockException {
        try {
            return JdbcQueries.list(connection(), HOLDER_QUERY,
                    rs -> new DatabaseChangeLogLock(rs.getInt("pid"), rs.getTimestamp("backend_start"), describe(rs)), KEY)
                    .toArray(new DatabaseChangeLogLock[0]);
        } catch (SQLException | DatabaseException e) {
            throw new LockException("Could not list the migration locks: " + e.getMessage(), e);
        }
    }

    /** Releases this session's lock. Another session's lock cannot be taken from it: it ends with that session. */
    @Override
    public void forceReleaseLock() throws LockException {
        releaseLock();
        DatabaseChangeLogLock[] others = listLocks();
        if (others.length > 0) {
            Scope.getCurrentScope().getUI().sendMessage("A live migration (" + others[0].getLockedBy() + ") holds the"
                    + " migration lock; it is released when that session ends.");
        }
    }

    @Override
    public void reset() {
        hasLock = false;
    }

    @Override
    public void init() {
        // no lock table: the lock lives in PostgreSQL's lock manager
    }

    @Override
    public void destroy() {
    }

    /**
     * Fails unless this connection's server session holds the migration lock: a changeset is only
     * recorded by the session that holds it (a pooler in transaction mode would break that).
     */
    static void requireHeldBy(Connection connection, String what) throws DatabaseException {
        boolean held;
        try {
            held = JdbcQueries.bool(connection, "SELECT EXISTS (SELECT 1 FROM pg_locks l WHERE"
                    + " l.locktype = 'advisory' AND l.granted AND l.pid = pg_backend_pid() AND l.objsubid = 1"
                    + " AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"
                    + " AND ((l.classid::bigint << 32) | l.objid::bigint) = ?)", KEY);
        } catch (SQLException e) {
            throw new DatabaseException("Could not check the migration lock: " + e.getMessage(), e);
        }
        if (!held) {
            throw new DatabaseException("This server session does not hold the migration lock, so " + what + " is rolled"
                    + " back, not recorded. The connection is being shared with other sessions, as through a connection"
                    + " pooler in transaction mode: point the URL at the database itself or at a session-mode pool.");
        }
    }

    private static final String HOLDER_QUERY = "SELECT a.pid, a.backend_start, a.application_name, a.client_addr"
            + " FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
            + " WHERE l.locktype = 'advisory' AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            + " AND ((l.classid::bigint << 32) | l.objid::bigint) = ? AND l.objsubid = 1";

    private String holder() {
        try {
            DatabaseChangeLogLock[] locks = listLocks();
            return locks.length == 0 ? "another session" : locks[0].getLockedBy();
        } catch (LockException e) {
            return "another session";
        }
    }

    private static String describe(ResultSet rs) throws SQLException {
        String client = rs.getString("client_addr");
        return "PostgreSQL pid " + rs.getInt("pid") + " (" + rs.getString("application_name")
                + (client != null ? " from " + client : "") + ", connected " + rs.getTimestamp("backend_start") + ")";
    }

    private Connection connection() throws DatabaseException {
        if (!(database.getConnection() instanceof JdbcConnection)) {
            throw new DatabaseException("the migration lock needs a live database connection");
        }
        return ((JdbcConnection) database.getConnection()).getUnderlyingConnection();
    }
}
