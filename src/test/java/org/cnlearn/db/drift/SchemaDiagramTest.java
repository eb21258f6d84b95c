package org.cnlearn.db.drift;

import org.cnlearn.db.Migrations;
import org.cnlearn.db.TestDatabase;
import org.cnlearn.db.TestServer;
import org.cnlearn.db.catalog.SchemaCatalog;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.sql.Connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/getting-started.md's schema diagram is what the changelog builds today. */
class SchemaDiagramTest {

    private static String diagramOf(String changelog) throws Exception {
        try (TestDatabase db = TestServer.get().createDatabase("diagram")) {
            Migrations.update(db, changelog);
            try (Connection connection = db.connect()) {
                return SchemaDiagram.mermaid(SchemaCatalog.read(connection));
            }
        }
    }

    @Test
    void theGettingStartedDiagramIsTheChangelogsSchema() throws Exception {
        String inGettingStarted = SchemaDiagram.inMarkdown(Files.readString(Migrations.PROJECT_DIR.resolve("docs/getting-started.md")));
        assertNotNull(inGettingStarted, "docs/getting-started.md has no schema diagram between " + SchemaDiagram.START + " and " + SchemaDiagram.END);
        assertEquals(diagramOf(Migrations.CHANGELOG), inGettingStarted,
                "docs/getting-started.md's schema diagram is stale: run ./mvnw -q compile exec:java@schema-diagram and commit docs/getting-started.md");
    }

    @Test
    void aNewChangesetChangesTheDiagram() throws Exception {
        String withNickname = diagramOf("src/test/resources/changelogs/with-pending.yaml");
        assertTrue(withNickname.contains("        text nickname \"null\"\n"), withNickname);
        assertTrue(withNickname.startsWith("```mermaid\nerDiagram\n    user {\n        integer id PK \"not null; auto-increment; index ix_user_id\"\n"),
                withNickname);
        assertTrue(!withNickname.equals(diagramOf(Migrations.CHANGELOG)));
    }

    @Test
    void foreignKeysAreRelationsAndIndexesAreCommentsOnTheirColumns() throws Exception {
        try (TestDatabase db = TestServer.get().createDatabase("diagram_keys")) {
            Migrations.update(db);
            db.execute("CREATE TABLE team (id integer PRIMARY KEY, name text NOT NULL DEFAULT 'new team');"
                    + " ALTER TABLE \"user\" ADD COLUMN team_id integer REFERENCES team (id);"
                    + " CREATE INDEX ix_user_team_email ON \"user\" (team_id, email)");
            try (Connection connection = db.connect()) {
                String diagram = SchemaDiagram.mermaid(SchemaCatalog.read(connection));
                assertTrue(diagram.contains("        integer team_id FK \"null; index ix_user_team_email (team_id, email)\"\n"), diagram);
                assertTrue(diagram.contains("    team {\n        integer id PK \"not null\"\n        text name \"not null; default 'new team'::text\"\n    }\n"), diagram);
                assertTrue(diagram.contains("    team |o--o{ user : \"user_team_id_fkey\"\n"), diagram);
            }
        }
    }
}
