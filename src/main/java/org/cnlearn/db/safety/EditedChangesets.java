package org.cnlearn.db.safety;

import liquibase.exception.LiquibaseException;
import liquibase.exception.ValidationFailedException;

import java.util.List;

/**
 * Applied changesets whose file was edited since (Liquibase's checksum check), told with what to do:
 * an applied changeset is history, so the file goes back as it was and the change becomes a new
 * changeset.
 */
public final class EditedChangesets extends ExplainedFailure {

    private static final long serialVersionUID = 1L;

    private EditedChangesets(String message, ValidationFailedException cause) {
        super(message, cause);
    }

    /** The failure to throw for Liquibase's validation failure: this, when it is edited changesets alone. */
    static LiquibaseException of(ValidationFailedException failure) {
        List<String> edited = failure.getInvalidMD5Sums();
        // each: "FILE::ID::AUTHOR was: 9:... but is now: 9:..."; below them, any other finding of the validation
        if (edited.isEmpty() || !failure.getMessage().strip().lines().skip(2 + edited.size()).allMatch(String::isBlank)) {
            return failure;
        }
        StringBuilder message = new StringBuilder(edited.size() == 1
                ? "An applied changeset was edited since it was applied, so nothing was run: the database holds what it said then."
                : edited.size() + " applied changesets were edited since they were applied, so nothing was run: the database"
                        + " holds what they said then.");
        for (String line : edited) {
            message.append("\n  ").append(line.strip().replace(" was: ", ": its checksum was ").replace(" but is now: ", ", it is now "));
        }
        String file = edited.get(0).split("::", 2)[0];
        message.append("\n  Next: put the file back as it was (git log -p ").append(file)
                .append(") and make the change a new changeset (docs/authoring.md).");
        return new EditedChangesets(message.toString(), failure);
    }
}
