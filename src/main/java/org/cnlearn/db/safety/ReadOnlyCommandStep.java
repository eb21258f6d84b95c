package org.cnlearn.db.safety;

import liquibase.Scope;
import liquibase.command.CommandOverride;
import liquibase.command.CommandResultsBuilder;
import liquibase.command.core.helpers.DatabaseChangelogCommandStep;
import liquibase.exception.ValidationFailedException;

import java.util.Set;

/**
 * The step that reads the changelog and readies Liquibase's history table, for every command that
 * needs the changelog. For a command that only reads (status, validate, diff, and the *Sql commands,
 * which write SQL, not to the database), it says so in Liquibase's scope ({@link #READS_ONLY}), and
 * {@link LockedChangeLogHistoryService} then creates nothing: a command that reads leaves the
 * database as it found it, and works on a standby or with a role that may only read. Edited applied
 * changesets, which Liquibase finds here, are told with what to do ({@link EditedChangesets}).
 */
@CommandOverride(override = DatabaseChangelogCommandStep.class)
public class ReadOnlyCommandStep extends DatabaseChangelogCommandStep {

    /** A scope key: true while a command that only reads readies the history. */
    public static final String READS_ONLY = "cnlearn.readsOnly";

    private static final Set<String> READING = Set.of("status", "validate", "diff", "diffChangelog", "unexpectedChangesets",
            "tagExists", "calculateChecksum", "dbDoc", "history");

    @Override
    public void run(CommandResultsBuilder resultsBuilder) throws Exception {
        try {
            readyHistory(resultsBuilder);
        } catch (ValidationFailedException e) {
            throw EditedChangesets.of(e); // Liquibase validates the changelog here
        }
    }

    private void readyHistory(CommandResultsBuilder resultsBuilder) throws Exception {
        String[] name = resultsBuilder.getCommandScope().getCommand().getName();
        String command = name.length == 0 ? "" : name[name.length - 1];
        if (READING.contains(command) || command.endsWith("Sql") || command.endsWith("SQL")) {
            Scope.child(READS_ONLY, true, () -> super.run(resultsBuilder));
        } else {
            super.run(resultsBuilder);
        }
    }
}
