package org.cnlearn.db.safety;

import liquibase.Scope;
import liquibase.change.Change;
import liquibase.change.core.CreateTableChange;
import liquibase.changelog.ChangeSet;
import liquibase.database.core.PostgresDatabase;
import liquibase.exception.DatabaseException;
import liquibase.exception.LiquibaseException;
import org.cnlearn.db.catalog.StoredData;
import org.cnlearn.db.catalog.TableShape;
import org.cnlearn.db.report.SupersededLines;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Adopting tables that exist already (a crash of stock Liquibase between its DDL and its history row, or the
 * application's Alembic revision): a changeset that creates them is recorded as applied, keeping every row,
 * only when they are exactly what it builds; in any other shape it is refused, with what differs.
 */
final class TableAdoption {

    /** The scratch schema the existing tables are moved to while the changeset is built beside them. */
    static final String CHECK_SCHEMA = "cnlearn_adoption_check";

    /** Runs one change's statements on the database as stock Liquibase would (no safety layer around it). */
    @FunctionalInterface
    interface Build {
        void run(Change change) throws LiquibaseException;
    }

    private TableAdoption() {
    }

    /**
     * When the changeset's tables exist already: build the changeset beside them (the existing ones
     * moved aside to a scratch schema, inside a savepoint that is always rolled back), compare, and
     * either adopt them (true: the caller records the changeset as applied and skips its statements) or
     * refuse. False when none of its tables exists.
     */
    static boolean adopt(Connection connection, PostgresDatabase database, ChangeSet changeSet, Build build) throws LiquibaseException {
        List<String> created = new ArrayList<>();
        for (Change change : changeSet.getChanges()) {
            if (change instanceof CreateTableChange) {
                created.add(((CreateTableChange) change).getTableName());
            }
        }
        if (created.isEmpty()) {
            return false;
        }
        String schema = database.getDefaultSchemaName();
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
                    statement.execute("ALTER TABLE " + database.escapeTableName(null, schema, table) + " SET SCHEMA " + CHECK_SCHEMA);
                }
                for (Change change : changeSet.getChanges()) {
                    build.run(change);
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
                Scope.getCurrentScope().getUI().sendMessage("Table " + database.escapeTableName(null, schema, table) + " already exists"
                        + " exactly as changeset " + changeSet.getId() + " builds it: recording the changeset as applied and"
                        + " keeping its " + DataLossGuard.amount(StoredData.count(connection, database.escapeTableName(null, schema, table), null)) + ".");
            }
            // Liquibase logs each change's "Table user created" once this returns: nothing was created
            for (Change change : changeSet.getChanges()) {
                SupersededLines.supersede(change.getConfirmationMessage());
            }
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

}
