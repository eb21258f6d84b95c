package org.cnlearn.db.scratch;

import liquibase.Scope;
import liquibase.changelog.ChangeLogHistoryServiceFactory;
import liquibase.changelog.ChangeLogParameters;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.changelog.visitor.ChangeExecListener;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.LiquibaseException;
import liquibase.logging.core.NoOpLogService;
import liquibase.parser.ChangeLogParserFactory;
import liquibase.resource.ResourceAccessor;
import liquibase.ui.LoggerUIService;
import org.cnlearn.db.safety.SafePostgresDatabase;

import java.sql.Connection;
import java.util.HashMap;
import java.util.Map;

/**
 * Changesets applied to, and rolled back from, a database one at a time, as update and rollback do
 * (with this project's extensions: the session lock, the atomic commit with the history row, the
 * data-loss guard), quietly: the database is scratch, and its messages would read as a real one's.
 * Drift builds its reference so; cnlearn:check and cnlearn:revision build and try changesets so. Each
 * run takes a connection of its own: Liquibase keeps its history of a database by connection.
 */
public final class ChangelogRun {

    private final ResourceAccessor accessor;
    private final Database database;

    /** Readies the database's history table (taking the migration lock) on an open connection of a scratch database. */
    public ChangelogRun(Connection connection, ResourceAccessor accessor) throws LiquibaseException {
        this(DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(connection)), accessor);
    }

    /** The same, on a database Liquibase has opened already (a command's reference database). */
    public ChangelogRun(Database database, ResourceAccessor accessor) throws LiquibaseException {
        this.accessor = accessor;
        this.database = database;
        quietly(() -> Scope.getCurrentScope().getSingleton(ChangeLogHistoryServiceFactory.class).getChangeLogService(database).init());
    }

    /** Liquibase's database, for what else a caller asks of it. */
    public Database database() {
        return database;
    }

    /** The changelog, read by Liquibase's own parser. */
    public static DatabaseChangeLog parse(String file, ResourceAccessor accessor) throws LiquibaseException {
        DatabaseChangeLog[] parsed = new DatabaseChangeLog[1];
        run(accessor, () -> parsed[0] = ChangeLogParserFactory.getInstance().getParser(file, accessor)
                .parse(file, new ChangeLogParameters(), accessor));
        return parsed[0];
    }

    /** Applies one changeset and records it, as update does. */
    public void apply(DatabaseChangeLog changelog, ChangeSet changeSet) throws LiquibaseException {
        apply(changelog, changeSet, () -> { });
    }

    /** The same, telling the caller when the changeset's changes have run, before its record is written. */
    public void apply(DatabaseChangeLog changelog, ChangeSet changeSet, Runnable changesRan) throws LiquibaseException {
        quietly(() -> {
            ChangeSet.ExecType exec = changeSet.execute(changelog, null, database);
            changesRan.run();
            database.markChangeSetExecStatus(changeSet, exec);
            database.commit();
        });
    }

    /** Rolls one applied changeset back and removes its record, as rollback does. */
    public void rollback(ChangeSet changeSet) throws LiquibaseException {
        quietly(() -> {
            // as rollback announces it: the data-loss guard reads the changeset's waivers
            ChangeExecListener listener = SafePostgresDatabase.rollbackListener(database);
            if (listener != null) {
                listener.willRollback(changeSet, changeSet.getChangeLog(), database);
            }
            changeSet.rollback(database);
            database.removeRanStatus(changeSet);
            database.commit();
        });
    }

    private void quietly(LiquibaseWork work) throws LiquibaseException {
        run(accessor, work);
    }

    /** Liquibase work in a scope of its own: this accessor, no log, no messages, no analytics. */
    public static void run(ResourceAccessor accessor, LiquibaseWork work) throws LiquibaseException {
        Map<String, Object> scope = new HashMap<>();
        scope.put(Scope.Attr.resourceAccessor.name(), accessor);
        scope.put(Scope.Attr.logService.name(), new NoOpLogService());
        scope.put(Scope.Attr.ui.name(), new LoggerUIService());
        scope.put("liquibase.analytics.enabled", false);
        try {
            Scope.child(scope, () -> {
                work.run();
                return null;
            });
        } catch (LiquibaseException e) {
            throw e;
        } catch (Exception e) {
            throw new LiquibaseException(e.getMessage(), e);
        }
    }

    @FunctionalInterface
    public interface LiquibaseWork {
        void run() throws Exception;
    }
}
