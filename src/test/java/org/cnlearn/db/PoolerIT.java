package org.cnlearn.db;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real goals behind a real PgBouncer: refused in transaction mode, every guarantee kept in session mode. */
class PoolerIT {

    private static final List<String> ALEMBIC_SHAPE = Migrations.expectedLines("expected/user-table.txt");

    @Test
    void updateThroughATransactionPoolFailsNamingThePoolingAndChangesNothing() throws Exception {
        try (TestDatabase db = TestServer.get().createDatabase("goal_txn_pool")) {
            TestDatabase pooled = db.through(PgBouncer.get(PgBouncer.Mode.TRANSACTION).address());
            MavenRun run = MavenRun.run(MavenRun.envFor(pooled), "liquibase:update");
            run.assertReadableFailure(" is a connection pooler in transaction mode: ");
            assertTrue(run.output.contains("Point LIQUIBASE_COMMAND_URL at the database itself, or at a pool in session mode"), run.output);
            assertEquals(List.of(), db.objectsIn("public"), "something was created through the transaction pool");
        }
    }

    @Test
    void theGoalsWorkThroughASessionPool() throws Exception {
        try (TestDatabase db = TestServer.get().createDatabase("goal_session_pool")) {
            TestDatabase pooled = db.through(PgBouncer.get(PgBouncer.Mode.SESSION).address());
            MavenRun run = MavenRun.run(MavenRun.envFor(pooled), "liquibase:update", "liquibase:status", "liquibase:rollback",
                    "-Dliquibase.rollbackCount=1", "liquibase:update", "liquibase:history").assertSucceeded();
            assertTrue(run.goal("status").contains("is up to date"), run.output);
            assertTrue(run.goal("rollback").contains("Rolling Back Changeset: db-changelog/changes/0001-create-user-table.yaml"), run.output);
            assertTrue(run.goal("history").contains("0001-create-user-table"), run.output);
            assertEquals(ALEMBIC_SHAPE, db.userTableShape());
            assertEquals(List.of("0001-create-user-table"), db.appliedChangesets());
        }
    }
}
