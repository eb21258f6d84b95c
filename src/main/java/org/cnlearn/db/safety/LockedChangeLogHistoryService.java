package org.cnlearn.db.safety;

import liquibase.Scope;
import liquibase.changelog.StandardChangeLogHistoryService;
import liquibase.database.Database;
import liquibase.database.core.PostgresDatabase;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.DatabaseException;
import liquibase.exception.LockException;
import liquibase.lockservice.LockServiceFactory;
import org.cnlearn.db.connection.ConnectionSettings;
import org.cnlearn.db.connection.SessionCheck;
import org.cnlearn.db.report.FailureReport;

import java.sql.SQLException;

/**
 * Liquibase's history table, readied so that nothing is changed by surprise:
 * <ul>
 * <li>Liquibase creates and upgrades DATABASECHANGELOG before it takes its lock, so two first
 * deploys at once can both try to create it. Here the lock comes first.</li>
 * <li>A command that writes, on a standby or a read-only database, is refused here, before its first
 * change (the connection is not refused for it: which command runs is only known now).</li>
 * <li>A command that only reads ({@link ReadOnlyCommandStep}) creates no table: on an empty
 * database its history is simply empty.</li>
 * </ul>
 */
public class LockedChangeLogHistoryService extends StandardChangeLogHistoryService {

    @Override
    public int getPriority() {
        return PRIORITY_DATABASE;
    }

    @Override
    public boolean supports(Database database) {
        return database instanceof PostgresDatabase;
    }

    @Override
    public void init() throws DatabaseException {
        boolean generatingSql = SafePostgresDatabase.generatingSql(getDatabase());
        if (Boolean.TRUE.equals(Scope.getCurrentScope().get(ReadOnlyCommandStep.READS_ONLY, Boolean.class))) {
            // (a *Sql command writes the table's creation into its script, not into the database)
            if (generatingSql || hasDatabaseChangeLogTable()) {
                try {
                    super.init();
                } catch (DatabaseException e) {
                    throw refusedPrivilege(e);
                }
            }
            return;
        }
        if (!generatingSql) {
            refuseReadOnlyTarget();
        }
        try {
            LockServiceFactory.getInstance().getLockService(getDatabase()).waitForLock();
        } catch (LockException e) {
            throw new DatabaseException(e.getMessage(), e);
        }
        try {
            super.init();
        } catch (DatabaseException e) {
            throw refusedPrivilege(e);
        }
    }

    @Override
    public java.util.List<liquibase.changelog.RanChangeSet> getRanChangeSets() throws DatabaseException {
        try {
            return super.getRanChangeSets();
        } catch (DatabaseException e) {
            throw refusedPrivilege(e);
        }
    }

    /**
     * A role that may not create or read the history table: Liquibase says "make sure that you have both
     * read and write permissions", or the server's words alone; here, what the role lacks and the grant
     * that gives it (docs/deploying.md). Any other failure as it was.
     */
    private DatabaseException refusedPrivilege(DatabaseException failure) {
        SQLException server = null;
        for (Throwable t = failure; t != null && server == null; t = t.getCause()) {
            if (t instanceof SQLException sql && "42501".equals(sql.getSQLState())) {
                server = sql;
            }
        }
        if (server == null) {
            return failure;
        }
        String role = getDatabase().getConnection() == null ? "CURRENT_USER" : getDatabase().getConnection().getConnectionUserName();
        String schema = getDatabase().getLiquibaseSchemaName() != null ? getDatabase().getLiquibaseSchemaName() : getDatabase().getDefaultSchemaName();
        String table = getDatabase().getDatabaseChangeLogTableName();
        String reason = FailureReport.serverReason(server);
        boolean creating = reason.contains("for schema"); // "permission denied for schema public", else for the table
        String grant = creating ? "it needs CREATE on the schema: GRANT CREATE ON SCHEMA " + schema + " TO " + role
                : "run as the role that owns it, or GRANT SELECT ON " + schema + "." + table + " TO " + role
                        + " (and INSERT, UPDATE, DELETE, for the commands that migrate)";
        return new PrivilegeRefused("The history table " + schema + "." + table + " cannot be " + (creating ? "created" : "read")
                + " by the role " + role + " (" + reason + "): " + grant + " (docs/deploying.md#the-migrating-roles-credentials)."
                + " Nothing was changed.", server);
    }

    /** The role lacks a privilege the history table needs; its message says which, and the grant. */
    static final class PrivilegeRefused extends DatabaseException {
        private static final long serialVersionUID = 1L;

        PrivilegeRefused(String message, Throwable cause) {
            super(message, cause);
        }

        @Override
        public String toString() {
            return getMessage(); // Liquibase wraps it by its text: no class name in front
        }
    }

    private void refuseReadOnlyTarget() throws DatabaseException {
        if (!(getDatabase().getConnection() instanceof JdbcConnection jdbc)) {
            return;
        }
        try {
            String why = SessionCheck.readOnlyReason(jdbc.getUnderlyingConnection());
            if (why != null) {
                String target = ConnectionSettings.redact(jdbc.getURL()) + " as " + jdbc.getConnectionUserName();
                throw new DatabaseException(SessionCheck.readOnlyMessage(target, why, "the database URL ("
                        + ConnectionSettings.URL_VARIABLE + ", or -Dliquibase.url)"));
            }
        } catch (SQLException e) {
            throw new DatabaseException("Could not tell whether the database can be written: " + e.getMessage(), e);
        }
    }
}
