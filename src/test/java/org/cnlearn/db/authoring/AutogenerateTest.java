package org.cnlearn.db.authoring;

import liquibase.resource.DirectoryResourceAccessor;
import org.cnlearn.db.Migrations;
import org.cnlearn.db.TestDatabase;
import org.cnlearn.db.TestServer;
import org.cnlearn.db.catalog.CatalogComparison;
import org.cnlearn.db.catalog.CatalogObject;
import org.cnlearn.db.lint.ChangelogLint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * cnlearn:revision -Ddesired: a model change of the kind Alembic's autogenerate gets wrong (src/test/sqlalchemy/,
 * dumped by SQLAlchemy's create_all) written as changesets that pass the lint with no waiver, and that on a
 * database holding rows build exactly what create_all builds, roll back to exactly what was there, and apply again.
 */
class AutogenerateTest {

    private static final String FILE = "0002-add-courses-and-nicknames.yaml";

    @Test
    void aModelChangeBecomesChangesetsThatBuildExactlyWhatCreateAllBuildsAndRollBackOverRows(@TempDir Path dir) throws Exception {
        Authoring project = Authoring.copy(dir);
        String model = project.desired("sqlalchemy/v2.sql", "model.sql");
        project.run("revision", "message", "Add courses and nicknames", "author", "cnlearn", "desired", model);

        String written = project.file(FILE);
        // docs/authoring.md shows this very file
        Authoring.assertAuthoringShows("v2", written, "Autogenerate");
        assertTrue(written.contains("- createTable:\n            tableName: course\n"), written);
        assertTrue(written.contains("- addColumn:\n            tableName: user\n"), written);
        assertFalse(written.contains("lint-waiver"), written);
        // what Alembic 1.8 missed or got wrong: the check, the server defaults, the enum (and its drop), CONCURRENTLY
        for (String expected : List.of("CHECK (max_students > 0)", "defaultValueComputed: \"'beginner'::course_level\"",
                "defaultValueComputed: \"false\"", "defaultValueComputed: now()", "CREATE TYPE public.course_level AS ENUM",
                "DROP TYPE public.course_level", "CREATE INDEX CONCURRENTLY ix_user_nickname", "runInTransaction: false",
                "onDelete: CASCADE")) {
            assertTrue(written.contains(expected), "no «" + expected + "» in:\n" + written);
        }
        // the type first, then the table that uses it, then the column and its index on the live table
        assertTrue(written.indexOf("CREATE TYPE") < written.indexOf("createTable") && written.indexOf("createTable") < written.indexOf("addColumn")
                && written.indexOf("addColumn") < written.indexOf("CONCURRENTLY"), written);
        assertEquals(List.of(), ChangelogLint.lint(Migrations.CHANGELOG, new DirectoryResourceAccessor(dir)));
        assertTrue(project.info.get(0).startsWith("Wrote db-changelog/changes/" + FILE + " (4 changesets: create type public.course_level;"),
                project.info.toString());
        int generated = 4;

        try (TestDatabase db = TestServer.get().createDatabase("autogenerate"); TestDatabase createAll = TestServer.get().createDatabase("create_all")) {
            Migrations.updateCount(db, 1);
            db.execute("INSERT INTO \"user\" (full_name, email) VALUES ('Ana', 'ana@example.org')");
            List<CatalogObject> atFirst = Authoring.catalog(db);
            Authoring.build(createAll, "sqlalchemy/v2.sql");

            Migrations.runIn(dir, db, "update");
            assertEquals(List.of(), Authoring.differences(createAll, db), "update does not build what create_all builds");
            db.execute("INSERT INTO course (title, owner_id) VALUES ('HSK 1', 1)");
            assertEquals("beginner false", textOf(db, "SELECT level || ' ' || is_public FROM course"));

            db.execute("DELETE FROM course");
            Migrations.runIn(dir, db, "rollbackCount", Map.of("count", generated));
            assertEquals(List.of(), CatalogComparison.compare(atFirst, Authoring.catalog(db)).stream().map(d -> d.line()).toList(),
                    "the rollback does not return to 0001's schema");
            assertEquals(1, db.count("SELECT count(*) FROM \"user\""));

            Migrations.runIn(dir, db, "update");
            assertEquals(List.of(), Authoring.differences(createAll, db), "update after the rollback builds something else");
            assertEquals(1, db.count("SELECT count(*) FROM \"user\" WHERE email = 'ana@example.org'"));
        }

        project.run("check", "desired", model);
        assertTrue(project.info.contains("The changelog builds exactly the desired schema, " + model + "."), project.info.toString());

        // a further model change: check names it, and the command that writes it
        String next = project.desired("sqlalchemy/v3.sql");
        AuthoringFailure failure = assertThrows(AuthoringFailure.class, () -> project.run("check", "desired", next));
        assertTrue(failure.getMessage().contains("the changelog does not build " + next + " (1 difference"), failure.getMessage());
        assertTrue(project.errors.contains("  column public.course.description: the changelog builds none; " + next
                + " has character varying(2000) null"), project.errors.toString());
        assertTrue(project.errors.contains("To write the changesets that make it so: ./mvnw cnlearn:revision -Dmessage=\"what the change does\""
                + " -Ddesired=" + next), project.errors.toString());

        // and with nothing left to do, no file
        project.run("revision", "message", "nothing", "author", "ana", "desired", model);
        assertEquals("The changelog already builds exactly " + model + ": nothing to write, and no file was written.", project.info.get(0));
        assertEquals(2, project.changeFiles().size());
    }

