package org.cnlearn.db.safety;

import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.RuntimeEnvironment;
import liquibase.change.AbstractSQLChange;
import liquibase.change.Change;
import liquibase.change.core.AddColumnChange;
import liquibase.change.core.AddDefaultValueChange;
import liquibase.change.core.AddForeignKeyConstraintChange;
import liquibase.change.core.AddNotNullConstraintChange;
import liquibase.change.core.AddPrimaryKeyChange;
import liquibase.change.core.AddUniqueConstraintChange;
import liquibase.change.core.CreateIndexChange;
import liquibase.change.core.CreateTableChange;
import liquibase.change.core.CreateViewChange;
import liquibase.change.core.DropColumnChange;
import liquibase.change.core.DropDefaultValueChange;
import liquibase.change.core.DropIndexChange;
import liquibase.change.core.DropNotNullConstraintChange;
import liquibase.change.core.DropTableChange;
import liquibase.change.core.DropViewChange;
import liquibase.change.core.EmptyChange;
import liquibase.change.core.OutputChange;
import liquibase.change.core.TagDatabaseChange;
import liquibase.changelog.ChangeLogIterator;
import liquibase.changelog.ChangeLogParameters;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.changelog.filter.ShouldRunChangeSetFilter;
import liquibase.changelog.visitor.ChangeSetVisitor;
import liquibase.command.CommandOverride;
import liquibase.command.CommandScope;
import liquibase.command.core.AbstractUpdateCommandStep;
import liquibase.command.core.UpdateCommandStep;
import liquibase.command.core.UpdateCountCommandStep;
import liquibase.command.core.UpdateToTagCommandStep;
import liquibase.database.Database;
import liquibase.exception.DatabaseException;
import liquibase.exception.LiquibaseException;
import org.cnlearn.db.lint.DestructiveSql;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * An update run checked whole before its first changeset: where the data-loss guard would refuse a changeset
 * of the run over the rows there are, nothing of the run is applied, rather than the changesets before it.
 * The check reads the rows as they are before the run, so it goes only as far as that reading stays true:
 * up to the first change that may move or change rows (a rename, DML, a procedure called, SQL other than
 * plain DDL), after which the guard checks each statement as it runs, as it always does.
 */
final class WholeRunCheck {

    /** Changes that move no row: what a drop after them would destroy is what is there now. */
    private static final Set<Class<? extends Change>> KEEP_ROWS = Set.of(AddColumnChange.class, CreateTableChange.class,
            CreateIndexChange.class, DropIndexChange.class, AddForeignKeyConstraintChange.class, AddUniqueConstraintChange.class,
            AddPrimaryKeyChange.class, AddNotNullConstraintChange.class, DropNotNullConstraintChange.class, AddDefaultValueChange.class,
            DropDefaultValueChange.class, CreateViewChange.class, DropViewChange.class, EmptyChange.class, OutputChange.class,
            TagDatabaseChange.class, DropColumnChange.class, DropTableChange.class);

    /** SQL that moves no row, by its first words. */
    private static final List<String> KEEPING_SQL = List.of("create ", "drop index ", "drop trigger ", "drop function ", "drop procedure ",
            "drop view ", "drop table ", "comment on ", "grant ", "revoke ", "alter table ");

    private WholeRunCheck() {
    }

