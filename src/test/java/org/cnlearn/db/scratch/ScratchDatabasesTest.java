package org.cnlearn.db.scratch;

import org.cnlearn.db.connection.PostgresVersions;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** On the shared server (as the suite runs it, pom.xml), each user's databases are its own, and go when it closes. */
class ScratchDatabasesTest {

    @Test
    void twoUsersOfTheSharedServerKeepTheirDatabasesApartAndDropThemWhenDone() throws Exception {
        assertTrue(Boolean.getBoolean(ScratchDatabases.SHARED_PROPERTY), "the suite runs with " + ScratchDatabases.SHARED_PROPERTY);
        int major = PostgresVersions.requested(System.getProperties());
        try (ScratchDatabases one = ScratchDatabases.start(major)) {
            ScratchDatabases other = ScratchDatabases.start(major);
            try (other) {
                one.create("changelog");
                other.create("changelog"); // the same name, another database
                try (Connection a = one.connect("changelog"); Connection b = other.connect("changelog")) {
                    a.createStatement().execute("CREATE TABLE mine (id integer)");
                    assertEquals(List.of("mine"), tables(a));
                    assertEquals(List.of(), tables(b));
                }
                other.copy("changelog", "tried");
            }
            for (String gone : List.of("changelog", "tried")) {
                SQLException missing = assertThrows(SQLException.class, () -> other.connect(gone).close(), gone + " outlived its user");
                assertEquals("3D000", missing.getSQLState(), missing.getMessage());
            }
            try (Connection a = one.connect("changelog")) {
                assertEquals(List.of("mine"), tables(a), "the open user's database went with the other's");
            }
        }
    }

    private static List<String> tables(Connection connection) throws Exception {
        List<String> names = new java.util.ArrayList<>();
        try (var rs = connection.createStatement().executeQuery("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }
}
