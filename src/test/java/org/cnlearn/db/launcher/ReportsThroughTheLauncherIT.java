package org.cnlearn.db.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.cnlearn.db.TestDatabase;
import org.cnlearn.db.TestServer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** bin/cnlearn-db --format=json (status, update, history, validate, rollback-count): the document alone on standard output, every message on standard error. */
class ReportsThroughTheLauncherIT {

    @Test
    void statusAsJsonListsWhatIsPendingThenNothing() throws Exception {
        try (TestDatabase db = TestServer.get().createDatabase("launcher_json")) {
            Map<String, String> env = Distribution.envFor(db);
            Distribution.Run pending = Distribution.launch(Distribution.BUILT, env, "status", "--format=json").assertSucceeded();
            JsonNode before = new ObjectMapper().readTree(pending.out()); // the whole of standard output: one document
            assertEquals("status", before.get("report").asText());
            assertFalse(before.get("up_to_date").asBoolean());
            assertEquals(List.of("0001-create-user-table"), textValues(before.get("pending")));
            assertEquals("db-changelog/changes/0001-create-user-table.yaml", before.get("changesets").get(0).get("file").asText());
            assertTrue(pending.err().contains("[cnlearn-db] database: "), pending.err());

            Distribution.Run update = Distribution.launch(Distribution.BUILT, env, "update", "--format=json").assertSucceeded();
            JsonNode applied = new ObjectMapper().readTree(update.out());
            assertEquals(List.of("0001-create-user-table"), applied.get("applied").findValuesAsText("id"));
            assertTrue(update.err().contains("Table user created"), "what the changeset did, on standard error: " + update.err());
            JsonNode history = new ObjectMapper().readTree(Distribution.launch(Distribution.BUILT, env, "history", "--format=json")
                    .assertSucceeded().out());
            assertEquals(List.of("0001-create-user-table"), history.get("applied").findValuesAsText("id"));
            Distribution.Run upToDate = Distribution.launch(Distribution.BUILT, env, "status", "--format=json").assertSucceeded();
            JsonNode after = new ObjectMapper().readTree(upToDate.out());
            assertTrue(after.get("up_to_date").asBoolean(), upToDate.all());
            assertEquals(0, after.get("pending").size());

            Distribution.Run validate = Distribution.launch(Distribution.BUILT, env, "validate", "--format=json").assertSucceeded();
            JsonNode lint = new ObjectMapper().readTree(validate.out());
            assertEquals("validate", lint.get("report").asText());
            assertTrue(lint.get("ok").asBoolean(), validate.all());
            assertEquals(0, lint.get("findings").size());

            JsonNode rolledBack = new ObjectMapper().readTree(Distribution.launch(Distribution.BUILT, env, "rollback-count", "--count=1",
                    "--format=json").assertSucceeded().out());
            assertEquals(List.of("0001-create-user-table"), rolledBack.get("rolled_back").findValuesAsText("id"));

            Distribution.Run text = Distribution.launch(Distribution.BUILT, env, "status").assertSucceeded();
            assertTrue(text.out().contains("[cnlearn-db] database: "), "in text, the messages are on standard output: " + text.all());
        }
    }

    @Test
    void planMakesItsCopyOnTheScratchServerAndLeavesNothingThere(@org.junit.jupiter.api.io.TempDir java.nio.file.Path folder) throws Exception {
        java.util.Map<String, String> pending = new java.util.LinkedHashMap<>();
        for (String file : List.of("0002-user-id-bigint", "0003-index-user-is-active")) {
            String yaml = org.cnlearn.db.Migrations.resource("plan/" + file + ".yaml");
            pending.put(file, yaml.substring(yaml.indexOf("databaseChangeLog:\n") + "databaseChangeLog:\n".length()));
        }
        java.nio.file.Path distribution = Distribution.withChangesets(folder, pending);
        try (TestDatabase db = TestServer.get().createDatabase("launcher_plan")) {
            org.cnlearn.db.Migrations.update(db);
            db.execute("INSERT INTO \"user\" (email) SELECT 'user' || g || '@example.org' FROM generate_series(1, 1000) g");
            db.execute("ANALYZE \"user\"");
            String reader = db.name() + "_reader";
            db.execute("CREATE ROLE " + reader + " LOGIN PASSWORD 'reader-secret'");
            db.execute("GRANT pg_read_all_data TO " + reader);
            try {
                Map<String, String> env = Map.of("LIQUIBASE_COMMAND_URL", db.url(), "LIQUIBASE_COMMAND_USERNAME", reader,
                        "LIQUIBASE_COMMAND_PASSWORD", "reader-secret");
                String scratch = db.url().replaceFirst("^(jdbc:postgresql://[^/?]*)(/[^?]*)?", "$1/postgres")
                        + (db.url().contains("?") ? "&" : "?") + "user=" + db.username()
                        + (db.password() == null ? "" : "&password=" + db.password());
                Distribution.Run plan = Distribution.launch(distribution, env, "plan", "--scratch-url=" + scratch, "--risky-rows=500",
                        "--format=json").assertSucceeded();
                JsonNode json = new ObjectMapper().readTree(plan.out());
                assertEquals("plan", json.get("report").asText());
                assertEquals(1, json.get("risky").asInt(), plan.all());
                JsonNode rewrite = json.get("changesets").get(0).get("statements").get(0);
                assertTrue(rewrite.get("locks").findValuesAsText("mode").contains("AccessExclusiveLock"), rewrite.toString());
                assertEquals("public.user", rewrite.get("rewrites").get(0).asText());
                JsonNode index = json.get("changesets").get(1).get("statements").get(0);
                assertEquals(List.of("ShareUpdateExclusiveLock"), index.get("locks").findValuesAsText("mode"));
                assertTrue(plan.err().contains("[cnlearn-db] database: "), plan.err());
                assertEquals(0, db.count("SELECT count(*) FROM pg_database WHERE datname LIKE 'cnlearn\\_scratch\\_%'"), "a scratch database left");
                assertEquals(List.of("0001-create-user-table"), db.appliedChangesets());

                Distribution.Run noScratch = Distribution.launch(distribution, env, "plan");
                assertEquals(Main.USAGE, noScratch.exitCode(), noScratch.all());
                assertTrue(noScratch.err().startsWith("[cnlearn-db] plan needs --scratch-url=URL: "), noScratch.err());
            } finally {
                db.close();
                TestServer.get().dropRole(reader);
            }
        }
    }

    @Test
    void anotherFormatIsAUsageError() throws Exception {
        Distribution.Run run = Distribution.launch(Distribution.BUILT, Map.of(), "status", "--format=xml");
        assertEquals(Main.USAGE, run.exitCode(), run.all());
        assertTrue(run.err().startsWith("[cnlearn-db] --format must be text or json; it is 'xml'. Nothing was changed."), run.err());
    }

    private static List<String> textValues(JsonNode array) {
        List<String> values = new java.util.ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }
}
