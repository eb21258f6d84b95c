package org.cnlearn.db.safety;

import liquibase.CatalogAndSchema;
import liquibase.command.CommandOverride;
import liquibase.command.CommandResultsBuilder;
import liquibase.command.CommandScope;
import liquibase.command.core.DropAllCommandStep;
import liquibase.database.Database;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.CommandExecutionException;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * dropAll ({@code ./mvnw liquibase:dropAll}, and update's dropFirst) with the data-loss guard in
 * front: where a table it would drop holds rows, it is refused before anything is dropped, naming the
 * tables and their rows; with -DallowDataLoss=true it drops, as stock Liquibase does. Liquibase's own
 * history tables are not counted: they go with the schema they describe.
 */
@CommandOverride(override = DropAllCommandStep.class)
public class GuardedDropAllCommandStep extends DropAllCommandStep {

    @Override
    public void run(CommandResultsBuilder resultsBuilder) throws Exception {
        CommandScope scope = resultsBuilder.getCommandScope();
        Database database = (Database) scope.getDependency(Database.class);
        if (!DataLossGuard.allowed() && database.getConnection() instanceof JdbcConnection jdbc) {
            Connection connection = jdbc.getUnderlyingConnection();
            List<String> history = List.of(database.getDatabaseChangeLogTableName().toLowerCase(Locale.ROOT),
                    database.getDatabaseChangeLogLockTableName().toLowerCase(Locale.ROOT));
            Map<String, Long> rows = new LinkedHashMap<>();
            for (String schema : schemas(scope, database)) {
                rows.putAll(DataLossGuard.rowsInSchema(connection, schema, history));
            }
            if (!rows.isEmpty()) {
                throw new CommandExecutionException("Refusing to drop all: " + DataLossGuard.describe(rows) + " would be lost."
                        + " Nothing was dropped. If this is the database you mean to empty, run again with " + DataLossGuard.flagSetting() + ".");
            }
        }
        super.run(resultsBuilder);
    }

    /** The schemas dropAll empties, as it reads its arguments: the ones given, else the default schema. */
    private static List<String> schemas(CommandScope scope, Database database) {
        List<String> schemas = new ArrayList<>();
        CatalogAndSchema[] given = scope.getArgumentValue(CATALOG_AND_SCHEMAS_ARG);
        String named = scope.getArgumentValue(SCHEMAS_ARG);
        if (given != null && given.length > 0) {
            for (CatalogAndSchema schema : given) {
                schemas.add(schema.getSchemaName() != null ? schema.getSchemaName() : database.getDefaultSchemaName());
            }
        } else if (named != null && !named.isBlank()) {
            for (String schema : named.split(",")) {
                schemas.add(new CatalogAndSchema(null, schema.strip()).customize(database).getSchemaName());
            }
        } else {
            schemas.add(database.getDefaultSchemaName());
        }
        return schemas;
    }
}