    @Test
    void aRenameIsRefusedUntilTheAuthorSaysWhichAndThenKeepsTheData(@TempDir Path dir) throws Exception {
        Authoring project = Authoring.copy(dir);
        project.run("revision", "message", "Add courses and nicknames", "author", "ana", "desired", project.desired("sqlalchemy/v2.sql"));
        String renamed = project.desired("sqlalchemy/v2-renamed.sql");
        String master = project.master();

        AuthoringFailure refused = assertThrows(AuthoringFailure.class, () -> project.run("revision", "message", "rename nickname",
                "author", "ana", "desired", renamed));
        assertEquals("Renamed, or dropped and added? column public.\"user\".nickname (character varying(50)) is not in " + renamed
                + ", and public.\"user\".display_name of the same type is new. Say which, and run again: -Drename=user.nickname:display_name"
                + " renames, and keeps the data (a type change too, where it can be made in place); -DallowDataLoss=true drops the old one, with its data, and adds the new one."
                + " Nothing was written.", refused.getMessage());
        assertEquals(2, project.changeFiles().size());
        assertEquals(master, project.master());

        project.run("revision", "message", "rename nickname", "author", "ana", "desired", renamed, "rename", "user.nickname:display_name");
        String written = project.file("0003-rename-nickname.yaml");
        // by expand and contract: the old version keeps writing nickname while the new one writes display_name
        assertFalse(written.contains("renameColumn"), written);
        for (String expected : List.of("labels: expand", "labels: contract", "CREATE TRIGGER cnlearn_sync_user_nickname BEFORE INSERT OR UPDATE"
                + " OF nickname, display_name ON public.\"user\"", "CALL public.cnlearn_copy_user_nickname(true)",
                "CREATE INDEX CONCURRENTLY ix_user_display_name", "DROP INDEX CONCURRENTLY public.ix_user_nickname",
                "verified-copy(nickname, display_name)")) {
            assertTrue(written.contains(expected), "no «" + expected + "» in:\n" + written);
        }
        // every expand changeset before the first contract one
        assertTrue(written.lastIndexOf("labels: expand") < written.indexOf("labels: contract"), written);
        int changesets = Authoring.changesets(written);
        assertEquals(6, changesets, written);

        try (TestDatabase db = TestServer.get().createDatabase("rename")) {
            Migrations.runIn(dir, db, "updateCount", Map.of("count", 5));
            db.execute("INSERT INTO \"user\" (email, nickname) VALUES ('li@example.org', 'Li')");
            Migrations.runIn(dir, db, "update", Map.of("labelFilter", "expand"));
            // between the phases: each version's write reaches the other's column
            db.execute("INSERT INTO \"user\" (email, display_name) VALUES ('mo@example.org', 'Mo')");
            db.execute("UPDATE \"user\" SET nickname = 'Lee' WHERE email = 'li@example.org'");
            assertEquals("Lee Mo", textOf(db, "SELECT string_agg(display_name || '', ' ' ORDER BY email) FROM \"user\""));
            assertEquals("Lee Mo", textOf(db, "SELECT string_agg(nickname || '', ' ' ORDER BY email) FROM \"user\""));
            Migrations.runIn(dir, db, "update");
            assertEquals("Lee Mo", textOf(db, "SELECT string_agg(display_name, ' ' ORDER BY email) FROM \"user\""));
            // the whole file rolled back over rows, without the flag: every value back in nickname
            Migrations.runIn(dir, db, "rollbackCount", Map.of("count", changesets));
            assertEquals("Lee Mo", textOf(db, "SELECT string_agg(nickname, ' ' ORDER BY email) FROM \"user\""));
        }

        // -DallowDataLoss=true: the drop and the add, as asked
        Files.delete(project.changes().resolve("0003-rename-nickname.yaml"));
        Files.writeString(project.project.resolve(Migrations.CHANGELOG), master);
        project.run("revision", "message", "replace nickname", "author", "ana", "desired", renamed, "allowDataLoss", "true");
        String replaced = project.file("0003-replace-nickname.yaml");
        assertTrue(replaced.contains("dropColumn") && replaced.contains("name: display_name"), replaced);
    }

    @Test
    void aChangeWithNoLockSafeFormIsRefusedAndNothingIsWritten(@TempDir Path dir) throws Exception {
        Authoring project = Authoring.copy(dir);
        Path model = project.project.resolve("target/not-null.sql");
        Files.createDirectories(model.getParent());
        Files.writeString(model, Migrations.resource("sqlalchemy/v2.sql").replace("nickname VARCHAR(50),", "nickname VARCHAR(50) NOT NULL,"));
        AuthoringFailure refused = assertThrows(AuthoringFailure.class, () -> project.run("revision", "message", "x", "author", "ana",
                "desired", "target/not-null.sql"));
        assertTrue(refused.getMessage().contains("column public.\"user\".nickname is NOT NULL with no default, on a table that exists"),
                refused.getMessage());
        assertTrue(refused.getMessage().endsWith("Nothing was written."), refused.getMessage());
        assertEquals(1, project.changeFiles().size());
    }

    private static String textOf(TestDatabase db, String sql) throws Exception {
        try (var connection = db.connect(); var statement = connection.createStatement(); var rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