    static void check(AbstractUpdateCommandStep step, CommandScope scope) throws LiquibaseException {
        Database database = (Database) scope.getDependency(Database.class);
        if (!(database instanceof SafePostgresDatabase safe) || safe.generatingSql() || DataLossGuard.allowed()) {
            return;
        }
        DatabaseChangeLog changelog = (DatabaseChangeLog) scope.getDependency(DatabaseChangeLog.class);
        // the run's own filters, as the update step reads them (update --label-filter=expand leaves contract out)
        Contexts contexts = new Contexts(step.getContextsArg(scope));
        LabelExpression labels = new LabelExpression(step.getLabelFilterArg(scope));
        ChangeLogIterator iterator = step.getStandardChangelogIterator(scope, database, contexts, labels, changelog);
        List<ChangeSet> run = new ArrayList<>();
        // the iterator's filters leave to the update itself which changesets ran already
        ShouldRunChangeSetFilter pending = new ShouldRunChangeSetFilter(database);
        iterator.run(new ChangeSetVisitor() {
            @Override
            public Direction getDirection() {
                return Direction.FORWARD;
            }

            @Override
            public void visit(ChangeSet changeSet, DatabaseChangeLog changeLog, Database db, Set<liquibase.changelog.filter.ChangeSetFilterResult> results) {
                if (pending.accepts(changeSet).isAccepted()) {
                    run.add(changeSet);
                }
            }
        }, new RuntimeEnvironment(database, contexts, labels));
        try {
            for (int i = 0; i < run.size(); i++) {
                ChangeSet changeSet = run.get(i);
                for (Change change : changeSet.getChanges()) {
                    // the first changeset's refusal, the guard says as it runs: nothing is applied before it either way
                    if (i > 0 && (change instanceof DropTableChange || change instanceof DropColumnChange || change instanceof AbstractSQLChange)
                            && !predicted(safe, change, changeSet, "Nothing of this run was applied: its changeset " + changeSet.getId()
                            + " would have been refused after " + (i == 1 ? "1 other" : i + " others") + ", so none of them ran.")) {
                        return;
                    }
                    if (!keepsRows(change)) {
                        return;
                    }
                }
            }
        } finally {
            // the counts read in a transaction of their own: it must not stay open into the run
            database.commit();
        }
    }

    /** The guard's refusal of the change, said now; false where it cannot count yet (the count's error undone, by a savepoint). */
    private static boolean predicted(SafePostgresDatabase database, Change change, ChangeSet changeSet, String unchanged)
            throws LiquibaseException {
        Connection connection = database.jdbc();
        try {
            Savepoint savepoint = connection.getAutoCommit() ? null : connection.setSavepoint();
            boolean read = DataLossGuard.predict(connection, database, change.generateStatements(database), changeSet, unchanged);
            if (savepoint != null) {
                if (read) {
                    connection.releaseSavepoint(savepoint);
                } else {
                    connection.rollback(savepoint);
                }
            }
            return read;
        } catch (SQLException e) {
            throw new DatabaseException("Could not check the run before its first changeset: " + e.getMessage(), e);
        }
    }

    private static boolean keepsRows(Change change) {
        if (change instanceof AbstractSQLChange sql) {
            for (DestructiveSql.Reading reading : DestructiveSql.read(sql.getSql() == null ? "" : sql.getSql())) {
                String statement = reading.statement().strip().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ") + " ";
                boolean plainDdl = KEEPING_SQL.stream().anyMatch(statement::startsWith)
                        && !(statement.startsWith("alter table ") && statement.contains(" rename "))
                        && !(statement.startsWith("alter table ") && statement.contains(" type "))
                        && !(statement.startsWith("create ") && statement.contains(" as select "));
                if (reading.unreadable() != null || !plainDdl) {
                    return false;
                }
            }
            return true;
        }
        return KEEP_ROWS.contains(change.getClass());
    }

    /** update */
    @CommandOverride(override = UpdateCommandStep.class)
    public static class Update extends UpdateCommandStep {
        @Override
        protected void preRun(CommandScope scope, ChangeLogIterator iterator, ChangeLogParameters parameters) throws LiquibaseException {
            super.preRun(scope, iterator, parameters);
            check(this, scope);
        }
    }

    /** update-count */
    @CommandOverride(override = UpdateCountCommandStep.class)
    public static class UpdateCount extends UpdateCountCommandStep {
        @Override
        protected void preRun(CommandScope scope, ChangeLogIterator iterator, ChangeLogParameters parameters) throws LiquibaseException {
            super.preRun(scope, iterator, parameters);
            check(this, scope);
        }
    }

    /** update-to-tag */
    @CommandOverride(override = UpdateToTagCommandStep.class)
    public static class UpdateToTag extends UpdateToTagCommandStep {
        @Override
        protected void preRun(CommandScope scope, ChangeLogIterator iterator, ChangeLogParameters parameters) throws LiquibaseException {
            super.preRun(scope, iterator, parameters);
            check(this, scope);
        }
    }
}
