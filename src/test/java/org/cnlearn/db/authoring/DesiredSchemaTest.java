package org.cnlearn.db.authoring;

import org.cnlearn.db.Migrations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The desired schema's SQL (-Ddesired=FILE) runs as an ordinary role on the throwaway server, which
 * owns only its database: what a schema's DDL does not need is refused with PostgreSQL's reason. It
 * ran as a superuser, and a COPY … TO PROGRAM line in a desired file ran a shell command.
 */
class DesiredSchemaTest {

    /** The changelog's own schema (SQLAlchemy's DDL of it), and then the lines of the test's. */
    private static String desired(Authoring project, Path dir, String lines) throws Exception {
        Path file = dir.resolve("model.sql");
        Files.writeString(file, Migrations.resource("sqlalchemy/v1.sql") + "\n" + lines);
        return file.toString();
    }

    @Test
    void copyToProgramIsRefusedAndRunsNothing(@TempDir Path dir) throws Exception {
        Authoring project = Authoring.copy(dir.resolve("project"));
        Path marker = dir.resolve("ran-a-shell-command");
        String file = desired(project, dir, "COPY (SELECT 1) TO PROGRAM 'touch " + marker + "';\n");
        AuthoringFailure refused = assertThrows(AuthoringFailure.class, () -> project.run("check", "desired", file));
        assertTrue(refused.getMessage().contains(", statement 5 (COPY (SELECT 1) TO PROGRAM 'touch ") && refused.getMessage().contains(
                "PostgreSQL refused it: permission denied to COPY to or from an external program")
                || refused.getMessage().contains("PostgreSQL refused it: must be superuser"), refused.getMessage());
        assertTrue(refused.getMessage().endsWith("Nothing was written."), refused.getMessage());
        assertFalse(Files.exists(marker), "the desired file ran a shell command");
    }

    @Test
    void droppingAnotherDatabaseIsRefusedWithItsReason(@TempDir Path dir) throws Exception {
        Authoring project = Authoring.copy(dir.resolve("project"));
        String file = desired(project, dir, "DROP DATABASE postgres;\n");
        AuthoringFailure refused = assertThrows(AuthoringFailure.class, () -> project.run("check", "desired", file));
        assertTrue(refused.getMessage().contains(", statement 5 (DROP DATABASE postgres): PostgreSQL refused it: must be owner of"
                + " database postgres"), refused.getMessage());
    }

    @Test
    void theExtensionsItNeedsAreCreatedForIt(@TempDir Path dir) throws Exception {
        Authoring project = Authoring.copy(dir.resolve("project"));
        String file = desired(project, dir, "CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;\n"
                + "COMMENT ON EXTENSION pg_trgm IS 'text similarity measurement and index searching based on trigrams';\n"
                + "CREATE INDEX ix_user_full_name_trgm ON \"user\" USING gin (full_name gin_trgm_ops);\n");
        // the changelog builds neither: the check names both, so both were built from the file
        AuthoringFailure different = assertThrows(AuthoringFailure.class, () -> project.run("check", "desired", file));
        assertTrue(different.getMessage().contains("the changelog does not build " + file + " (2 differences"), different.getMessage());
        assertTrue(project.errors.stream().anyMatch(line -> line.contains("extension") && line.contains("pg_trgm")), project.errors.toString());
        assertTrue(project.errors.stream().anyMatch(line -> line.contains("ix_user_full_name_trgm")), project.errors.toString());
    }

    /**
     * An untrusted language is refused: where its library loads, as an untrusted language (the tool
     * rolls its creation back); the embedded binaries here lack libperl, and PostgreSQL refuses to load it.
     */
    @Test
    void anUntrustedLanguageIsRefused(@TempDir Path dir) throws Exception {
        Authoring project = Authoring.copy(dir.resolve("project"));
        String file = desired(project, dir, "CREATE EXTENSION plperlu;\nCREATE FUNCTION f() RETURNS int LANGUAGE plperlu AS 'return 1;';\n");
        AuthoringFailure refused = assertThrows(AuthoringFailure.class, () -> project.run("check", "desired", file));
        assertTrue(refused.getMessage().contains(", statement 5 (CREATE EXTENSION plperlu): plperlu is an untrusted language")
                || refused.getMessage().contains(", statement 5 (CREATE EXTENSION plperlu): PostgreSQL refused it: could not load library"),
                refused.getMessage());
    }
}
