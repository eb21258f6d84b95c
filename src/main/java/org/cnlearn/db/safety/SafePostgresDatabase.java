package org.cnlearn.db.safety;

import liquibase.Scope;
import org.cnlearn.db.catalog.TableShape;
import liquibase.change.Change;
import liquibase.change.core.CreateTableChange;
import liquibase.change.core.DropColumnChange;
import liquibase.change.core.DropTableChange;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.database.core.PostgresDatabase;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.DatabaseException;
import liquibase.exception.LiquibaseException;
import liquibase.executor.ExecutorService;
import liquibase.executor.LoggingExecutor;
import liquibase.sql.visitor.SqlVisitor;
import liquibase.statement.SqlStatement;
import liquibase.statement.core.DropColumnStatement;
import liquibase.statement.core.DropTableStatement;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
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
 * shape it is refused, with what differs;</li>
 * <li>dropping a table or column that holds data is refused unless -DallowDataLoss=true.</li>
 * </ul>
 */
public class SafePostgresDatabase extends PostgresDatabase {

    public static final String ALLOW_DATA_LOSS = "allowDataLoss";
    /** A scope key: how the front end running Liquibase spells "allow data loss", for the refusal's message. */
    public static final String ALLOW_DATA_LOSS_SETTING = "cnlearn.allowDataLossSetting";
    static final String CHECK_SCHEMA = "cnlearn_adoption_check";

    /** True from a changeset's first statement until its history row is written. */
    private boolean changesetInFlight;
    private final Set<ChangeSet> adopted = new HashSet<>();
    private final Set<ChangeSet> adoptionChecked = new HashSet<>();

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
            if (adopted.contains(changeSet) || (adoptionChecked.add(changeSet) && adoptExistingTables(changeSet))) {
                return;
            }
            if (change instanceof DropTableChange || change instanceof DropColumnChange) {
                refuseDataLoss(change.generateStatements(this));
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
            refuseDataLoss(statements);
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
    }

    @Override
    public void markChangeSetExecStatus(ChangeSet changeSet, ChangeSet.ExecType execType) throws DatabaseException {
        if (!generatingSql()) {
            SessionLockService.requireHeldBy(jdbc(), "changeset " + changeSet.getId());
        }
        // an adopted changeset ran nothing: its record says so
        super.markChangeSetExecStatus(changeSet, adopted.contains(changeSet) ? ChangeSet.ExecType.MARK_RAN : execType);
        changesetInFlight = false;
        commit();
    }

    @Override
    public void removeRanStatus(ChangeSet changeSet) throws DatabaseException {
        if (!generatingSql()) {
            SessionLockService.requireHeldBy(jdbc(), "the rollback of changeset " + changeSet.getId());
        }
        super.removeRanStatus(changeSet);
        changesetInFlight = false;
        commit();
    }

