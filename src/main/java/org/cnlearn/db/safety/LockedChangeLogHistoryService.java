package org.cnlearn.db.safety;

import liquibase.changelog.StandardChangeLogHistoryService;
import liquibase.database.Database;
import liquibase.database.core.PostgresDatabase;
import liquibase.exception.DatabaseException;
import liquibase.exception.LockException;
import liquibase.lockservice.LockServiceFactory;

/**
 * Liquibase creates and upgrades DATABASECHANGELOG before it takes its lock, so two first deploys
 * at once can both try to create it. Here the lock comes first.
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
        try {
            LockServiceFactory.getInstance().getLockService(getDatabase()).waitForLock();
        } catch (LockException e) {
            throw new DatabaseException(e.getMessage(), e);
        }
        super.init();
    }
}
