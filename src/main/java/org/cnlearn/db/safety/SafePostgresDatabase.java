package org.cnlearn.db.safety;

import liquibase.Scope;
import org.cnlearn.db.report.SupersededLines;
import liquibase.change.AbstractSQLChange;
import liquibase.change.Change;
import liquibase.change.core.DropColumnChange;
import liquibase.change.core.DropTableChange;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.changelog.visitor.AbstractChangeExecListener;
import liquibase.changelog.visitor.ChangeExecListener;
import liquibase.database.core.PostgresDatabase;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.DatabaseException;
import liquibase.exception.LiquibaseException;
import liquibase.executor.ExecutorService;
import liquibase.executor.LoggingExecutor;
import liquibase.sql.visitor.SqlVisitor;
import liquibase.statement.SqlStatement;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * PostgreSQL as Liquibase sees it, made safe where stock 4.33 is not:
 * <ul>
 * <li>a changeset's DDL and its DATABASECHANGELOG row commit in one transaction;</li>
 * <li>a changeset whose tables already exist, exactly as it would build them (a crash of stock
 * Liquibase, or the Alembic revision), is recorded as applied and keeps every row; in any other
 * shape it is refused, with what differs ({@link TableAdoption});</li>
 * <li>destroying rows (a dropped or emptied table or column, by a change type or in raw SQL) is refused
 * unless -DallowDataLoss=true ({@link DataLossGuard}).</li>
 * </ul>
 */
public class SafePostgresDatabase extends PostgresDatabase {

    /**
     * A scope key, true for the launcher's changelog-sync: an update that builds nothing. Each pending changeset is
     * recorded as applied only where {@link TableAdoption} finds its tables exactly as it builds them; any other is refused.
     */
    public static final String RECORD_ONLY = "cnlearn.recordOnly";

    /** True from a changeset's first statement until its history row is written. */
    private boolean changesetInFlight;
    private final Set<ChangeSet> adopted = new HashSet<>();
    private final Set<ChangeSet> adoptionChecked = new HashSet<>();
    /** The changeset being rolled back (Liquibase's rollback hands the database its statements, not the changeset). */
    private ChangeSet rollingBack;
    /** What this run (this connection) applied and rolled back before: a refusal leaves those as they are. */
    private int appliedThisRun;
    private int rolledBackThisRun;

    @Override
    public int getPriority() {
        return super.getPriority() + 1;
    }

    @Override
    public void executeStatements(Change change, DatabaseChangeLog changeLog, List<SqlVisitor> sqlVisitors) throws LiquibaseException {
        changesetInFlight = true;
        if (!generatingSql()) {
            ChangeSet changeSet = change.getChangeSet();
            // the tables are compared before the changeset's first change: after it, they may be its own
            if (adopted.contains(changeSet)) {
                return;
            }
            if (changeSet != null && adoptionChecked.add(changeSet)) {
                InFlight.started(changeSet, historyTable(), false);
                if (TableAdoption.adopt(jdbc(), this, changeSet, each -> super.executeStatements(each, changeSet.getChangeLog(), List.of()))) {
                    adopted.add(changeSet);
                    return;
                }
                if (Boolean.TRUE.equals(Scope.getCurrentScope().get(RECORD_ONLY, Boolean.class))) {
                    throw new DatabaseException(notInPlace(changeSet));
                }
                // the whole changeset, before its first change: one that runs outside a transaction keeps what ran
                for (Change each : changeSet.getChanges()) {
                    guardDataLoss(each, changeSet);
                }
            } else {
                // each later change again as it comes: the ones before it may have filled what it drops
                guardDataLoss(change, changeSet);
            }
        }
        try {
            super.executeStatements(change, changeLog, sqlVisitors);
        } catch (DatabaseException e) {
            throw change.getChangeSet() == null ? e : FailedChangeset.of(e, change.getChangeSet(), recordedBefore());
        }
    }

    /** How many changesets the history table records before the one running: what a failure leaves applied. */
    private int recordedBefore() {
        try {
            return Scope.getCurrentScope().getSingleton(liquibase.changelog.ChangeLogHistoryServiceFactory.class)
                    .getChangeLogService(this).getRanChangeSets().size();
        } catch (Exception e) {
            return -1;
        }
    }

    @Override
    public void executeRollbackStatements(SqlStatement[] statements, List<SqlVisitor> sqlVisitors) throws LiquibaseException {
        changesetInFlight = true;
        if (!generatingSql()) {
            if (rollingBack != null && (InFlight.current() == null || !InFlight.current().rollback())) {
                InFlight.started(rollingBack, historyTable(), true);
            }
            DataLossGuard.check(jdbc(), this, statements, rollingBack, unchanged());
        }
        try {
            super.executeRollbackStatements(statements, sqlVisitors);
        } catch (DatabaseException e) {
            throw generatingSql() ? e : FailedChangeset.ofRollback(e);
        }
    }

    /** Inside a changeset the commit waits for its history row (below). */
    @Override
    public void commit() throws DatabaseException {
        if (!changesetInFlight) {
            super.commit();
        }
    }

