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
                super.init();
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
        super.init();
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
