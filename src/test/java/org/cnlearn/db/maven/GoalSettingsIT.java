package org.cnlearn.db.maven;

import org.cnlearn.db.MavenRun;
import org.cnlearn.db.Migrations;
import org.cnlearn.db.TestDatabase;
import org.cnlearn.db.TestServer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A count or a flag the goals cannot use, through the real goals: refused by its name before any goal
 * runs, and nothing changes. Liquibase's plugin applied every pending changeset for changesToApply=0
 * or -1, answered rollbackCount=-1 with "One of the rollback options must be specified" and =abc with
 * "Cannot convert 'abc' to int", and read allowDataLoss=maybe as false without a word.
 */
class GoalSettingsIT {

    @Test
    void changesToApplyOfZeroOrLessAppliesNothing() throws Exception {
        try (TestDatabase db = TestServer.get().createDatabase("changes_to_apply")) {
            for (String count : List.of("-1", "0")) {
                MavenRun.run(MavenRun.envFor(db), "liquibase:update", "-Dliquibase.changesToApply=" + count)
                        .assertReadableFailure("-Dliquibase.changesToApply must be a whole number of changesets, 1 or more; it is '" + count
                                + "'. To undo changesets instead: ./mvnw liquibase:rollback -Dliquibase.rollbackCount=N. Nothing was changed.");
                assertEquals(List.of(), db.objectsIn("public"), "changesToApply=" + count + " changed the database");
            }
        }
    }

    @Test
    void aRollbackCountOrFlagThatCannotBeReadRollsNothingBack() throws Exception {
        try (TestDatabase db = TestServer.get().createDatabase("rollback_count")) {
            Migrations.update(db);
            db.execute("INSERT INTO \"user\" (email, hashed_password, is_active, is_superuser) VALUES ('a@example.org', 'x', true, false)");
            for (String count : List.of("-1", "abc")) {
                MavenRun.run(MavenRun.envFor(db), "liquibase:rollback", "-Dliquibase.rollbackCount=" + count)
                        .assertReadableFailure("-Dliquibase.rollbackCount must be a whole number of changesets, 1 or more; it is '" + count
                                + "'. Nothing was changed.");
            }
            MavenRun.run(MavenRun.envFor(db), "liquibase:rollback", "-Dliquibase.rollbackCount=1", "-DallowDataLoss=maybe")
                    .assertReadableFailure("-DallowDataLoss must be true or false; it is 'maybe'. Nothing was changed.");
            assertEquals(List.of("0001-create-user-table"), db.appliedChangesets());
            assertEquals(1, db.count("SELECT count(*) FROM \"user\""));
        }
    }
}