    @Override
    public void rollback() throws DatabaseException {
        changesetInFlight = false;
        super.rollback();
        if (!generatingSql()) {
            InFlight.abandoned();
        }
    }

    @Override
    public void markChangeSetExecStatus(ChangeSet changeSet, ChangeSet.ExecType execType) throws DatabaseException {
        if (!generatingSql()) {
            SessionLockService.requireHeldBy(jdbc(), "changeset " + changeSet.getId());
        }
        // an adopted changeset ran nothing: its record says so
        super.markChangeSetExecStatus(changeSet, adopted.contains(changeSet) ? ChangeSet.ExecType.MARK_RAN : execType);
        if (adopted.contains(changeSet)) {
            changeSet.getChanges().forEach(change -> SupersededLines.forget(change.getConfirmationMessage()));
        }
        appliedThisRun++;
        changesetInFlight = false;
        commit();
        if (!generatingSql()) {
            InFlight.finished();
        }
    }

    @Override
    public void removeRanStatus(ChangeSet changeSet) throws DatabaseException {
        if (!generatingSql()) {
            SessionLockService.requireHeldBy(jdbc(), "the rollback of changeset " + changeSet.getId());
        }
        super.removeRanStatus(changeSet);
        rolledBackThisRun++;
        rollingBack = null;
        changesetInFlight = false;
        commit();
        if (!generatingSql()) {
            InFlight.finished();
        }
    }

    /** Refuses the change if it would destroy rows: dropTable, dropColumn, and raw SQL (sql, sqlFile). */
    private void guardDataLoss(Change change, ChangeSet changeSet) throws LiquibaseException {
        if (change instanceof DropTableChange || change instanceof DropColumnChange || change instanceof AbstractSQLChange) {
            DataLossGuard.check(jdbc(), this, change.generateStatements(this), changeSet, unchanged());
        }
    }

    /** changelog-sync's refusal of a changeset whose tables it cannot find in place. */
    private String notInPlace(ChangeSet changeSet) {
        boolean createsTables = changeSet.getChanges().stream().anyMatch(c -> c instanceof liquibase.change.core.CreateTableChange);
        return "changelog-sync cannot record changeset " + changeSet.getId() + " as applied: "
                + (createsTables ? "the tables it creates are not in the database"
                        : "it creates no table, so whether the database has what it does cannot be seen")
                + ". " + unchanged() + " Apply it with update instead, or leave it pending (docs/tasks.md#baseline-an-existing-database).";
    }

    /** What a refusal leaves: nothing changed, or the changesets this run applied or rolled back before it. */
    private String unchanged() {
        if (appliedThisRun == 0 && rolledBackThisRun == 0) {
            return "Nothing was changed.";
        }
        List<String> kept = new ArrayList<>();
        if (appliedThisRun > 0) {
            kept.add(appliedThisRun == 1 ? "the changeset this run applied before it stays applied"
                    : "the " + appliedThisRun + " changesets this run applied before it stay applied");
        }
        if (rolledBackThisRun > 0) {
            kept.add(rolledBackThisRun == 1 ? "the changeset this run rolled back before it stays rolled back"
                    : "the " + rolledBackThisRun + " changesets this run rolled back before it stay rolled back");
        }
        return "Nothing of this changeset was changed; " + String.join(", and ", kept) + ".";
    }

    /**
     * Tells the database which changeset a rollback is for (its waivers count), as Liquibase's
     * rollback announces it to listeners; {@link ChangesetListenerCommandStep} adds it to every command's.
     */
    public ChangeExecListener rollbackListener() {
        return new AbstractChangeExecListener() {
            @Override
            public void willRollback(ChangeSet changeSet, DatabaseChangeLog databaseChangeLog, liquibase.database.Database database) {
                rollingBack = changeSet;
            }
        };
    }

    /** The listener of {@link #rollbackListener()} when the database is this project's, else null. */
    public static ChangeExecListener rollbackListener(liquibase.database.Database database) {
        return database instanceof SafePostgresDatabase safe ? safe.rollbackListener() : null;
    }

    /** The history table, as SQL names it. */
    private String historyTable() {
        return escapeTableName(getLiquibaseCatalogName(), getLiquibaseSchemaName(), getDatabaseChangeLogTableName());
    }

    String schemaOf(String schema) {
        return schema != null ? schema : getDefaultSchemaName();
    }

    boolean generatingSql() {
        return generatingSql(this);
    }

    /** A *Sql command is running: its statements go to a script, not to the database. */
    static boolean generatingSql(liquibase.database.Database database) {
        return Scope.getCurrentScope().getSingleton(ExecutorService.class).getExecutor("jdbc", database) instanceof LoggingExecutor;
    }

    Connection jdbc() throws DatabaseException {
        if (!(getConnection() instanceof JdbcConnection)) {
            throw new DatabaseException("this check needs a live database connection");
        }
        return ((JdbcConnection) getConnection()).getUnderlyingConnection();
    }
}
