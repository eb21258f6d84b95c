package org.cnlearn.db;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The author's loop through the real goals, as a newcomer runs it on a fresh clone: cnlearn:revision is the
 * first command; validate refuses the empty file by name; written by hand, it validates, checks, applies and
 * rolls back; the next revision is 0003; a source changed since is built again before the next goal. (FreshCloneIT,
 * in the soak profile, has the Liquibase goals first on clones of their own; LintGoalIT the collisions.)
 */
class AuthorLoopIT {

    private static final String SKELETON = "db-changelog/changes/0002-add-nickname-to-user.yaml";

    @Test
    void revisionWriteCheckCommitOnAFreshClone(@TempDir Path temp) throws Exception {
        Path clone = FreshCloneIT.freshClone(temp.resolve("clone"));
        String first = FreshCloneIT.mvnw(clone, Map.of(), "cnlearn:revision", "-Dmessage=Add nickname to user!", "-Dauthor=ana");
        assertTrue(first.contains("[cnlearn-db] the project is not built yet: building it first (./mvnw process-classes)"), first);
        assertTrue(first.contains("[INFO] Wrote " + SKELETON + " and included it last in db-changelog/db.changelog-master.yaml."), first);
        assertTrue(Files.readString(clone.resolve("db-changelog/db.changelog-master.yaml")).endsWith(
                "  - include:\n      file: changes/0002-add-nickname-to-user.yaml\n      relativeToChangelogFile: true\n"));

        try (TestDatabase db = TestServer.get().createDatabase("author_loop")) {
            Map<String, String> env = MavenRun.envFor(db);
            MavenRun refused = FreshCloneIT.mvnwRun(clone, env, "liquibase:validate");
            refused.assertReadableFailure(SKELETON + ", changeset 0002-add-nickname-to-user: empty-changeset: has no changes");
            MavenRun checkRefused = FreshCloneIT.mvnwRun(clone, Map.of(), "cnlearn:check");
            assertEquals(1, checkRefused.exitCode, checkRefused.output);
            assertTrue(checkRefused.output.contains("[ERROR] " + SKELETON + ", changeset 0002-add-nickname-to-user: empty-changeset:"),
                    checkRefused.output);

            Files.writeString(clone.resolve(SKELETON), Files.readString(clone.resolve(SKELETON)).replace("      changes: []\n      rollback: []\n",
                    "      changes:\n        - addColumn:\n            tableName: user\n            columns:\n              - column:\n"
                            + "                  name: nickname\n                  type: VARCHAR(50)\n"
                            + "      rollback:\n        - dropColumn:\n            tableName: user\n            columnName: nickname\n"));
            assertTrue(FreshCloneIT.mvnw(clone, env, "liquibase:validate").contains("No validation errors found"));
            String check = FreshCloneIT.mvnw(clone, Map.of(), "cnlearn:check");
            assertTrue(check.contains("[INFO] Stairway on a throwaway PostgreSQL ") && check.contains(": each of the 2 changesets applies,"
                    + " rolls back to exactly the schema before it, and applies again."), check);
            FreshCloneIT.mvnw(clone, env, "liquibase:update");
            assertEquals(1, db.count("SELECT count(*) FROM pg_attribute WHERE attrelid = '\"user\"'::regclass AND attname = 'nickname'"));
            FreshCloneIT.mvnw(clone, env, "liquibase:rollback", "-Dliquibase.rollbackCount=1");
            assertEquals(0, db.count("SELECT count(*) FROM pg_attribute WHERE attrelid = '\"user\"'::regclass AND attname = 'nickname'"));

            String next = FreshCloneIT.mvnw(clone, Map.of(), "cnlearn:revision", "-Dmessage=add course", "-Dauthor=ana");
            assertTrue(next.contains("[INFO] Wrote db-changelog/changes/0003-add-course.yaml"), next);

            // as a git pull leaves a changed source: newer than what was built from it, so the next goal builds again
            Path source = clone.resolve("src/main/java/org/cnlearn/db/connection/CnlearnDriver.java");
            Files.setLastModifiedTime(source, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5_000));
            MavenRun pulled = FreshCloneIT.mvnwRun(clone, env, "liquibase:status");
            assertTrue(pulled.output.contains("[cnlearn-db] src/main changed since the last build: building it first (./mvnw process-classes)"), pulled.output);
            assertTrue(pulled.output.contains("2 changesets have not been applied"), pulled.output);
        }
    }
}
