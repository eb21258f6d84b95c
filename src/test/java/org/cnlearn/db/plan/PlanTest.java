package org.cnlearn.db.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import liquibase.resource.DirectoryResourceAccessor;
import org.cnlearn.db.Migrations;
import org.cnlearn.db.TestDatabase;
import org.cnlearn.db.TestServer;
import org.cnlearn.db.connection.ConnectionSettings;
import org.cnlearn.db.plan.StatementTracer.Lock;
import org.cnlearn.db.report.JsonDocument;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** cnlearn:plan on the target: a rewrite of 200,000 rows is risky, a concurrent index build is not; the target is only read. */
class PlanTest {

    @TempDir
    static Path folder;
    private static PlanTarget target;
    private static String stateBefore;
    private static PlanReport plan;
    private static final List<String> info = new ArrayList<>();

    @BeforeAll
    static void plan() throws Exception {
        target = PlanTarget.create(folder);
        stateBefore = target.state();
        plan = Plan.make(target.asReader(), Plan::embedded, new DirectoryResourceAccessor(target.project), Migrations.CHANGELOG,
                Plan.DEFAULT_RISKY_ROWS, info::add);
    }

    @AfterAll
    static void drop() {
        target.close();
    }

    @Test
    void aTypeChangeThatRewritesAFullTableIsRisky() {
        PlanReport.Changeset changeset = plan.changesets().get(0);
        assertEquals("0002-user-id-bigint", changeset.id());
        assertEquals(1, changeset.statements().size(), () -> changeset.statements().toString());
        PlanReport.Statement statement = changeset.statements().get(0);
        assertTrue(statement.sql().contains("TYPE BIGINT"), statement.sql());
        assertTrue(statement.locks().contains(new Lock("public.user", "AccessExclusiveLock")), statement.locks().toString());
        assertEquals(List.of("public.user"), statement.rewrites());
        long rows = statement.targetSizes().get("public.user").rows();
        assertTrue(Math.abs(rows - PlanTarget.ROWS) < PlanTarget.ROWS / 10, "about 200,000 rows: " + rows);
        assertNotNull(statement.risk(), "a rewrite of 200,000 rows under AccessExclusiveLock");
        assertTrue(statement.inTransaction());
    }

    @Test
    void aConcurrentIndexBuildTakesOnlyShareUpdateExclusiveAndRewritesNothing() {
        PlanReport.Changeset changeset = plan.changesets().get(1);
        assertEquals("0003-index-user-is-active", changeset.id());
        assertEquals(1, changeset.statements().size(), () -> changeset.statements().toString());
        PlanReport.Statement statement = changeset.statements().get(0);
        assertEquals(List.of(new Lock("public.user", "ShareUpdateExclusiveLock")), statement.locks());
        assertEquals(List.of(), statement.rewrites());
        assertEquals(List.of("public.user"), statement.scans(), "it reads the whole table, as the build does");
        assertNull(statement.risk(), "writes go on while it builds");
        assertFalse(statement.inTransaction());
    }

    @Test
    void belowTheThresholdTheSameRewriteIsNotRisky() throws Exception {
        PlanReport quiet = Plan.make(target.asReader(), Plan::embedded, new DirectoryResourceAccessor(target.project), Migrations.CHANGELOG,
                PlanTarget.ROWS + PlanTarget.ROWS / 2, line -> { });
        assertEquals(List.of("public.user"), quiet.changesets().get(0).statements().get(0).rewrites());
        assertEquals(0, quiet.risky(), () -> String.join("\n", PlanOutput.text(quiet)));
        assertEquals(stateBefore, target.state());
    }

    /** A target that works in another schema (?currentSchema=app): the copy is built, and traced, in that schema. */
    @Test
    void aTargetInAnotherSchemaIsPlannedInThatSchema(@TempDir Path other) throws Exception {
        try (TestDatabase db = TestServer.get().createDatabase("plan_schema")) {
            db.execute("CREATE SCHEMA app");
            db.execute("ALTER DATABASE " + db.name() + " SET search_path TO app"); // what ?currentSchema=app gives each session
            Migrations.update(db);
            db.execute("INSERT INTO app.\"user\" (email) SELECT 'user' || g || '@example.org' FROM generate_series(1, 100) g");
            PlanReport inApp = Plan.make(ConnectionSettings.explicit(db.url(), db.username(), db.password()), Plan::embedded,
                    new DirectoryResourceAccessor(PlanTarget.project(other, "0003-index-user-is-active.yaml")), Migrations.CHANGELOG,
                    Plan.DEFAULT_RISKY_ROWS, line -> { });
            assertEquals(List.of(), inApp.drift(), "the copy is not the target's schema");
            PlanReport.Changeset index = inApp.changesets().get(0);
            assertNull(index.failure(), index.failure());
            assertEquals(List.of(new Lock("app.user", "ShareUpdateExclusiveLock")), index.statements().get(0).locks());
        }
    }

    @Test
    void theTargetIsLeftAsItWasWithNoLockOrSession() throws Exception {
        assertEquals(stateBefore, target.state());
        assertEquals(0, target.leftBehind());
        assertEquals(List.of(), plan.drift());
    }

    @Test
    void theJsonSaysTheSame() throws Exception {
        JsonNode json = new ObjectMapper().readTree(PlanOutput.json(plan));
        assertEquals("plan", json.get("report").asText());
        assertEquals(JsonDocument.VERSION, json.get("version").asInt());
        JsonNode rewrite = json.get("changesets").get(0).get("statements").get(0);
        assertEquals("public.user", rewrite.get("locks").get(0).get("relation").asText());
        assertTrue(rewrite.get("locks").findValuesAsText("mode").contains("AccessExclusiveLock"));
        assertEquals("public.user", rewrite.get("rewrites").get(0).asText());
        assertTrue(Math.abs(rewrite.get("target_rows").get("public.user").asLong() - PlanTarget.ROWS) < PlanTarget.ROWS / 10);
        assertTrue(rewrite.get("risky").asBoolean());
        JsonNode index = json.get("changesets").get(1).get("statements").get(0);
        assertEquals(1, index.get("locks").size());
        assertEquals("ShareUpdateExclusiveLock", index.get("locks").get(0).get("mode").asText());
        assertEquals(0, index.get("rewrites").size());
        assertFalse(index.get("risky").asBoolean());
        assertEquals(1, json.get("risky").asInt());
    }

    @Test
    void theTextNamesTheTargetAndMarksTheRiskyStatement() {
        System.out.println(String.join("\n", info) + "\n" + String.join("\n", PlanOutput.text(plan)) + "\n" + PlanOutput.json(plan)
                + PlanOutput.markdown(plan));
        assertTrue(info.get(0).startsWith("[cnlearn-db] database: ") && info.get(0).contains(" as " + target.reader + ", "), info.get(0));
        List<String> text = PlanOutput.text(plan);
        assertEquals(1, text.stream().filter(line -> line.strip().startsWith("RISKY: ")).count(), String.join("\n", text));
        assertEquals("1 of 2 statements is risky.", text.get(text.size() - 1));
    }
}
