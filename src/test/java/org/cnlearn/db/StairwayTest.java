package org.cnlearn.db;

import liquibase.changelog.ChangeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The stairway: for each changeset of the master changelog, in order, update one, roll back one
 * (which must restore exactly the schema before it), update one again. A changeset added later is
 * covered with no edit here. Last, a full rollback must leave only Liquibase's own tables.
 */
class StairwayTest {

    private static TestDatabase db;

    @BeforeAll
    static void createDatabase() {
        db = TestServer.get().createDatabase("stairway");
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    @TestFactory
    Stream<DynamicTest> eachChangesetGoesUpDownAndUpAgain() throws Exception {
        List<ChangeSet> changesets = Migrations.changesets();
        assertFalse(changesets.isEmpty(), "the master changelog includes no changeset");
        List<DynamicTest> steps = new ArrayList<>();
        for (int i = 0; i < changesets.size(); i++) {
            ChangeSet changeset = changesets.get(i);
            int applied = i + 1;
            steps.add(DynamicTest.dynamicTest(changeset.getId(), () -> {
                List<String> before = db.projectObjects();
                Migrations.updateCount(db, 1);
                List<String> after = db.projectObjects();
                assertEquals(applied, db.appliedChangesets().size());
                assertEquals(changeset.getId(), db.appliedChangesets().get(applied - 1));

                Migrations.rollbackCount(db, 1);
                assertEquals(before, db.projectObjects(), "rolling back " + changeset.getId() + " left a difference");
                assertEquals(applied - 1, db.appliedChangesets().size());

                Migrations.updateCount(db, 1);
                assertEquals(after, db.projectObjects(), changeset.getId() + " applied again builds something else");
            }));
        }
        steps.add(DynamicTest.dynamicTest("full rollback leaves only Liquibase's tables", () -> {
            Migrations.rollbackCount(db, changesets.size());
            assertEquals(List.of(), db.projectObjects());
            assertEquals(List.of(), db.appliedChangesets());
        }));
        return steps.stream();
    }
}