    /**
     * When the changeset's tables exist already: build the changeset beside them (the existing ones
     * moved aside to a scratch schema, inside a savepoint that is always rolled back), compare, and
     * either adopt them (true: the changeset's statements are skipped) or refuse.
     */
    private boolean adoptExistingTables(ChangeSet changeSet) throws LiquibaseException {
        List<String> created = new ArrayList<>();
        for (Change change : changeSet.getChanges()) {
            if (change instanceof CreateTableChange) {
                created.add(((CreateTableChange) change).getTableName());
            }
        }
        if (created.isEmpty()) {
            return false;
        }
        String schema = getDefaultSchemaName();
        Connection connection = jdbc();
        try {
            List<String> existing = new ArrayList<>();
            for (String table : created) {
                if (!TableShape.describe(connection, schema, table).isEmpty()) {
                    existing.add(table);
                }
            }
            if (existing.isEmpty()) {
                return false;
            }
            if (existing.size() < created.size()) {
                throw new DatabaseException("Changeset " + changeSet.getId() + " creates tables " + created + ", but only "
                        + existing + " exist already. Nothing was changed: finish or undo the half-built schema by hand, then run update again.");
            }
            List<String> differences = new ArrayList<>();
            Savepoint savepoint = connection.setSavepoint();
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE SCHEMA " + CHECK_SCHEMA);
                for (String table : existing) {
                    statement.execute("ALTER TABLE " + escapeTableName(null, schema, table) + " SET SCHEMA " + CHECK_SCHEMA);
                }
                for (Change change : changeSet.getChanges()) {
                    super.executeStatements(change, changeSet.getChangeLog(), List.of());
                }
                for (String table : existing) {
                    differences.addAll(compare(table, TableShape.describe(connection, schema, table),
                            TableShape.describe(connection, CHECK_SCHEMA, table)));
                }
            } finally {
                connection.rollback(savepoint);
            }
            if (!differences.isEmpty()) {
                throw new DatabaseException("Changeset " + changeSet.getId() + " would create " + existing + ", which exist"
                        + " already in another shape: " + String.join("; ", differences) + ". Nothing was changed. Make the"
                        + " table match the changeset (or drop it if it holds nothing of value), then run update again.");
            }
            for (String table : existing) {
                Scope.getCurrentScope().getUI().sendMessage("Table " + escapeTableName(null, schema, table) + " already exists"
                        + " exactly as changeset " + changeSet.getId() + " builds it: recording the changeset as applied and"
                        + " keeping its " + rows(connection, escapeTableName(null, schema, table), null) + " rows.");
            }
            adopted.add(changeSet);
            return true;
        } catch (SQLException e) {
            throw new DatabaseException("Could not compare the existing tables with changeset " + changeSet.getId() + ": " + e.getMessage(), e);
        }
    }

    private static List<String> compare(String table, List<String> built, List<String> found) {
        List<String> differences = new ArrayList<>();
        for (String line : built) {
            if (!found.contains(line)) {
                differences.add(table + " lacks [" + line + "]");
            }
        }
        for (String line : found) {
            if (!built.contains(line)) {
                differences.add(table + " has [" + line + "], which the changeset does not build");
            }
        }
        if (differences.isEmpty() && !built.equals(found)) {
            differences.add(table + " has its columns in another order");
        }
        return differences;
    }

    private void refuseDataLoss(SqlStatement[] statements) throws DatabaseException {
        if (statements == null || allowDataLoss()) {
            return;
        }
        Connection connection = jdbc();
        for (SqlStatement statement : statements) {
            try {
                if (statement instanceof DropTableStatement) {
                    DropTableStatement drop = (DropTableStatement) statement;
                    String table = escapeTableName(drop.getCatalogName(), schemaOf(drop.getSchemaName()), drop.getTableName());
                    refuseIfAny(rows(connection, table, null), "drop table " + table);
                } else if (statement instanceof DropColumnStatement) {
                    DropColumnStatement drop = (DropColumnStatement) statement;
                    List<DropColumnStatement> columns = drop.isMultiple() ? drop.getColumns() : List.of(drop);
                    for (DropColumnStatement column : columns) {
                        String table = escapeTableName(column.getCatalogName(), schemaOf(column.getSchemaName()), column.getTableName());
                        String name = escapeObjectName(column.getColumnName(), liquibase.structure.core.Column.class);
                        refuseIfAny(rows(connection, table, name), "drop column " + name + " of " + table);
                    }
                }
            } catch (SQLException e) {
                throw new DatabaseException("Could not count what " + statement.getClass().getSimpleName() + " would drop: " + e.getMessage(), e);
            }
        }
    }

    /** -DallowDataLoss=true, or the same key in Liquibase's scope (how a program embedding Liquibase says it). */
    private static boolean allowDataLoss() {
        Boolean scoped = Scope.getCurrentScope().get(ALLOW_DATA_LOSS, Boolean.class);
        return scoped != null ? scoped : Boolean.getBoolean(ALLOW_DATA_LOSS);
    }

    private static String allowDataLossSetting() {
        String setting = Scope.getCurrentScope().get(ALLOW_DATA_LOSS_SETTING, String.class);
        return setting != null ? setting : "-D" + ALLOW_DATA_LOSS + "=true";
    }

    private static void refuseIfAny(long rows, String action) throws DatabaseException {
        if (rows > 0) {
            throw new DatabaseException("Refusing to " + action + ": it holds " + rows + (rows == 1 ? " row" : " rows")
                    + " of data, which would be lost. Nothing was changed. To drop them anyway, run again with "
                    + allowDataLossSetting() + ".");
        }
    }

    /** Rows of the table (with a non-null value in the column, if one is named); 0 if it does not exist. */
    private static long rows(Connection connection, String table, String column) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet exists = statement.executeQuery("SELECT to_regclass('" + table.replace("'", "''") + "') IS NOT NULL")) {
            exists.next();
            if (!exists.getBoolean(1)) {
                return 0;
            }
        }
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT count(*) FROM " + table + (column == null ? "" : " WHERE " + column + " IS NOT NULL"))) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private String schemaOf(String schema) {
        return schema != null ? schema : getDefaultSchemaName();
    }

    private boolean generatingSql() {
        return generatingSql(this);
    }

    /** A *Sql command is running: its statements go to a script, not to the database. */
    static boolean generatingSql(liquibase.database.Database database) {
        return Scope.getCurrentScope().getSingleton(ExecutorService.class).getExecutor("jdbc", database) instanceof LoggingExecutor;
    }

    private Connection jdbc() throws DatabaseException {
        if (!(getConnection() instanceof JdbcConnection)) {
            throw new DatabaseException("this check needs a live database connection");
        }
        return ((JdbcConnection) getConnection()).getUnderlyingConnection();
    }
}
