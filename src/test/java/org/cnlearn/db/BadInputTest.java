package org.cnlearn.db;

import org.cnlearn.db.connection.ConnectionSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Stream;

import static org.cnlearn.db.Migrations.messages;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input, through the code every goal runs (ConnectionSettings, the driver, Liquibase's commands
 * with this project's extensions), in this JVM: each fails with a clear message, prints no secret and
 * changes nothing. BadInputIT shows the same through the real goals, with wrong passwords;
 * ConnectionSettingsTest has a URL of another kind of database, and CI without a URL.
 */
class BadInputTest {

    private static final String CANARY = "Canary-Secret-78";

    private static SQLException refusedConnection(ConnectionSettings settings, String expected) {
        SQLException refused = assertThrows(SQLException.class, settings::open);
        assertTrue(refused.getMessage().contains(expected), "expected «" + expected + "» in: " + refused.getMessage());
        assertTrue(refused.getMessage().contains("Check the URL, user and password"), refused.getMessage());
        assertFalse(messages(refused).contains(CANARY), messages(refused));
        return refused;
    }

    @Test
    void anUnknownRoleFailsAndChangesNothing() throws Exception {
        try (TestDatabase db = TestServer.get().createDatabase("bad_role")) {
            refusedConnection(ConnectionSettings.explicit(db.url(), "no_such_role", CANARY), "no_such_role");
            assertEquals(List.of(), db.objectsIn("public"));
        }
    }

    @Test
    void anUnknownHostFailsFast() {
        long start = System.nanoTime();
        refusedConnection(ConnectionSettings.explicit("jdbc:postgresql://no-such-host.invalid:5432/cnlearn", "u", CANARY), "no-such-host.invalid");
        assertTrue((System.nanoTime() - start) / 1e9 < 30, "took longer than 30 s");
    }

    @Test
    void aPortWithNothingListeningFailsFast() {
        long start = System.nanoTime();
        refusedConnection(ConnectionSettings.explicit("jdbc:postgresql://127.0.0.1:1/cnlearn", "u", CANARY), "Connection to 127.0.0.1:1 refused");
        assertTrue((System.nanoTime() - start) / 1e9 < 30, "took longer than 30 s");
    }

    @Test
    void aMissingDatabaseFails() throws Exception {
        try (TestDatabase db = TestServer.get().createDatabase("exists")) {
            String url = db.url().replace("/" + db.name(), "/no_such_database");
            refusedConnection(ConnectionSettings.explicit(url, db.username(), db.password()), "database \"no_such_database\" does not exist");
        }
    }

    @Test
    void aRollbackToAMissingTagFailsAndChangesNothing() throws Exception {
        try (TestDatabase db = TestServer.get().createDatabase("bad_tag")) {
            Migrations.update(db);
            Exception refused = assertThrows(Exception.class, () -> Migrations.rollbackToTag(db, "no-such-tag"));
            assertTrue(messages(refused).contains("no-such-tag"), messages(refused));
            assertEquals(List.of("0001-create-user-table"), db.appliedChangesets());
            assertFalse(db.userTableShape().isEmpty());
        }
    }

    @Test
    void anEditedAppliedChangesetIsNamedByUpdateAndValidate(@TempDir Path copy) throws Exception {
        try (TestDatabase db = TestServer.get().createDatabase("checksum")) {
            Migrations.update(db);
            List<String> before = db.userTableShape();
            Path changeset = changelogCopy(copy).resolve("db-changelog/changes/0001-create-user-table.yaml");
            Files.writeString(changeset, Files.readString(changeset).replaceFirst("name: hashed_password\n( +)type: VARCHAR",
                    "name: hashed_password\n$1type: VARCHAR(60)"));
            for (String command : List.of("update", "validate")) {
                Exception refused = assertThrows(Exception.class, () -> Migrations.runIn(copy, db, command));
                assertTrue(messages(refused).contains("0001-create-user-table") && messages(refused).contains("check sum"), messages(refused));
            }
            assertEquals(before, db.userTableShape());
        }
    }

    @Test
    void brokenYamlIsNamedByItsFileAndChangesNothing(@TempDir Path copy) throws Exception {
        try (TestDatabase db = TestServer.get().createDatabase("broken_yaml")) {
            Path changeset = changelogCopy(copy).resolve("db-changelog/changes/0001-create-user-table.yaml");
            Files.writeString(changeset, Files.readString(changeset).replace("      changes:", "     changes: [oops"));
            Exception refused = assertThrows(Exception.class, () -> Migrations.runIn(copy, db, "update"));
            assertTrue(messages(refused).contains("0001-create-user-table.yaml"), messages(refused));
            assertEquals(List.of(), db.userTableShape());
        }
    }

    private static Path changelogCopy(Path target) throws Exception {
        Path source = Migrations.PROJECT_DIR.resolve("db-changelog");
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path destination = target.resolve("db-changelog").resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(destination);
                } else {
                    Files.copy(file, destination, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return target;
    }
}
